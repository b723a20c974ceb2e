#include "proxy/nginx_config_parser.h"

#include <fmt/format.h>

#include "proxy/proxy_import.h"

namespace loadlab {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::vector<NginxDirective> parse_nginx_config(std::string_view text) {
  if (text.size() > kMaxProxyConfigBytes)
    throw ProxyImportError(fmt::format("the file is {} bytes; at most {} are read", text.size(), kMaxProxyConfigBytes));
  // The open blocks, innermost last; the bottom one holds the top-level directives.
  std::vector<NginxDirective> stack(1);
  NginxDirective current;  // the directive being read: its name and args so far
  bool in_directive = false;
  std::size_t line = 1;
  std::size_t i = 0;
  auto finish = [&](bool block) {
    current.has_block = block;
    if (block) {
      if (stack.size() > kMaxNginxNesting)
        throw ProxyImportError(fmt::format("line {}: blocks nested deeper than {}", line, kMaxNginxNesting));
      stack.push_back(std::move(current));
    } else {
      stack.back().children.push_back(std::move(current));
    }
    current = {};
    in_directive = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == ';') {
      if (!in_directive) throw ProxyImportError(fmt::format("line {}: unexpected ';'", line));
      finish(false);
      ++i;
      continue;
    }
    if (c == '{') {
      if (!in_directive) throw ProxyImportError(fmt::format("line {}: '{{' without a directive", line));
      finish(true);
      ++i;
      continue;
    }
    if (c == '}') {
      if (in_directive) throw ProxyImportError(fmt::format("line {}: '{}' is missing its ';'", line, current.name));
      if (stack.size() == 1) throw ProxyImportError(fmt::format("line {}: unexpected '}}'", line));
      NginxDirective done = std::move(stack.back());
      stack.pop_back();
      stack.back().children.push_back(std::move(done));
      ++i;
      continue;
    }
    // A word: quoted, or up to a space or one of ; { }
    std::string word;
    const std::size_t word_line = line;
    if (c == '"' || c == '\'') {
      const char quote = c;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i++];
        if (d == '\n') ++line;
        if (d == '\\' && i < text.size()) {
          word += text[i++];
          continue;
        }
        if (d == quote) {
          closed = true;
          break;
        }
        word += d;
      }
      if (!closed) throw ProxyImportError(fmt::format("line {}: unclosed {} quote", word_line, quote));
    } else {
      while (i < text.size() && !is_space(text[i]) && text[i] != ';' && text[i] != '{' && text[i] != '}') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        word += text[i++];
      }
    }
    if (!in_directive) {
      current.name = std::move(word);
      current.line = word_line;
      in_directive = true;
    } else {
      current.args.push_back(std::move(word));
    }
  }
  if (in_directive) throw ProxyImportError(fmt::format("line {}: '{}' is missing its ';'", current.line, current.name));
  if (stack.size() > 1)
    throw ProxyImportError(fmt::format("line {}: the '{}' block opened at line {} is not closed", line,
                                       stack.back().name, stack.back().line));
  return std::move(stack.front().children);
}

}  // namespace loadlab
