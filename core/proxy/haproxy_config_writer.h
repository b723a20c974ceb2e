#pragma once
// The scenario as an HAProxy (2.6, as Debian 12 ships it) configuration: global, defaults,
// one frontend and the backend that carries the balancing, health and retry settings.
#include "proxy/proxy_config.h"

namespace loadlab {

class HaproxyConfigWriter final : public ProxyConfigWriter {
 public:
  explicit HaproxyConfigWriter(ProxyExportOptions options) : options_(std::move(options)) {}
  ProxyConfig write(const Scenario& scenario) const override;

 private:
  ProxyExportOptions options_;
};

}  // namespace loadlab
