// libFuzzer target: any bytes given to the nginx and HAProxy importers either import into a
// scenario that validates, or raise ProxyImportError / ScenarioError — never a crash, a hang
// or another exception. What imports must also export again to both proxies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/proxy_config_registry.h"
#include "proxy/proxy_import.h"

namespace {

void check(const loadlab::ProxyImport& imported) {
  loadlab::validate(imported.scenario);
  loadlab::ProxyExportOptions options;
  options.best_effort = true;
  for (const char* proxy : {"nginx", "haproxy", "envoy"}) {
    try {
      (void)loadlab::proxy_config_writers().make(proxy, options)->write(imported.scenario);
    } catch (const loadlab::ProxyExportError&) {
      // Best effort still refuses what no fallback can fix (a port range past 65535).
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int kind = 0; kind < 2; ++kind) {
    try {
      check(kind == 0 ? loadlab::import_nginx(text) : loadlab::import_haproxy(text));
    } catch (const loadlab::ProxyImportError&) {
    } catch (const loadlab::ScenarioError&) {
    }
  }
  (void)loadlab::detect_proxy_kind(text);
  return 0;
}
