#pragma once
// Why an input path cannot be read as a file, in words a user acts on. Every reader of a
// user-named file (scenario, trace, latency file, sweep CSV, proxy configuration) asks this
// first, so "is a directory" and "does not exist" read the same everywhere instead of each
// reader failing later with its own confusing message ("not valid JSON", "holds no requests").
#include <filesystem>
#include <optional>
#include <string>

namespace loadlab {

// nullopt when `file` is an existing regular file (or a FIFO/character device such as
// /dev/stdin, which streams read fine); otherwise "'PATH' is a directory" or "'PATH' does not
// exist".
std::optional<std::string> unreadable_file_problem(const std::filesystem::path& file);

}  // namespace loadlab
