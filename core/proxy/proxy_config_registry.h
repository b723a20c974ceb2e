#pragma once
// The proxies a scenario can be exported to, by name (loadlab-cli export --to NAME).
#include "base/registry.h"
#include "proxy/proxy_config.h"

namespace loadlab {

using ProxyConfigRegistry = Registry<ProxyConfigWriter, ProxyExportOptions>;
const ProxyConfigRegistry& proxy_config_writers();

}  // namespace loadlab
