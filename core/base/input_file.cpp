#include "base/input_file.h"

#include <fmt/format.h>

namespace loadlab {

std::optional<std::string> unreadable_file_problem(const std::filesystem::path& file) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (status.type() == std::filesystem::file_type::not_found) return fmt::format("'{}' does not exist", file.string());
  if (status.type() == std::filesystem::file_type::directory)
    return fmt::format("'{}' is a directory, not a file", file.string());
  // Other errors (permission denied on a parent) surface when the caller opens the file.
  return std::nullopt;
}

}  // namespace loadlab
