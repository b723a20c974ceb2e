#pragma once
// Where each node of a scenario listens, as a proxy configuration must name it: the node's
// url, or the addresses a run assigned, or 127.0.0.1 and consecutive ports.
#include <vector>

#include "base/host_port.h"
#include "proxy/proxy_config.h"

namespace loadlab {

// Throws ProxyExportError naming the node or the option when an address is malformed or the
// consecutive ports would pass 65535.
std::vector<HostPort> backend_addresses(const Scenario& scenario, const ProxyExportOptions& options);
// The proxy's own listening address (options.listen).
HostPort proxy_listen_address(const ProxyExportOptions& options);

}  // namespace loadlab
