// End to end: the real loadlab-cli binary in a child process, real files read back.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cachesim/zstd_output.h"
#include "cli_harness.h"
#include "csv_table.h"
#include "metrics/csv_export.h"

namespace fs = std::filesystem;
using loadlab::test::Cli;
using loadlab::test::cli;
using loadlab::test::read_csv;
using loadlab::test::Result;
using loadlab::test::slurp;

namespace {

std::vector<std::string> split(const std::string& s) { return loadlab::test::split_csv_line(s); }

TEST_F(Cli, RunWritesSummaryAndTimeseriesThatParse) {
  const Result r =
      cli("run --nodes 3 --balancer weighted-round-robin --weights 5,3,1 --rate 20000 "
          "--requests 6000 --hit-us 10 --miss-us 30 --csv " +
          path("out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("expected"), std::string::npos);
  EXPECT_NE(r.output.find("55.6%"), std::string::npos) << r.output;

  const auto summary = read_csv(path("out/summary.csv"));
  EXPECT_EQ(summary.columns, split(loadlab::kSummaryColumns));
  ASSERT_EQ(summary.rows.size(), 4u);
  EXPECT_EQ(summary.rows[0].at("node"), "a");
  EXPECT_EQ(summary.rows[3].at("node"), "total");
  EXPECT_EQ(summary.rows[3].at("requests"), "6000");
  EXPECT_EQ(summary.rows[0].at("requests"), "3333");  // 666 cycles of 9, then a b a c a b
  EXPECT_NEAR(std::stod(summary.rows[0].at("share")), 5.0 / 9, 0.001);
  EXPECT_NEAR(std::stod(summary.rows[2].at("expected_share")), 1.0 / 9, 1e-6);
  for (const auto& row : summary.rows) {
    EXPECT_FALSE(row.count("__width_mismatch"));
    EXPECT_GE(std::stod(row.at("p99_us")), std::stod(row.at("p50_us")));
  }

  const auto series = read_csv(path("out/timeseries.csv"));
  EXPECT_EQ(series.columns, split(loadlab::kTimeseriesColumns));
  ASSERT_GE(series.rows.size(), 3u);
  EXPECT_EQ(series.rows.size() % 3, 0u);  // one row per node per interval
  std::uint64_t total = 0;
  for (const auto& row : series.rows) total += std::stoull(row.at("requests"));
  EXPECT_EQ(total, 6000u);  // the intervals add up to the whole run
}

std::string file_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(Cli, VirtualClockWritesByteIdenticalCsvRunAfterRun) {
  // Busy the machine on purpose between the two runs: the virtual clock must not notice.
  const std::string args =
      "run --clock virtual --nodes 5 --balancer p2c --rate 8000 --requests 200000 --zipf 0.9 "
      "--service lognormal --service-p99-us 3000 --fault 5:kill:b --fault 10:revive:b --csv ";
  const Result a = cli(args + path("a"));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  std::thread noise([] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    volatile std::uint64_t x = 0;
    while (std::chrono::steady_clock::now() < until) x = x + 1;
  });
  const Result b = cli(args + path("b"));
  noise.join();
  ASSERT_EQ(b.exit_code, 0) << b.output;
  for (const char* f : {"summary.csv", "timeseries.csv"}) {
    const std::string x = file_bytes(path(std::string("a/") + f)), y = file_bytes(path(std::string("b/") + f));
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, y) << f << " differs between two runs of the same seed";
  }
  // 200,000 requests at 8,000/s: 25 s of virtual time, whatever the wall clock said.
  EXPECT_NE(a.output.find("elapsed 25."), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("theory: mean latency"), std::string::npos) << a.output;
}

TEST_F(Cli, ScenarioFileWithFlagOverride) {
  const std::string file = write("s.json", R"({"name": "t", "nodes": [{"weight": 1}, {"weight": 1}],
    "workload": {"rate": 20000, "requests": 1000}, "service": {"hit_us": 5, "miss_us": 5}})");
  const Result r = cli("run " + file + " --requests 500 --csv " + path("o"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = read_csv(path("o/summary.csv"));
  ASSERT_EQ(summary.rows.size(), 3u);
  EXPECT_EQ(summary.rows[2].at("requests"), "500");
}

TEST_F(Cli, SaveScenarioReproducesTheRun) {
  const std::string args = "--nodes 3 --balancer random --rate 20000 --requests 2000 --seed 5 --hit-us 5 --miss-us 5";
  ASSERT_EQ(cli("run " + args + " --save-scenario " + path("s.json") + " --csv " + path("a")).exit_code, 0);
  ASSERT_EQ(cli("run " + path("s.json") + " --csv " + path("b")).exit_code, 0);
  const auto a = read_csv(path("a/summary.csv")), b = read_csv(path("b/summary.csv"));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a.rows[i].at("requests"), b.rows[i].at("requests"));
    EXPECT_EQ(a.rows[i].at("hits"), b.rows[i].at("hits"));
  }
}

