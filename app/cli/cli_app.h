#pragma once

namespace loadlab::cli {

// Exit codes, documented in the README: CI scripts act on them.
enum ExitCode : int {
  kOk = 0,
  kRuntimeError = 1,      // the run could not complete or its output could not be written
  kBadInput = 2,          // a flag, scenario file or value was invalid; nothing was written
  kAssertionFailed = 99,  // an --assert threshold was not met (k6's code for failed thresholds)
  kInterrupted = 130,     // stopped by Ctrl-C / SIGTERM; results so far were still written
};

int main(int argc, char** argv);

}  // namespace loadlab::cli
