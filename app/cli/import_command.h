#pragma once
// `loadlab-cli import`: an nginx upstream or HAProxy backend as a scenario file.
#include <optional>
#include <string>

namespace loadlab::cli {

struct ImportOptions {
  std::string config_file;
  std::string format = "auto";        // auto, nginx or haproxy
  std::string upstream;               // which upstream/backend when the file has several
  std::optional<std::string> output;  // stdout when absent
  bool quiet = false;
};

int import_command(const ImportOptions& options);

}  // namespace loadlab::cli
