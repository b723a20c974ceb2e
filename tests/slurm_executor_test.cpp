// The pieces of `--executor slurm` that need no cluster: squeue's output read, the --array
// list, the shell quoting and the job script (run for real by /bin/sh with a stand-in
// loadlab-cli), and the work directory. tests/slurm_sweep_test.sh runs it on a live Slurm.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/child_process.h"
#include "cli/slurm_client.h"
#include "cli/slurm_job_script.h"
#include "cli/slurm_shard_board.h"
#include "cli/sweep_work_directory.h"
#include "sweep/sweep_parameter.h"

namespace loadlab::cli {
namespace {

namespace fs = std::filesystem;

class SlurmFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    // A space and a quote in the path: the script must quote it.
    dir_ = fs::temp_directory_path() / ("loadlab slurm's " + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

TEST(SlurmQueue, TasksOfTheJobByIndexPendingOrRunning) {
  const std::string out =
      "123 0 R\n"
      "123 1 CG\n"
      "123 2 PD\n"
      "123 3 CF\n"
      "1234 4 R\n"  // another job whose id starts the same
      "123 N/A PD\n"
      "123 12 S\n"
      "garbage\n";
  const auto tasks = parse_squeue_tasks(out, "123");
  ASSERT_EQ(tasks.size(), 5u);
  EXPECT_EQ(tasks.at(0), SlurmTaskState::running);
  EXPECT_EQ(tasks.at(1), SlurmTaskState::running);  // completing: still holds its node
  EXPECT_EQ(tasks.at(2), SlurmTaskState::pending);
  EXPECT_EQ(tasks.at(3), SlurmTaskState::pending);  // configuring: not started yet
  EXPECT_EQ(tasks.at(12), SlurmTaskState::running);
  EXPECT_FALSE(tasks.count(4));
  EXPECT_TRUE(parse_squeue_tasks("", "123").empty());
}

TEST(SlurmQueue, ArrayListJoinsRuns) {
  EXPECT_EQ(slurm_array_list({0, 1, 2, 3}), "0-3");
  EXPECT_EQ(slurm_array_list({0, 1, 2, 5, 7, 8}), "0-2,5,7-8");
  EXPECT_EQ(slurm_array_list({4}), "4");
  EXPECT_EQ(slurm_array_list({1, 3}), "1,3");
  EXPECT_EQ(slurm_array_list({}), "");
}

TEST(SlurmShardBoard, AShardLeavingTheQueueIsDoneWithItsCsvAndFailedOnlyOnTheSecondLookWithout) {
  // Shards 0, 2, 3 submitted (a --resume: 1 finished before).
  SlurmShardBoard board(4, {0, 2, 3});
  EXPECT_EQ(board.state(1), ShardState::done);
  EXPECT_EQ(board.counts(), "3 pending, 0 running, 1 done, 0 failed of 4 shards");
  std::set<std::size_t> finished;
  auto has_csv = [&](std::size_t s) { return finished.count(s) > 0; };
  using T = SlurmTaskState;
  board.update({{0, T::running}, {2, T::running}, {3, T::pending}}, has_csv);
  EXPECT_EQ(board.counts(), "1 pending, 2 running, 1 done, 0 failed of 4 shards");
  EXPECT_TRUE(std::isnan(board.eta_seconds(10)));  // nothing of this submission ended yet
  finished.insert(0);
  board.update({{3, T::running}}, has_csv);  // 0 left with its CSV, 2 left without one
  EXPECT_EQ(board.state(0), ShardState::done);
  EXPECT_EQ(board.state(2), ShardState::running);  // not failed yet: the file may show late
  EXPECT_DOUBLE_EQ(board.eta_seconds(10), 20);     // one of three ended in 10 s: two more at that pace
  finished.insert(2);
  board.update({{3, T::running}}, has_csv);
  EXPECT_EQ(board.state(2), ShardState::done);  // it did show, late
  board.update({}, has_csv);
  EXPECT_EQ(board.state(3), ShardState::running);
  EXPECT_FALSE(board.all_ended());
  board.update({}, has_csv);
  EXPECT_EQ(board.state(3), ShardState::failed);
  EXPECT_TRUE(board.all_ended());
  EXPECT_EQ(board.shards_in(ShardState::failed), (std::vector<std::size_t>{3}));
  EXPECT_EQ(board.counts(), "0 pending, 0 running, 3 done, 1 failed of 4 shards");
  board.update({{3, T::running}}, has_csv);  // an ended shard stays ended
  EXPECT_EQ(board.state(3), ShardState::failed);
}

TEST(SlurmShardBoard, AShardBackInTheQueueIsNotFailed) {
  // Requeued (a node lost): gone for one look, then pending again.
  SlurmShardBoard board(1, {0});
  auto none = [](std::size_t) { return false; };
  board.update({}, none);
  board.update({{0, SlurmTaskState::pending}}, none);
  board.update({}, none);
  EXPECT_EQ(board.state(0), ShardState::pending);
}

TEST(SlurmJobScript, SingleQuotedTextIsLiteralToTheShell) {
  for (const std::string text : {"plain", "two words", "it's", "''", "$(touch /tmp/x)", "`id`", "a\\b", "\"", ""}) {
    const ProgramResult r = run_program({"sh", "-c", "printf %s " + shell_single_quote(text)});
    ASSERT_TRUE(r.ok()) << text << r.err;
    EXPECT_EQ(r.out, text);
  }
}

// A stand-in for loadlab-cli that records its arguments one per line and writes the --csv
// file, or fails with the code in $FAKE_EXIT.
fs::path write_fake_cli(const fs::path& dir) {
  const fs::path fake = dir / "fake cli";
  std::ofstream(fake) << "#!/bin/sh\n"
                         "printf '%s\\n' \"$@\" > args.txt\n"
                         "[ \"${FAKE_EXIT:-0}\" = 0 ] || { echo 'it failed' >&2; exit \"$FAKE_EXIT\"; }\n"
                         "for a; do case $a in *.partial) echo 'point,rate' > \"$a\";; esac; done\n";
  fs::permissions(fake, fs::perms::owner_all);
  return fake;
}

TEST_F(SlurmFiles, JobScriptRunsTheShardInTheWorkDirectoryAndNamesItsCsvOnlyOnSuccess) {
  const SweepWorkDirectory work(dir_);
  fs::create_directories(work.shards_dir());
  const fs::path script = dir_ / "job.sh";
  std::ofstream(script) << slurm_job_script(write_fake_cli(dir_), dir_, 4, Scenario::Clock::virtual_time);

  setenv("SLURM_ARRAY_TASK_ID", "2", 1);
  unsetenv("SLURM_CPUS_PER_TASK");
  unsetenv("FAKE_EXIT");
  ProgramResult r = run_program({"sh", script.string()});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(slurp(dir_ / "args.txt"),
            "sweep\nscenario.json\n--definition\nsweep.json\n--clock\nvirtual\n--shard\n2/4\n--threads\n1\n"
            "--csv\nshards/shard-2.csv.partial\n");
  EXPECT_TRUE(work.shard_finished(2));
  EXPECT_EQ(work.shard_csv(2), dir_ / "shards" / "shard-2.csv");
  EXPECT_FALSE(fs::exists(dir_ / "shards" / "shard-2.csv.partial"));

  setenv("SLURM_ARRAY_TASK_ID", "3", 1);
  setenv("SLURM_CPUS_PER_TASK", "6", 1);
  setenv("FAKE_EXIT", "3", 1);
  r = run_program({"sh", script.string()});
  EXPECT_EQ(r.exit_code, 3);  // the task fails as the sweep did
  EXPECT_EQ(r.err, "it failed\n");
  EXPECT_NE(slurp(dir_ / "args.txt").find("--shard\n3/4\n--threads\n6\n"), std::string::npos);
  EXPECT_FALSE(work.shard_finished(3));
  EXPECT_EQ(work.unfinished_shards(4), (std::vector<std::size_t>{0, 1, 3}));
  unsetenv("SLURM_ARRAY_TASK_ID");
  unsetenv("SLURM_CPUS_PER_TASK");
  unsetenv("FAKE_EXIT");
}

TEST_F(SlurmFiles, JobScriptWithRunsAndJsonRenamesThemBeforeTheCsv) {
  const SweepWorkDirectory work(dir_);
  fs::create_directories(work.shards_dir());
  const fs::path script = dir_ / "job.sh";
  std::ofstream(script) << slurm_job_script(write_fake_cli(dir_), dir_, 2, Scenario::Clock::real, {true, true});
  setenv("SLURM_ARRAY_TASK_ID", "1", 1);
  const ProgramResult r = run_program({"sh", script.string()});
  unsetenv("SLURM_ARRAY_TASK_ID");
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(slurp(dir_ / "args.txt"),
            "sweep\nscenario.json\n--definition\nsweep.json\n--clock\nreal\n--shard\n1/2\n--threads\n1\n"
            "--csv-runs\nshards/shard-1.runs.csv.partial\n--json\nshards/shard-1.json.partial\n"
            "--csv\nshards/shard-1.csv.partial\n");
  EXPECT_TRUE(fs::exists(work.shard_runs_csv(1)));
  EXPECT_TRUE(fs::exists(work.shard_json(1)));
  EXPECT_TRUE(work.shard_finished(1));
  for (const auto& entry : fs::directory_iterator(work.shards_dir()))
    EXPECT_EQ(entry.path().extension() == ".partial", false) << entry.path();
}

TEST_F(SlurmFiles, WorkDirectoryIsCreatedOnceAndRefusesASecondSweep) {
  const SweepWorkDirectory work(dir_ / "wd");
  Scenario s;
  s.nodes = default_nodes(2);
  SweepDefinition d;
  d.parameters.push_back(parse_sweep_parameter("rate=100,200"));
  d.seeds = 2;
  work.create(s, d);
  EXPECT_TRUE(fs::is_directory(work.shards_dir()));
  EXPECT_TRUE(fs::is_directory(work.logs_dir()));
  EXPECT_NE(slurp(work.definition_file()).find("rate=100,200"), std::string::npos);
  EXPECT_NE(slurp(work.scenario_file()).find("\"nodes\""), std::string::npos);
  work.create(s, d);  // nothing submitted yet: it may be written again
  work.write_file(work.submitted_file(), "{}");
  try {
    work.create(s, d);
    FAIL() << "a second sweep in the same directory";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("already holds a submitted sweep: continue it with --resume"),
              std::string::npos)
        << e.what();
  }
  std::ofstream(work.shard_log(1)) << "1\n2\n3\n4\n5\n";
  EXPECT_EQ(work.log_tail(1, 3), "3\n4\n5");
  EXPECT_EQ(work.log_tail(1, 10), "1\n2\n3\n4\n5");
  EXPECT_NE(work.log_tail(0, 3).find("(no log"), std::string::npos);
}

TEST_F(SlurmFiles, AWorkDirectoryUnderAFileCannotBeCreated) {
  std::ofstream(dir_ / "file") << "x";
  const SweepWorkDirectory work(dir_ / "file" / "wd");
  try {
    work.create(Scenario{}, SweepDefinition{});
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "--workdir");
    EXPECT_NE(e.problem().find("cannot create the directory"), std::string::npos) << e.what();
  }
}

TEST(SweepWorkDirectory, PathsAreAbsoluteForTasksThatRunElsewhere) {
  const SweepWorkDirectory work("relative/dir/");
  EXPECT_TRUE(work.root().is_absolute());
  EXPECT_EQ(work.root().filename(), "dir");
  EXPECT_EQ(work.shard_log_pattern().filename(), "shard-%a.log");
}

}  // namespace
}  // namespace loadlab::cli
