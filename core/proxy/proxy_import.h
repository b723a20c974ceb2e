#pragma once
// Reading a production proxy's configuration into a scenario, so a user can paste their
// nginx upstream or HAProxy backend and ask "what if". What the model cannot represent is
// listed with its line, never silently dropped.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace loadlab {

struct ProxyImport {
  Scenario scenario;
  // "line 12: ip_hash: ..." — directives LoadLab does not know, or knows but does not model.
  std::vector<std::string> unknown;
  std::vector<std::string> not_modelled;
};

// A configuration that cannot be imported: the message names the line (and the file when
// the caller adds it) and what is wrong there.
class ProxyImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ProxyKind { nginx, haproxy };

// `block`: the upstream (nginx) or backend/listen section (HAProxy) to import; empty means
// the only one, and several are an error that names them.
ProxyImport import_nginx(std::string_view text, const std::string& block = {});
ProxyImport import_haproxy(std::string_view text, const std::string& block = {});

// nginx or HAProxy, from the text itself (an `upstream` block or a `backend`/`listen`
// section); nullopt when it is neither.
std::optional<ProxyKind> detect_proxy_kind(std::string_view text);

inline constexpr std::size_t kMaxProxyConfigBytes = 16u << 20;

}  // namespace loadlab
