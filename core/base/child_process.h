#pragma once
// Runs another program to completion and hands back what it said: an argument vector, never a
// shell command line, so no argument is ever re-parsed by a shell (a sweep's `--sbatch-arg`
// or a path with spaces reaches the program exactly as given). Used to drive a scheduler's
// command-line clients (sbatch, squeue, scancel).
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace loadlab {

struct ProgramResult {
  int exit_code = -1;  // -1 when it was killed by a signal or by the timeout
  bool timed_out = false;
  std::string out, err;  // its standard output and standard error
  bool ok() const { return exit_code == 0; }
};

// The first executable `name` in the directories of $PATH, or nullopt.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

// Starts argv[0] (a path, or a name looked up on $PATH) with the caller's environment,
// standard input from /dev/null, default signal handling and a process group of its own (a
// Ctrl-C at the terminal is the caller's to handle), waits for it and returns its exit code
// and output. A program
// still running after `timeout` is killed (SIGKILL) and reported timed_out. Throws
// std::runtime_error when it cannot be started at all (no such program).
ProgramResult run_program(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace loadlab
