#include "proxy/backend_addresses.h"

#include <fmt/format.h>

namespace loadlab {

std::vector<HostPort> backend_addresses(const Scenario& scenario, const ProxyExportOptions& options) {
  if (!options.node_addresses.empty() && options.node_addresses.size() != scenario.nodes.size())
    throw ProxyExportError("node addresses",
                           fmt::format("{} given for {} nodes", options.node_addresses.size(), scenario.nodes.size()));
  std::vector<HostPort> out;
  out.reserve(scenario.nodes.size());
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
    const NodeSpec& n = scenario.nodes[i];
    const std::string& given = options.node_addresses.empty() ? n.url : options.node_addresses[i];
    if (given.empty()) {
      const unsigned port = options.first_node_port + static_cast<unsigned>(i);
      if (options.first_node_port == 0 || port > 65535)
        throw ProxyExportError("--first-port", fmt::format("{} nodes from port {} pass 65535", scenario.nodes.size(),
                                                           options.first_node_port));
      out.push_back({"127.0.0.1", static_cast<std::uint16_t>(port)});
      continue;
    }
    std::string why;
    auto hp = parse_host_port(given, &why);
    if (!hp) throw ProxyExportError(fmt::format("nodes[{}].url", i), fmt::format("'{}': {}", given, why));
    out.push_back(*hp);
  }
  return out;
}

HostPort proxy_listen_address(const ProxyExportOptions& options) {
  std::string why;
  auto hp = parse_host_port(options.listen, &why, /*allow_scheme=*/false);
  if (!hp) throw ProxyExportError("--listen", fmt::format("'{}': {}", options.listen, why));
  return *hp;
}

}  // namespace loadlab
