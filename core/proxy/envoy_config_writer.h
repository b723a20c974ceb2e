#pragma once
// The scenario as an Envoy (v3 API) bootstrap: a listener with the HTTP connection manager,
// one route to one static cluster. Written as JSON, which Envoy reads as it reads YAML
// (`envoy -c loadlab-envoy.json`); Debian does not package Envoy, so tests check the file's
// structure against the field names of the v3 API rather than by running it.
#include "proxy/proxy_config.h"

namespace loadlab {

class EnvoyConfigWriter final : public ProxyConfigWriter {
 public:
  explicit EnvoyConfigWriter(ProxyExportOptions options) : options_(std::move(options)) {}
  ProxyConfig write(const Scenario& scenario) const override;

 private:
  ProxyExportOptions options_;
};

}  // namespace loadlab
