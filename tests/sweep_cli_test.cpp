// `loadlab-cli sweep` and `merge` end to end: the real binary, files read back.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "cli_harness.h"
#include "csv_table.h"
#include "sweep/run_metrics.h"

namespace {

using loadlab::test::Cli;
using loadlab::test::cli;
using loadlab::test::cli_env;
using loadlab::test::read_csv;
using loadlab::test::Result;
using loadlab::test::slurp;
namespace fs = std::filesystem;

const std::string kSweep =
    "sweep --nodes 3 --requests 3000 --hit-us 50 --miss-us 400 --vary rate=1000:3000:1000 "
    "--vary balancer=round-robin,p2c --seeds 3 -q";

TEST_F(Cli, SweepWritesTheDocumentedColumns) {
  const Result r =
      cli(kSweep + " --csv " + path("s.csv") + " --csv-runs " + path("runs.csv") + " --json " + path("s.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto table = read_csv(path("s.csv"));
  std::vector<std::string> expected{"point", "rate", "balancer", "seeds", "warmup_s"};
  for (const auto& m : loadlab::kRunMetrics) {
    expected.emplace_back(m.name);
    expected.push_back(std::string(m.name) + "_ci95");
  }
  EXPECT_EQ(table.columns, expected);
  ASSERT_EQ(table.rows.size(), 6u);
  EXPECT_EQ(table.rows[0].at("rate"), "1000");
  EXPECT_EQ(table.rows[1].at("balancer"), "p2c");
  EXPECT_EQ(table.rows[5].at("point"), "5");
  for (const auto& row : table.rows) {
    EXPECT_EQ(row.at("seeds"), "3");
    EXPECT_NEAR(std::stod(row.at("throughput_rps")), std::stod(row.at("rate")), 0.1 * std::stod(row.at("rate")));
    EXPECT_GT(std::stod(row.at("p99_us_ci95")), 0);
    EXPECT_EQ(row.at("failures"), "0");
    EXPECT_EQ(row.at("availability"), "1");
  }
  // Latency rises with load at every balancer.
  EXPECT_LT(std::stod(table.rows[0].at("mean_us")), std::stod(table.rows[4].at("mean_us")));
  // Round robin has a share theory; p2c does not (an empty cell).
  EXPECT_FALSE(table.rows[0].at("share_error").empty());
  EXPECT_TRUE(table.rows[1].at("share_error").empty());

  const auto runs = read_csv(path("runs.csv"));
  ASSERT_EQ(runs.rows.size(), 18u);
  EXPECT_EQ(runs.rows[0].at("replication"), "0");
  EXPECT_EQ(runs.rows[0].at("seed"), "1");
  EXPECT_EQ(runs.rows[2].at("replication"), "2");
  EXPECT_NE(slurp(path("s.json")).find("\"p99_us\": {"), std::string::npos);
}

TEST_F(Cli, SweepIsByteIdenticalRunAfterRunAndAtAnyThreadCount) {
  ASSERT_EQ(cli(kSweep + " --threads 1 --csv " + path("a.csv") + " --csv-runs " + path("ra.csv")).exit_code, 0);
  ASSERT_EQ(cli(kSweep + " --threads 1 --csv " + path("b.csv") + " --csv-runs " + path("rb.csv")).exit_code, 0);
  ASSERT_EQ(cli(kSweep + " --threads 2 --csv " + path("c.csv") + " --csv-runs " + path("rc.csv")).exit_code, 0);
  const std::string a = slurp(path("a.csv"));
  EXPECT_GT(a.size(), 500u);
  EXPECT_EQ(a, slurp(path("b.csv")));
  EXPECT_EQ(a, slurp(path("c.csv")));
  EXPECT_EQ(slurp(path("ra.csv")), slurp(path("rc.csv")));
}

TEST_F(Cli, ThreeShardsMergedEqualTheWholeSweep) {
  ASSERT_EQ(cli(kSweep + " --csv " + path("whole.csv")).exit_code, 0);
  std::string files;
  for (int i = 0; i < 3; ++i) {
    const std::string f = path("shard" + std::to_string(i) + ".csv");
    const Result r = cli(kSweep + " --shard " + std::to_string(i) + "/3 --csv " + f);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(read_csv(f).rows.size(), 2u);
    files = f + " " + files;  // merged in any order
  }
  const Result m = cli("merge " + files + "--csv " + path("merged.csv"));
  ASSERT_EQ(m.exit_code, 0) << m.output;
  EXPECT_EQ(slurp(path("merged.csv")), slurp(path("whole.csv")));
}

TEST_F(Cli, MergeRefusesShardsOfDifferentSweeps) {
  ASSERT_EQ(cli(kSweep + " --shard 0/2 --csv " + path("a.csv")).exit_code, 0);
  ASSERT_EQ(cli("sweep --nodes 3 --requests 1000 --vary rate=1000,2000 --seeds 2 -q --shard 1/2 --csv " + path("b.csv"))
                .exit_code,
            0);
  const Result r = cli("merge " + path("a.csv") + " " + path("b.csv") + " --csv " + path("m.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not a shard of the same sweep"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("m.csv")));
  const Result missing = cli("merge " + path("nope.csv") + " --csv " + path("m.csv"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("nope.csv' does not exist"), std::string::npos) << missing.output;
}

TEST_F(Cli, MergeRefusesAShardMissingFromTheMiddle) {
  // Shards 0 and 2 of 3 hold points 0, 2, 3, 5: points 1 and 4 (shard 1) are missing.
  ASSERT_EQ(cli(kSweep + " --shard 0/3 --csv " + path("s0.csv")).exit_code, 0);
  ASSERT_EQ(cli(kSweep + " --shard 2/3 --csv " + path("s2.csv")).exit_code, 0);
  const Result r = cli("merge " + path("s0.csv") + " " + path("s2.csv") + " --csv " + path("m.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("points 1, 4 are missing"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("m.csv")));
}

TEST_F(Cli, SweepAssertionsPassWithZeroAndFailWith99NamingEach) {
  const std::string base = "sweep --nodes 3 --requests 2000 --vary rate=500,3000 --seeds 2 -q ";
  const Result pass = cli(base + "--assert 'availability>=0.999' --assert 'p99_us<1e9'");
  EXPECT_EQ(pass.exit_code, 0) << pass.output;
  const Result fail = cli(base + "--assert 'p99_us<1' --assert 'throughput_rps>1000' --csv " + path("f.csv"));
  EXPECT_EQ(fail.exit_code, 99) << fail.output;
  EXPECT_NE(fail.output.find("assertion failed: p99_us<1 at rate=500"), std::string::npos) << fail.output;
  EXPECT_NE(fail.output.find("assertion failed: p99_us<1 at rate=3000"), std::string::npos) << fail.output;
  EXPECT_NE(fail.output.find("assertion failed: throughput_rps>1000 at rate=500"), std::string::npos) << fail.output;
  EXPECT_EQ(fail.output.find("throughput_rps>1000 at rate=3000"), std::string::npos) << fail.output;
  EXPECT_EQ(read_csv(path("f.csv")).rows.size(), 2u);  // the results are still written
}

TEST_F(Cli, RunAssertionsAndJson) {
  const std::string base = "run --nodes 3 --requests 2000 --clock virtual -q ";
  EXPECT_EQ(cli(base + "--assert 'failures==0' --json " + path("r.json")).exit_code, 0);
  EXPECT_NE(slurp(path("r.json")).find("\"p999_us\": "), std::string::npos);
  const Result fail = cli(base + "--assert 'hit_ratio>0.99'");
  EXPECT_EQ(fail.exit_code, 99);
  EXPECT_NE(fail.output.find("assertion failed: hit_ratio>0.99 (hit_ratio = 0.0"), std::string::npos) << fail.output;
  const Result bad = cli(base + "--assert 'p98_us<5'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("unknown metric 'p98_us'"), std::string::npos) << bad.output;
}

TEST_F(Cli, BadSweepSpecsExit2WithAClearMessageAndWriteNothing) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--vary rate=1:10:5 --vary rate=3", "varied twice"},
      {"--vary rate=5000:1000:100", "lo 5000 is greater than hi 1000"},
      {"--vary rate=1000:5000:0", "step 0 must be greater than 0"},
      {"--vary rate=", "empty SPEC"},
      {"--vary rate=2000:1000:x3", "lo 2000 is greater than hi 1000"},
      {"--vary colour=red", "unknown parameter 'colour'"},
      {"--vary weight:q=1,2", "unknown node 'q'"},
      {"--vary balancer=round-robin,nope", "unknown balancer 'nope'"},
      {"--vary rate=1000 --seeds 0", "--seeds: 0"},
      {"--vary rate=1000 --shard 3/3", "--shard: '3/3'"},
      {"--vary rate=1000 --assert 'p99_us<<3'", "is not a number"},
      {"--vary rate=1000 --warmup -1", "warmup_s"},
  };
  for (const auto& [flags, message] : cases) {
    const Result r =
        cli("sweep --nodes 3 --requests 1000 " + flags + " --csv " + path("out.csv") + " --json " + path("out.json"));
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << flags << "\n" << r.output;
    EXPECT_FALSE(fs::exists(path("out.csv"))) << flags;
    EXPECT_FALSE(fs::exists(path("out.json"))) << flags;
  }
}

TEST_F(Cli, SweepWarmupLeavesTheStartOut) {
  const std::string base =
      "sweep --nodes 3 --requests 4000 --rate 1000 --arrival constant --vary balancer=round-robin --seeds 1 -q ";
  ASSERT_EQ(cli(base + "--csv " + path("cold.csv")).exit_code, 0);
  ASSERT_EQ(cli(base + "--warmup 2 --csv " + path("warm.csv")).exit_code, 0);
  const auto warm = read_csv(path("warm.csv")).rows.at(0);
  EXPECT_EQ(warm.at("warmup_s"), "2");
  EXPECT_NEAR(std::stod(warm.at("throughput_rps")), 1000, 10);
  EXPECT_EQ(read_csv(path("cold.csv")).rows.at(0).at("warmup_s"), "0");
}

TEST_F(Cli, SweepCtrlCKeepsFinishedPointsAndExits130) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string out = path("int.csv");
    FILE* devnull = freopen("/dev/null", "w", stdout);
    (void)devnull;
    execl(LOADLAB_CLI, LOADLAB_CLI, "sweep", "--nodes", "3", "--requests", "200000", "--vary", "rate=1000:9000:100",
          "--seeds", "2", "--csv", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(child, SIGINT);
  int status = 0;
  const auto t0 = std::chrono::steady_clock::now();
  waitpid(child, &status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto table = read_csv(path("int.csv"));
  EXPECT_LT(table.rows.size(), 81u);                   // stopped before the end ...
  for (std::size_t i = 1; i < table.rows.size(); ++i)  // ... keeping whole points in grid order
    EXPECT_LT(std::stoul(table.rows[i - 1].at("point")), std::stoul(table.rows[i].at("point")));
  for (const auto& row : table.rows) EXPECT_EQ(row.at("seeds"), "2");
}

TEST_F(Cli, SweepOnTheRealClockSaysHowLongItWillTake) {
  const Result r =
      cli("sweep --nodes 2 --requests 300 --rate 3000 --vary rate=3000,6000 --seeds 1 --clock real --csv " +
          path("real.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("on the real clock"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("this will take about"), std::string::npos) << r.output;
  EXPECT_EQ(read_csv(path("real.csv")).rows.size(), 2u);
}

TEST_F(Cli, ADefinitionFileRunsTheSameSweepByteForByte) {
  write("sweep.json", "{\"vary\": [\"rate=1000:3000:1000\", \"balancer=round-robin,p2c\"], \"seeds\": 3}");
  ASSERT_EQ(cli(kSweep + " --csv " + path("flags.csv")).exit_code, 0);
  const Result r = cli("sweep --nodes 3 --requests 3000 --hit-us 50 --miss-us 400 -q --definition " +
                       path("sweep.json") + " --csv " + path("file.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(slurp(path("file.csv")), slurp(path("flags.csv")));
  const Result both = cli("sweep --nodes 3 --definition " + path("sweep.json") + " --vary rate=1");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.output.find("--definition: gives the sweep's --vary and --seeds"), std::string::npos) << both.output;
  const Result neither = cli("sweep --nodes 3 --requests 100");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.output.find("--vary: give at least one --vary"), std::string::npos) << neither.output;
}

// Stand-ins for sbatch, squeue and scancel that only record that they were called: whatever
// the bad input, none of them may run.
std::string fake_slurm_path(const fs::path& dir) {
  const fs::path bin = dir / "fake-slurm";
  fs::create_directories(bin);
  for (const char* name : {"sbatch", "squeue", "scancel"}) {
    std::ofstream(bin / name) << "#!/bin/sh\necho " << name << " \"$@\" >> " << (dir / "slurm-calls.txt").string()
                              << "\nexit 1\n";
    fs::permissions(bin / name, fs::perms::owner_all);
  }
  return "PATH=" + bin.string() + ":/usr/bin:/bin";
}

TEST_F(Cli, BadExecutorInputExits2AndSubmitsNothing) {
  const std::string env = fake_slurm_path(dir_);
  const std::string base = "sweep --nodes 3 --requests 1000 --vary rate=1000,2000 --seeds 2 --csv " + path("o.csv");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--executor kubernetes", "--executor: unknown executor 'kubernetes' (known: local, slurm)"},
      {"--executor slurm --jobs 0", "--jobs: 0: the sweep needs at least one Slurm task"},
      {"--executor slurm --jobs -3", "--jobs"},
      {"--executor slurm --workdir " + path("o.csv") + "/wd", "--workdir: cannot create the directory"},
      {"--executor slurm --shard 0/2", "--shard: is what --executor slurm gives each task"},
      {"--executor slurm --json " + path("nowhere/o.json"), "--json: cannot write '" + path("nowhere/o.json")},
      {"--executor slurm --csv-runs " + path("o.csv") + "/runs.csv", "--csv-runs: cannot write '" + path("o.csv")},
      {"--executor slurm --sbatch-arg=--array=0-9", "--sbatch-arg: '--array=0-9': the executor sets the array"},
      {"--executor slurm --sbatch-arg=-a1-3", "--sbatch-arg: '-a1-3': the executor sets the array"},
      {"--executor slurm --sbatch-arg=--output=x.log", "'--output=x.log': the executor writes each shard's log"},
      {"--executor slurm --sbatch-arg=-e --sbatch-arg=err.log", "'-e': the executor keeps each shard's errors"},
      {"--executor slurm --sbatch-arg=--wrap=hostname", "'--wrap=hostname': the executor submits its own job script"},
      {"--executor slurm --threads 4", "--threads: with --executor slurm each task uses the CPUs Slurm gives it"},
      {"--executor slurm --assert 'p99_us<<5'", "is not a number"},
      {"--jobs 4", "--jobs: is for --executor slurm"},
      {"--sbatch-arg=--time=5", "--sbatch-arg: is for --executor slurm"},
      {"--workdir " + path("wd"), "--workdir: is for --executor slurm"},
      {"--executor local --resume " + path("wd"), "--resume: runs the sweep saved in"},
  };
  std::ofstream(path("o.csv")) << "a file where the work directory's parent should be";
  for (const auto& [flags, message] : cases) {
    const Result r = cli_env(env, base + " " + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << flags << "\n" << r.output;
  }
  const Result no_csv = cli_env(env, "sweep --nodes 3 --requests 1000 --vary rate=1000 --executor slurm");
  EXPECT_EQ(no_csv.exit_code, 2);
  EXPECT_NE(no_csv.output.find("--csv: --executor slurm merges the shards into one file: give --csv FILE"),
            std::string::npos)
      << no_csv.output;
  const Result resume = cli_env(env, "sweep --resume " + path("nowhere"));
  EXPECT_EQ(resume.exit_code, 2);
  EXPECT_NE(resume.output.find("--resume: '" + path("nowhere") + "' is not a directory"), std::string::npos)
      << resume.output;
  fs::create_directories(path("empty"));
  const Result resume_empty = cli_env(env, "sweep --resume " + path("empty"));
  EXPECT_EQ(resume_empty.exit_code, 2);
  EXPECT_NE(resume_empty.output.find("holds no submitted sweep (no submitted.json)"), std::string::npos)
      << resume_empty.output;
  EXPECT_FALSE(fs::exists(path("slurm-calls.txt"))) << slurp(path("slurm-calls.txt"));
}

TEST_F(Cli, SbatchArgsReachSbatchInOrderAndARefusalLeavesNoDefaultWorkDirectory) {
  const std::string env = "cd " + dir_.string() + " && " + fake_slurm_path(dir_);
  const Result r = cli_env(env,
                           "sweep --executor slurm --sbatch-arg=--partition=short --sbatch-arg --time=5 "
                           "--sbatch-arg=-A --sbatch-arg 'proj 42' --nodes 3 --requests 1000 --vary rate=1000,2000 "
                           "--jobs 2 --csv " +
                               path("o.csv"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("sbatch --test-only refused the job, nothing was submitted"), std::string::npos) << r.output;
  // One call, the check: the executor's own arguments, then the user's as given, then the script.
  const std::string calls = slurp(path("slurm-calls.txt"));
  EXPECT_EQ(std::count(calls.begin(), calls.end(), '\n'), 1) << calls;
  EXPECT_EQ(calls.rfind("sbatch --parsable --test-only --array=0-1 --job-name=loadlab-sweep --chdir=", 0), 0u) << calls;
  EXPECT_NE(calls.find("/logs/shard-%a.log --partition=short --time=5 -A proj 42 "), std::string::npos) << calls;
  EXPECT_NE(calls.find("/sweep-shard.sh\n"), std::string::npos) << calls;
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().rfind("loadlab-sweep-", 0), std::string::npos) << entry.path();
  EXPECT_FALSE(fs::exists(path("o.csv")));
}

TEST_F(Cli, SlurmExecutorWithoutSbatchOnPathNamesThePackage) {
  fs::create_directories(path("empty-bin"));
  const Result r =
      cli_env("PATH=" + path("empty-bin"), "sweep --nodes 3 --requests 1000 --vary rate=1000 --executor slurm --csv " +
                                               path("o.csv") + " --workdir " + path("wd"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("slurm needs 'sbatch', which is not on PATH"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("package slurm-client"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("wd")));
  EXPECT_FALSE(fs::exists(path("o.csv")));
}

}  // namespace

namespace {

// `plot` draws with Qt (the GUI build); a loadlab-cli built without it says so, exit 2.
TEST_F(Cli, PlotDrawsASweepAsPngAndSvg) {
  ASSERT_EQ(cli(kSweep + " --csv " + path("s.csv")).exit_code, 0);
  const Result png = cli("plot " + path("s.csv") + " --x rate --y p99_us --by balancer --target 2000 --out " +
                         path("p.png") + " --size 800x500");
#ifndef LOADLAB_CLI_PLOT
  EXPECT_EQ(png.exit_code, 2);
  EXPECT_NE(png.output.find("built without the window"), std::string::npos) << png.output;
  GTEST_SKIP() << "loadlab-cli built without the window";
#endif
  ASSERT_EQ(png.exit_code, 0) << png.output;
  const std::string bytes = slurp(path("p.png"));
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  const Result svg = cli("plot " + path("s.csv") + " --x rate --y mean_us --by balancer --out " + path("p.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.output;
  const std::string text = slurp(path("p.svg"));
  EXPECT_NE(text.find("<svg"), std::string::npos);
  // The legend names each curve and the formula drawn beside them.
  for (const char* label : {"round-robin", "p2c", "theory"}) EXPECT_NE(text.find(label), std::string::npos) << label;
}

TEST_F(Cli, PlotBadInputExits2NamingTheFlagAndWritesNothing) {
  ASSERT_EQ(cli(kSweep + " --csv " + path("s.csv")).exit_code, 0);
  std::ofstream(path("broken.csv")) << "point,rate,seeds,p99_us\n0,1000,3,fast\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plot " + path("s.csv") + " --x zipf --out " + path("o.png"), "--x 'zipf': not a parameter of this sweep"},
      {"plot " + path("s.csv") + " --x balancer --out " + path("o.png"), "is not a number"},
      {"plot " + path("s.csv") + " --x rate --y p98_us --out " + path("o.png"), "--y 'p98_us'"},
      {"plot " + path("s.csv") + " --x rate --by rate --out " + path("o.png"), "--by 'rate': the same parameter as x"},
      {"plot " + path("s.csv") + " --x rate --target fast --out " + path("o.png"), "--target 'fast'"},
      {"plot " + path("s.csv") + " --x rate --out " + path("o.gif"), "--out"},
      {"plot " + path("s.csv") + " --x rate --size 10x10 --out " + path("o.png"), "--size"},
      {"plot " + path("s.csv") + " --x rate --size big --out " + path("o.png"), "--size 'big'"},
      {"plot " + path("missing.csv") + " --x rate --out " + path("o.png"), "does not exist"},
      {"plot " + dir_.string() + " --x rate --out " + path("o.png"), "is a directory"},
      {"plot " + path("broken.csv") + " --x rate --out " + path("o.png"), "line 2: p99_us 'fast' is not a number"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = cli(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << "\n" << r.output;
  }
  EXPECT_FALSE(fs::exists(path("o.png")));
}

}  // namespace