struct BadCase {
  std::string args;
  std::string message;
};

TEST_F(Cli, BadInputExitsTwoNamesTheFieldAndWritesNothing) {
  const std::string broken = write("broken.json", "{\"nodes\": 3,,}");
  const std::string unknown = write("unknown.json", "{\"nodez\": 3}");
  // 200,000 nested arrays once overflowed the stack when the error message printed them.
  const std::string deep =
      write("deep.json", "{\"nodes\": " + std::string(200000, '[') + std::string(200000, ']') + "}");
  fs::create_directories(path("a-directory"));
  const std::vector<BadCase> cases = {
      {"run --weights 5,-1,1", "nodes[1].weight"},
      {"run --weights 5,nan,1", "nodes[1].weight: must be a finite number >= 0 (got nan)"},
      {"run --weights 5,x,1", "--weights: 'x' is not a number"},
      {"run --weights 0,0", "all weights are 0"},
      {"run --nodes 0", "nodes: a scenario needs at least one node (got 0)"},
      {"run --nodes 100000", "at most 1024 nodes"},
      {"run --nodes 200000 --clock virtual", "at most 100000 nodes"},
      {"run --clock warp", "--clock: unknown value 'warp'"},
      {"run --nodes 3 --weights 1,2", "--weights: 2 values given for 3 nodes"},
      {"run --balancer magic", "unknown balancer 'magic'"},
      {"run --cache mru", "unknown cache policy 'mru'"},
      {"run --rate -5", "workload.rate"},
      {"run --mode burst", "--mode: unknown value 'burst'"},
      {"run --requests 0", "give --requests or --duration"},
      {"run " + broken, "not valid JSON"},
      {"run " + unknown, "nodez: unknown field"},
      {"run " + path("missing.json"), "scenario file '" + path("missing.json") + "' does not exist"},
      {"run " + deep, "JSON nested deeper than 64 levels"},
      {"run " + path("a-directory"), "scenario file '" + path("a-directory") + "' is a directory"},
      {"cachesim " + path("a-directory"), "trace '" + path("a-directory") + "' is a directory"},
      {"run --no-such-flag", "no-such-flag"},
      {"frobnicate", "unknown command 'frobnicate'"},
      {"run -b maglev --table-size 1000", "balancer.table_size: must be a prime"},
      {"run -b p2c --choices 0", "balancer.choices"},
      {"run -b bounded-load --balance-factor 0.9", "balancer.balance_factor: must be > 1"},
      {"compare --balancers p2c,magic -n 10", "--balancers: unknown balancer 'magic'"},
      {"compare --balancers , -n 10", "give at least one balancer"},
      {"run --fault 5:explode:b", "--fault: '5:explode:b': unknown action 'explode'"},
      {"run --fault 5:kill:z", "unknown node 'z'"},
      {"run --fault x:kill:a", "'x' is not a number"},
      {"run --fault 5:kill:a --fault -1:revive:a", "faults[1].at_s"},
  };
  for (const BadCase& c : cases) {
    const Result r = cli(c.args + " --csv " + path("never"));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(path("never"))) << c.args;
  }
}

