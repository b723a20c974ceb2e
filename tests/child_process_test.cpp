// base/child_process: another program run with an argument vector, its output and exit code
// read back, a hung one killed at its timeout.
#include "base/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace {

using loadlab::find_on_path;
using loadlab::ProgramResult;
using loadlab::run_program;

TEST(ChildProcess, ArgumentsReachTheProgramVerbatimWithNoShellInBetween) {
  // Each would be split, expanded or run by a shell.
  const std::vector<std::string> tricky{"two words", "'quoted'", "$HOME", "; echo injected", "a\"b", "*", ""};
  std::vector<std::string> argv{"printf", "[%s]\\n"};
  argv.insert(argv.end(), tricky.begin(), tricky.end());
  const ProgramResult r = run_program(argv);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "[two words]\n['quoted']\n[$HOME]\n[; echo injected]\n[a\"b]\n[*]\n[]\n");
  EXPECT_EQ(r.err, "");
}

TEST(ChildProcess, ExitCodeAndStandardErrorAreKeptApart) {
  const ProgramResult r = run_program({"sh", "-c", "echo out; echo err >&2; exit 7"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(ChildProcess, StandardInputIsEmptySoAProgramThatReadsItDoesNotWait) {
  const ProgramResult r = run_program({"cat"}, std::chrono::seconds(10));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "");
}

TEST(ChildProcess, ALargeOutputOnBothStreamsIsReadWhole) {
  // 200 kB on each stream: more than a pipe holds, so both must be drained as they fill.
  const ProgramResult r =
      run_program({"sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo 123456789; echo abcdefghi >&2; i=$((i+1)); done"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.out.size(), 200000u);
  EXPECT_EQ(r.err.size(), 200000u);
}

TEST(ChildProcess, AProgramPastItsTimeoutIsKilled) {
  const ProgramResult r = run_program({"sleep", "30"}, std::chrono::milliseconds(200));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, -1);
}

TEST(ChildProcess, TheChildDoesNotInheritIgnoredSignals) {
  // A caller that ignores SIGTERM (or catches Ctrl-C) must not pass that on.
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGTERM, &ignore, &old);
  const ProgramResult r = run_program({"sh", "-c", "kill -TERM $$; echo survived"});
  sigaction(SIGTERM, &old, nullptr);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.exit_code, -1);  // killed by the signal
}

TEST(ChildProcess, TheChildLeadsAProcessGroupOfItsOwn) {
  // So a Ctrl-C at the terminal (sent to the foreground group) reaches only the caller.
  const ProgramResult r = run_program({"sh", "-c", "echo $$; cut -d' ' -f5 /proc/$$/stat"});
  ASSERT_TRUE(r.ok()) << r.err;
  const std::size_t nl = r.out.find('\n');
  ASSERT_NE(nl, std::string::npos);
  EXPECT_EQ(r.out.substr(nl + 1), r.out.substr(0, nl + 1));  // its group id is its own pid
  EXPECT_NE(r.out.substr(0, nl), std::to_string(getpgrp()));
}

TEST(ChildProcess, AMissingProgramIsAnErrorNamingIt) {
  EXPECT_FALSE(find_on_path("loadlab-no-such-program"));
  try {
    run_program({"loadlab-no-such-program", "x"});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'loadlab-no-such-program': not found on PATH"), std::string::npos)
        << e.what();
  }
}

TEST(ChildProcess, FindOnPathSearchesTheDirectoriesInOrder) {
  const auto sh = find_on_path("sh");
  ASSERT_TRUE(sh);
  EXPECT_EQ(sh->filename(), "sh");
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent:/usr/bin", 1);
  EXPECT_EQ(find_on_path("env")->string(), "/usr/bin/env");
  setenv("PATH", "/nonexistent", 1);
  EXPECT_FALSE(find_on_path("env"));
  setenv("PATH", saved.c_str(), 1);
}

}  // namespace
