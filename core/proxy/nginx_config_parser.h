#pragma once
// nginx's configuration syntax: directives of words ending in ';' or carrying a '{ ... }'
// block, '#' comments, quoted words. Parsed into a tree without recursion (a file of deep
// nesting is an error, not a stack overflow).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loadlab {

struct NginxDirective {
  std::string name;
  std::vector<std::string> args;
  std::size_t line = 0;
  bool has_block = false;
  std::vector<NginxDirective> children;
};

inline constexpr std::size_t kMaxNginxNesting = 64;

// The top-level directives; throws ProxyImportError with the line of the first error.
std::vector<NginxDirective> parse_nginx_config(std::string_view text);

}  // namespace loadlab
