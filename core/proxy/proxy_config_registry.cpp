#include "proxy/proxy_config_registry.h"

#include "proxy/envoy_config_writer.h"
#include "proxy/haproxy_config_writer.h"
#include "proxy/nginx_config_writer.h"

namespace loadlab {

const ProxyConfigRegistry& proxy_config_writers() {
  static const ProxyConfigRegistry registry(
      "proxy", {
                   {"nginx", "nginx.conf with one upstream (open source nginx: no active checks, no slow start)",
                    [](const ProxyExportOptions& o) { return std::make_unique<NginxConfigWriter>(o); }},
                   {"haproxy", "haproxy.cfg with one frontend and one backend",
                    [](const ProxyExportOptions& o) { return std::make_unique<HaproxyConfigWriter>(o); }},
                   {"envoy", "Envoy v3 bootstrap as JSON (checked structurally: Debian has no Envoy)",
                    [](const ProxyExportOptions& o) { return std::make_unique<EnvoyConfigWriter>(o); }},
               });
  return registry;
}

}  // namespace loadlab
