#include "import_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/input_file.h"
#include "cli_app.h"
#include "proxy/proxy_import.h"
#include "scenario/scenario_json.h"

namespace loadlab::cli {
namespace {

int bad(const std::string& message) {
  fmt::print(stderr, "loadlab-cli: error: {}\n", message);
  return kBadInput;
}

}  // namespace

int import_command(const ImportOptions& options) {
  const std::string& file = options.config_file;
  if (const auto problem = unreadable_file_problem(file)) return bad(*problem);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > kMaxProxyConfigBytes)
    return bad(
        fmt::format("'{}' is {} bytes; a proxy configuration is read up to {}", file, size, kMaxProxyConfigBytes));
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) return bad(fmt::format("cannot read '{}'", file));
  const std::string text = buffer.str();

  ProxyKind kind;
  if (options.format == "nginx") {
    kind = ProxyKind::nginx;
  } else if (options.format == "haproxy") {
    kind = ProxyKind::haproxy;
  } else if (options.format == "auto") {
    const auto detected = detect_proxy_kind(text);
    if (!detected)
      return bad(
          fmt::format("{}: neither an nginx upstream block nor an HAProxy backend/listen section "
                      "(--format nginx|haproxy to say which it is)",
                      file));
    kind = *detected;
  } else {
    return bad(fmt::format("--format: unknown format '{}' (known: auto, nginx, haproxy)", options.format));
  }

  ProxyImport imported;
  try {
    imported = kind == ProxyKind::nginx ? import_nginx(text, options.upstream) : import_haproxy(text, options.upstream);
  } catch (const ProxyImportError& e) {
    return bad(fmt::format("{}: {}", file, e.what()));
  } catch (const ScenarioError& e) {
    return bad(fmt::format("{}: the imported scenario is invalid: {}", file, e.what()));
  }
  if (!options.quiet) {
    for (const auto& u : imported.unknown) fmt::print(stderr, "loadlab-cli: {}: {} (left out)\n", file, u);
    for (const auto& n : imported.not_modelled) fmt::print(stderr, "loadlab-cli: {}: {}\n", file, n);
  }
  const std::string json = scenario_to_json(imported.scenario);
  if (!options.output) {
    fmt::print("{}", json);
    return kOk;
  }
  if (std::filesystem::is_directory(*options.output, ec))
    return bad(fmt::format("-o: '{}' is a directory", *options.output));
  std::ofstream out(*options.output, std::ios::binary);
  out << json;
  out.close();
  if (!out) {
    fmt::print(stderr, "loadlab-cli: error: cannot write '{}'\n", *options.output);
    return kRuntimeError;
  }
  if (!options.quiet)
    fmt::print(stderr, "loadlab-cli: wrote {} with {} nodes ({})\n", *options.output, imported.scenario.nodes.size(),
               imported.scenario.balancer);
  return kOk;
}

}  // namespace loadlab::cli
