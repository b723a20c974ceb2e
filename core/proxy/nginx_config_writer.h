#pragma once
// The scenario as an nginx (open source, 1.22 as Debian 12 ships it) configuration: a whole
// nginx.conf with one upstream and a server that proxies to it. Relative paths (pid, temp
// files) resolve against nginx's prefix (-p), so `nginx -p DIR -c DIR/nginx.conf` writes
// nothing outside DIR.
#include "proxy/proxy_config.h"

namespace loadlab {

class NginxConfigWriter final : public ProxyConfigWriter {
 public:
  explicit NginxConfigWriter(ProxyExportOptions options) : options_(std::move(options)) {}
  ProxyConfig write(const Scenario& scenario) const override;

 private:
  ProxyExportOptions options_;
};

}  // namespace loadlab