TEST_F(Cli, HelpAndVersionAndList) {
  const Result help = cli("run --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--nodes", "--weights", "--balancer", "--cache", "--rate", "--requests", "--csv", "--max",
                           "--zipf", "--seed", "--clients"})
    EXPECT_NE(help.output.find(flag), std::string::npos) << flag;
  const Result top = cli("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.output.find("Exit codes"), std::string::npos);
  const Result version = cli("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find(LOADLAB_VERSION_STRING), std::string::npos);
  const Result list = cli("list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("weighted-round-robin"), std::string::npos);
  EXPECT_NE(list.output.find("lru"), std::string::npos);
}

TEST_F(Cli, EveryPresetRuns) {
  int presets = 0;
  for (const auto& entry : fs::directory_iterator(LOADLAB_PRESETS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++presets;
    const Result r = cli("run " + entry.path().string() + " --requests 400 --rate 20000 --csv " + path("p"));
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.output;
    EXPECT_EQ(read_csv(path("p/summary.csv")).rows.back().at("requests"), "400") << entry.path();
  }
  EXPECT_GE(presets, 3);
}

TEST_F(Cli, InterruptStopsCleanlyAndStillWritesCsv) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string out = path("int");
    FILE* devnull = freopen("/dev/null", "w", stdout);
    (void)devnull;
    execl(LOADLAB_CLI, LOADLAB_CLI, "run", "--nodes", "2", "--rate", "2000", "--miss-us", "2000", "--hit-us", "2000",
          "--duration", "60", "--csv", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(child, SIGINT);
  int status = 0;
  const auto t0 = std::chrono::steady_clock::now();
  waitpid(child, &status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto summary = read_csv(path("int/summary.csv"));
  ASSERT_EQ(summary.rows.size(), 3u);
  const auto& total = summary.rows[2];
  EXPECT_GT(std::stoull(total.at("requests")), 100u);
  EXPECT_GT(std::stoull(total.at("failed")), 0u);  // offered 2000/s to 1000/s of capacity
}

TEST_F(Cli, CompareRunsEachBalancerOnTheSameWorkloadAndWritesOneTable) {
  const Result r =
      cli("compare --balancers round-robin,p2c,ring-hash,key-hash --nodes 4 --rate 20000 "
          "--requests 4000 --hit-us 20 --miss-us 40 --keys 5000 --csv " +
          path("cmp"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto table = read_csv(path("cmp/compare.csv"));
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.columns.front(), "balancer");
  const std::vector<std::string> names{"round-robin", "p2c", "ring-hash", "key-hash"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(table.rows[i].at("balancer"), names[i]);
    EXPECT_EQ(table.rows[i].at("requests"), "4000");
    EXPECT_GT(std::stod(table.rows[i].at("jain")), 0.5);
  }
  // Round robin splits exactly; keys moved is defined only for the hashing balancers, and
  // consistent hashing moves far fewer keys than hash mod n.
  EXPECT_LT(std::stod(table.rows[0].at("share_error")), 0.001);
  EXPECT_EQ(table.rows[0].at("keys_moved_remove"), "");
  EXPECT_EQ(table.rows[1].at("keys_moved_remove"), "");
  const double ring = std::stod(table.rows[2].at("keys_moved_remove"));
  const double modulo = std::stod(table.rows[3].at("keys_moved_remove"));
  EXPECT_NEAR(std::stod(table.rows[2].at("keys_moved_ideal")), 0.25, 1e-9);
  EXPECT_LT(ring, 0.4);
  EXPECT_GT(modulo, 0.7);
  EXPECT_NE(r.output.find("share err"), std::string::npos);
}

TEST_F(Cli, BalancerTuningFromFileAndFlags) {
  const std::string file = write("tuned.json", R"({"nodes": 3, "balancer": {"policy": "p2c", "choices": 3},
      "workload": {"rate": 20000, "requests": 1000}, "service": {"hit_us": 10, "miss_us": 20}})");
  const Result r = cli("run " + file + " --save-scenario " + path("saved.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(path("saved.json"));
  std::stringstream saved;
  saved << in.rdbuf();
  EXPECT_NE(saved.str().find("\"choices\": 3"), std::string::npos) << saved.str();
  const Result bad = cli("run " + write("bad.json", R"({"nodes": 2, "balancer": {"policy": "p2c", "choises": 3}})"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("balancer.choises: unknown field"), std::string::npos) << bad.output;
}

TEST_F(Cli, TraceThenCachesimWritesTheDocumentedTable) {
  ASSERT_EQ(cli("trace --zipf 1.0 --keys 2000 --requests 50000 --seed 3 --out " + path("z.oracleGeneral")).exit_code,
            0);
  const Result r = cli("cachesim " + path("z.oracleGeneral") +
                       " --sizes 100,0.1 --policies lru,fifo,sieve,belady --csv " + path("sim.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto table = read_csv(path("sim.csv"));
  std::string header;
  for (const auto& c : table.columns) header += (header.empty() ? "" : ",") + c;
  EXPECT_EQ(header, "policy,cache_size,requests,misses,miss_ratio,mreq_per_s,model_miss_ratio");
  ASSERT_EQ(table.rows.size(), 8u);  // 4 policies x 2 sizes
  for (const auto& row : table.rows) EXPECT_EQ(row.at("requests"), "50000");
  // The model is given for lru and fifo only, and lands near the measurement.
  EXPECT_NEAR(std::stod(table.rows[0].at("model_miss_ratio")), std::stod(table.rows[0].at("miss_ratio")), 0.02);
  EXPECT_EQ(table.rows[4].at("model_miss_ratio"), "");
  // belady is the lower bound at each size.
  EXPECT_LE(std::stod(table.rows[6].at("miss_ratio")), std::stod(table.rows[0].at("miss_ratio")));
}

TEST_F(Cli, CachesimHillClimbAndSampleMinimumAreOptions) {
  // A drifting working set, where the climber grows the window (w_tiny_lfu_test.cpp).
  std::string text;
  std::uint64_t state = 9;
  for (std::uint64_t i = 0; i < 60'000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    text += std::to_string(i / 4 + (state >> 33) % 2000) + "\n";
  }
  write("drift.txt", text);
  const auto misses = [&](const std::string& flags) {
    const Result r =
        cli("cachesim " + path("drift.txt") + " --policies wtinylfu --sizes 1000 -q --csv " + path("w.csv") + flags);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return std::stoull(read_csv(path("w.csv")).rows.at(0).at("misses"));
  };
  EXPECT_LT(misses(" --hill-climb"), misses(""));
  // Sampled at 1%, size 1000 would be a miniature of 10: with the default minimum of 1,000
  // objects it runs exactly, and says so; with --sample-min-objects 0 it is sampled.
  const Result widened = cli("cachesim " + path("drift.txt") + " --policies lru --sizes 1000 --sample-rate 0.01");
  ASSERT_EQ(widened.exit_code, 0) << widened.output;
  EXPECT_NE(widened.output.find("ran at a higher rate (1: exactly): 1000 at 1"), std::string::npos) << widened.output;
  const Result exact = cli("cachesim " + path("drift.txt") + " --policies lru --sizes 1000 -q --csv " + path("e.csv"));
  ASSERT_EQ(exact.exit_code, 0) << exact.output;
  ASSERT_EQ(
      cli("cachesim " + path("drift.txt") + " --policies lru --sizes 1000 --sample-rate 0.01 -q --csv " + path("s.csv"))
          .exit_code,
      0);
  EXPECT_EQ(read_csv(path("s.csv")).rows.at(0).at("misses"), read_csv(path("e.csv")).rows.at(0).at("misses"));
  ASSERT_EQ(cli("cachesim " + path("drift.txt") +
                " --policies lru --sizes 1000 --sample-rate 0.01 --sample-min-objects 0 -q --csv " + path("s0.csv"))
                .exit_code,
            0);
  EXPECT_NE(read_csv(path("s0.csv")).rows.at(0).at("misses"), read_csv(path("e.csv")).rows.at(0).at("misses"));
  // In a scenario: cache.hill_climb, and --hill-climb on run.
  const Result bad =
      cli("run " + write("hc.json", R"({"nodes": 1, "cache": {"policy": "wtinylfu", "hill_climb": 1}})"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("cache.hill_climb: expected true or false (got 1)"), std::string::npos) << bad.output;
}

TEST_F(Cli, CachesimBadInputNamesTheLineOrValue) {
  write("bad.csv", "key\n1\n\"\"\n");
  const Result bad = cli("cachesim " + path("bad.csv"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("bad.csv:3: empty key"), std::string::npos) << bad.output;
  write("t.txt", "1\n2\n");
  EXPECT_EQ(cli("cachesim " + path("t.txt") + " --sizes 1.5").exit_code, 2);
  EXPECT_EQ(cli("cachesim " + path("t.txt") + " --policies lru,mru").exit_code, 2);
  EXPECT_EQ(cli("trace --zipf -1 --out " + path("x.csv")).exit_code, 2);
}

TEST_F(Cli, CachesimStreamsEveryFormatToTheSameMissesAndSaysWhatItReadTwice) {
  ASSERT_EQ(
      cli("trace --zipf 0.9 --keys 3000 --requests 60000 --seed 8 --out " + path("z.oracleGeneral.zst")).exit_code, 0);
  ASSERT_EQ(cli("trace --zipf 0.9 --keys 3000 --requests 60000 --seed 8 --out " + path("z.txt")).exit_code, 0);
  const std::string policies = " --policies lru,arc,wtinylfu,belady --sizes 30,0.1 --threads 2 --csv ";
  const Result packed = cli("cachesim " + path("z.oracleGeneral.zst") + policies + path("a.csv"));
  const Result text = cli("cachesim " + path("z.txt") + policies + path("b.csv"));
  ASSERT_EQ(packed.exit_code, 0) << packed.output;
  ASSERT_EQ(text.exit_code, 0) << text.output;
  const auto a = read_csv(path("a.csv")), b = read_csv(path("b.csv"));
  ASSERT_EQ(a.rows.size(), 8u);
  ASSERT_EQ(b.rows.size(), 8u);
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_EQ(a.rows[i].at("misses"), b.rows[i].at("misses")) << a.rows[i].at("policy");
    EXPECT_EQ(a.rows[i].at("model_miss_ratio"), b.rows[i].at("model_miss_ratio")) << a.rows[i].at("policy");
  }
  // Fractional sizes cost a counting pass, and belady on a text trace a next-access pass.
  EXPECT_NE(text.output.find("one counting pass"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("belady: the trace has no next-access times"), std::string::npos) << text.output;
  EXPECT_EQ(packed.output.find("belady: the trace has no next-access times"), std::string::npos) << packed.output;
}

TEST_F(Cli, CachesimBrokenStreamsExitTwoNamingTheByteOrLine) {
  ASSERT_EQ(cli("trace --keys 500 --requests 20000 --out " + path("t.oracleGeneral.zst")).exit_code, 0);
  const std::string whole = slurp(path("t.oracleGeneral.zst"));
  write("cut.oracleGeneral.zst", whole.substr(0, whole.size() / 2));
  const Result cut = cli("cachesim " + path("cut.oracleGeneral.zst") + " --sizes 10");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_NE(cut.output.find(fmt::format("ends inside a frame at byte {}", whole.size() / 2)), std::string::npos)
      << cut.output;
  // A zstd file that holds something else: 20 bytes are not a 24-byte record, and a binary
  // blob is not one key per line.
  auto packed = [&](const std::string& name, const std::string& bytes) {
    std::ofstream out(path(name), std::ios::binary);
    loadlab::ZstdOutput z(out);
    z.write(bytes);
    z.finish();
  };
  packed("words.oracleGeneral.zst", "this is not a trace\n");
  const Result words = cli("cachesim " + path("words.oracleGeneral.zst") + " --sizes 10");
  EXPECT_EQ(words.exit_code, 2);
  EXPECT_NE(words.output.find("record 1 is cut short, at byte 0"), std::string::npos) << words.output;
  packed("blob.txt.zst", std::string("GIF89a\x01\x00\x01\x00 \x80\n", 14));
  const Result blob = cli("cachesim " + path("blob.txt.zst") + " --sizes 10");
  EXPECT_EQ(blob.exit_code, 2);
  EXPECT_NE(blob.output.find("blob.txt.zst:1: expected one key per line"), std::string::npos) << blob.output;
  // No requests at all: an empty oracleGeneral file, a text file of comments, an empty frame.
  write("empty.oracleGeneral", "");
  write("comments.txt", "# nothing\n\n");
  packed("nothing.oracleGeneral.zst", "");
  for (const char* name : {"empty.oracleGeneral", "comments.txt", "nothing.oracleGeneral.zst"}) {
    for (const char* sizes : {"10", "0.5"}) {
      const Result r = cli("cachesim " + path(name) + " --sizes " + sizes);
      EXPECT_EQ(r.exit_code, 2) << name << r.output;
      EXPECT_NE(r.output.find("the trace holds no requests"), std::string::npos) << name << r.output;
    }
  }
  // A record cut in half: the byte where it starts.
  const std::string plain_records(24 * 3 + 12, '\x01');
  write("half.oracleGeneral", plain_records);
  const Result half = cli("cachesim " + path("half.oracleGeneral") + " --sizes 10 --policies lru,belady");
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.output.find("record 4 is cut short, at byte 72"), std::string::npos) << half.output;
}

TEST_F(Cli, CachesimSampleRateIsCheckedAndSaysItIsAnEstimate) {
  ASSERT_EQ(cli("trace --keys 5000 --requests 50000 --out " + path("t.oracleGeneral")).exit_code, 0);
  for (const char* bad : {"0", "-0.1", "1.5", "nan", "x"}) {
    const Result r = cli("cachesim " + path("t.oracleGeneral") + " --sizes 100 --sample-rate " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << r.output;
  }
  EXPECT_NE(cli("cachesim " + path("t.oracleGeneral") + " --sizes 100 --sample-rate 2").output.find("--sample-rate"),
            std::string::npos);
  const Result r =
      cli("cachesim " + path("t.oracleGeneral") + " --policies lru --mrc --sample-rate 0.1 --csv " + path("m.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("SHARDS: keys sampled at rate"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(estimated from the sample)"), std::string::npos) << r.output;
  const auto rows = read_csv(path("m.csv")).rows;
  ASSERT_GE(rows.size(), 10u);
  for (std::size_t i = 1; i < rows.size(); ++i)  // a curve: larger caches miss no more
    EXPECT_LE(std::stod(rows[i].at("miss_ratio")), std::stod(rows[i - 1].at("miss_ratio")) + 1e-9);
}

TEST_F(Cli, CachesimCtrlCPrintsWhatWasSimulatedSoFar) {
  // The trace comes through a FIFO that this test feeds: 200,000 requests, then Ctrl-C,
  // then up to 3 M more that the simulator must stop reading.
  const std::string fifo = path("trace.txt");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    FILE* out = freopen(path("out.txt").c_str(), "w", stdout);
    (void)out;
    execl(LOADLAB_CLI, LOADLAB_CLI, "cachesim", fifo.c_str(), "--policies", "lru", "--sizes", "10", "--threads", "1",
          "--csv", path("sim.csv").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  signal(SIGPIPE, SIG_IGN);
  const int fd = open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  std::string chunk;
  for (int i = 0; i < 1000; ++i) chunk += std::to_string(i % 50) + "\n";
  auto feed = [&](int chunks) {
    for (int c = 0; c < chunks; ++c)
      for (std::size_t at = 0; at < chunk.size();) {
        const ssize_t n = ::write(fd, chunk.data() + at, chunk.size() - at);
        if (n <= 0) return false;  // the reader has gone
        at += static_cast<std::size_t>(n);
      }
    return true;
  };
  ASSERT_TRUE(feed(200));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(child, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  feed(3000);
  close(fd);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string out = slurp(path("out.txt"));
  EXPECT_NE(out.find("interrupted (Ctrl-C) after"), std::string::npos) << out;
  const auto rows = read_csv(path("sim.csv")).rows;
  ASSERT_EQ(rows.size(), 1u);
  const auto requests = std::stoull(rows[0].at("requests"));
  EXPECT_GE(requests, 196'608u);                            // the three whole batches before Ctrl-C at least
  EXPECT_LT(requests, 600'000u);                            // and not the 3.2 M that were on offer
  EXPECT_EQ(rows[0].at("misses"), rows[0].at("requests"));  // 50 keys cycled through an LRU of 10
}

TEST_F(Cli, CachesimShowsProgressOnATerminalOnly) {
  // script(1) gives the simulator a terminal; the trace comes through a FIFO fed in two
  // parts 0.8 s apart, so a progress line is due in between.
  if (std::system("command -v script > /dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  const std::string fifo = path("trace.txt");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string part;
  for (int i = 0; i < 70'000; ++i) part += std::to_string(i % 100) + "\n";
  std::thread feeder([&] {
    std::ofstream out(fifo);
    out << part << std::flush;
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    out << part << std::flush;
  });
  Result tty;
  {
    const std::string command =
        "script -qfec '" + std::string(LOADLAB_CLI) + " cachesim " + fifo + " --policies lru --sizes 10' /dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) tty.output.append(buffer, n);
    const int status = pclose(pipe);
    tty.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  feeder.join();
  EXPECT_EQ(tty.exit_code, 0) << tty.output;
  EXPECT_NE(tty.output.find(" requests, "), std::string::npos) << tty.output;
  EXPECT_NE(tty.output.find(" M/s"), std::string::npos) << tty.output;
  EXPECT_NE(tty.output.find("trace " + fifo + ": 140000 requests"), std::string::npos) << tty.output;  // all read
  // Not a terminal: no progress line.
  write("t.txt", part);
  const Result piped = cli("cachesim " + path("t.txt") + " --policies lru --sizes 10");
  EXPECT_EQ(piped.output.find(" M/s"), std::string::npos) << piped.output;
  EXPECT_EQ(piped.output.find('\r'), std::string::npos);
}

TEST_F(Cli, ScheduledKillIsCountedAndAvailabilityWritten) {
  const Result r =
      cli("run --nodes 3 --rate 20000 --duration 0.8 --requests 0 --max-fails 0 --hit-us 20 --miss-us 40 "
          "--fault 0.3:kill:b --csv " +
          path("k"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("availability"), std::string::npos) << r.output;
  const auto summary = read_csv(path("k/summary.csv"));
  const auto& total = summary.rows.back();
  const double issued = std::stod(total.at("requests")) + std::stod(total.at("failed"));
  EXPECT_GT(std::stoull(total.at("failed_node_down")), 0u);
  EXPECT_NEAR(std::stod(total.at("availability")), std::stod(total.at("requests")) / issued, 1e-6);
  const auto series = read_csv(path("k/timeseries.csv"));
  EXPECT_EQ(series.rows.back().at("up"), "1");  // node c
  bool b_down = false;
  for (const auto& row : series.rows) b_down = b_down || (row.at("node") == "b" && row.at("up") == "0");
  EXPECT_TRUE(b_down);
}

}  // namespace

TEST_F(Cli, WarnsAtTheStartWhenTheOfferedLoadExceedsTheCapacity) {
  // Two nodes, one slot each, every request a 500 µs miss: 4000 req/s at most.
  const std::string base = "run --nodes 2 --cache none --miss-us 500 --hit-us 500 --clock virtual --requests 2000 ";
  const Result over = cli(base + "--rate 6000 --json " + path("over.json"));
  ASSERT_EQ(over.exit_code, 0) << over.output;
  EXPECT_NE(over.output.find("warning: overloaded: the offered load (6000 req/s) is 1.50x what the cluster can serve "
                             "(about 4000 req/s"),
            std::string::npos)
      << over.output;
  EXPECT_NE(over.output.find("rho = 1.50"), std::string::npos) << over.output;
  EXPECT_NE(slurp(path("over.json")).find("\"overloaded\": true"), std::string::npos);
  const Result under = cli(base + "--rate 3000 --json " + path("under.json"));
  ASSERT_EQ(under.exit_code, 0) << under.output;
  EXPECT_EQ(under.output.find("overloaded"), std::string::npos) << under.output;
  EXPECT_NE(under.output.find("rho = 0.75"), std::string::npos) << under.output;
  EXPECT_NE(slurp(path("under.json")).find("\"overloaded\": false"), std::string::npos);
}

TEST_F(Cli, ADurationWithoutARequestCountLastsTheDurationAndSaysWhatEndedIt) {
  // 2 s at 1000 req/s, Poisson: 2000 ± 45 (one sigma); ±10% is over 4 sigma.
  const Result timed = cli("run --duration 2 --rate 1000 --clock virtual --csv " + path("d"));
  ASSERT_EQ(timed.exit_code, 0) << timed.output;
  EXPECT_NE(timed.output.find("ended by: duration 2 s"), std::string::npos) << timed.output;
  std::uint64_t issued = 0;
  for (const auto& row : read_csv(path("d/summary.csv")).rows)
    if (row.at("node") == "total") issued = std::stoull(row.at("requests"));
  EXPECT_GT(issued, 1800u);
  EXPECT_LT(issued, 2200u);
  const Result counted = cli("run --duration 2 --rate 1000 --requests 500 --clock virtual");
  EXPECT_NE(counted.output.find("ended by: request count 500 (before the duration 2 s)"), std::string::npos)
      << counted.output;
}

TEST_F(Cli, ANodesFailedIsOneQuantityInTheTimeseriesAndTheSummary) {
  // Writes whose replica b is killed fail with no quorum; they belong to b's `failed` in both
  // files (the timeseries once counted only failed reads).
  const Result r =
      cli("run --nodes 3 --clock virtual --rate 2000 --requests 3000 --partitioning hash --replication 2 "
          "--write-quorum 2 --writes 0.3 --fault 0.5:kill:b --csv " +
          path("f"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = read_csv(path("f/summary.csv")), series = read_csv(path("f/timeseries.csv"));
  std::map<std::string, std::string> last_failed;
  for (const auto& row : series.rows) last_failed[row.at("node")] = row.at("failed_total");
  std::uint64_t no_quorum = 0;
  for (const auto& row : summary.rows) {
    if (row.at("node") == "total") continue;
    EXPECT_EQ(last_failed.at(row.at("node")), row.at("failed")) << row.at("node");
    no_quorum += std::stoull(row.at("failed_no_quorum"));
  }
  EXPECT_GT(no_quorum, 100u);  // the case under test happened
}
