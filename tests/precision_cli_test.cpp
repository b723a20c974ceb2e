// --warmup auto and --precision on `run` and `sweep` end to end (issue 20): the real binary,
// its files read back, and every bad input refused with exit 2 and nothing written.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_harness.h"
#include "csv_table.h"

namespace {

using loadlab::test::Cli;
using loadlab::test::cli;
using loadlab::test::read_csv;
using loadlab::test::Result;
namespace fs = std::filesystem;

// One M/M/1 node at ρ = 0.95 started empty (service 1 ms exponential, 950 req/s).
// (`run` is on the real clock unless told; `sweep` on the virtual one.)
const std::string kBusy =
    "--nodes 1 --cache none --service exponential --miss-us 1000 --rate 950 --interval-ms 50 --clock virtual ";
// The same at ρ = 0.5, short.
const std::string kCalmAnyClock =
    "--nodes 1 --cache none --service exponential --miss-us 1000 --rate 500 --requests 4000 ";
const std::string kCalm = kCalmAnyClock + "--clock virtual ";

TEST_F(Cli, RunWarmupAutoPrintsTheCutAndLeavesItOut) {
  const Result r =
      cli("run " + kBusy + "--requests 20000 --warmup auto --csv " + path("o") + " --json " + path("o.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("warm-up (MSER-5, 10 pilot runs averaged): cut "), std::string::npos) << r.output;
  const auto total = read_csv(path("o/summary.csv")).rows.back();
  ASSERT_EQ(total.at("node"), "total");
  const double warmup = std::stod(total.at("warmup_s"));
  EXPECT_GT(warmup, 0.0);   // ρ = 0.95 from empty: there is a ramp to cut
  EXPECT_LT(warmup, 11.0);  // within the first half of the ~21 s run
  // Left out of every figure: fewer requests are counted than were sent.
  EXPECT_LT(std::stoull(total.at("requests")), 20000u);
  EXPECT_NE(loadlab::test::slurp(path("o.json")).find("\"warmup_s\": " + total.at("warmup_s").substr(0, 3)),
            std::string::npos);
}

TEST_F(Cli, RunPrecisionReportsEachFigureAndWritesItsHalfWidth) {
  const Result r = cli("run " + kCalm + "--precision 0.05 --precision-of mean_us,p99_us --csv " + path("o"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("precision: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mean_us"), std::string::npos);
  EXPECT_NE(r.output.find("converged"), std::string::npos);
  const auto total = read_csv(path("o/summary.csv")).rows.back();
  EXPECT_GE(std::stoul(total.at("replications")), 10u);
  EXPECT_EQ(total.at("converged"), "1");
  EXPECT_EQ(total.at("not_converged"), "");
  EXPECT_LE(std::stod(total.at("mean_us_ci95")), 0.05 * std::stod(total.at("mean_us")));
  EXPECT_LE(std::stod(total.at("p99_us_ci95")), 0.05 * std::stod(total.at("p99_us")));
  EXPECT_EQ(total.at("hit_ratio_ci95"), "0.000000");  // no cache: every lookup a miss, in every replication
}

TEST_F(Cli, RunNotConvergedWarnsAndFailsAnAssertUnlessAllowed) {
  const std::string run = "run " + kCalm + "--precision 0.001 --max-seeds 3 --assert 'mean_us<1e9' ";
  const Result strict = cli(run + "--csv " + path("s"));
  EXPECT_EQ(strict.exit_code, 99) << strict.output;
  EXPECT_NE(strict.output.find("not converged after 3 replications (stopped by --max-seeds): mean_us"),
            std::string::npos)
      << strict.output;
  const auto total = read_csv(path("s/summary.csv")).rows.back();
  EXPECT_EQ(total.at("converged"), "0");
  EXPECT_EQ(total.at("not_converged"), "mean_us");
  const Result loose = cli(run + "--allow-imprecise");
  EXPECT_EQ(loose.exit_code, 0) << loose.output;
  EXPECT_NE(loose.output.find("not converged"), std::string::npos);  // still said
}

TEST_F(Cli, PrecisionAndWarmupBadInputExit2AndWriteNothing) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--precision 0", "--precision: 0 must be"},
      {"--precision 1", "--precision: 1 must be"},
      {"--precision -0.1", "--precision"},
      {"--precision 0.05 --precision-of mean_us,p42_us", "'p42_us' is not a metric"},
      {"--precision 0.05 --clock real", "needs the virtual clock"},
      {"--precision 0.05 --max-seeds 0", "--max-seeds: 0 must be"},
      {"--precision 0.05 --max-seeds 1", "--max-seeds: 1 must be"},
      {"--precision 0.05 --max-requests 0", "--max-requests: 0 leaves nothing"},
      {"--precision-of mean_us", "--precision-of: only means something with --precision"},
      {"--max-seeds 5", "--max-seeds: only means something with --precision"},
      {"--warmup auto --clock real", "'auto' needs the virtual clock"},
      {"--warmup soon", "--warmup: 'soon' is not a number"},
      {"--warmup -1", "warmup_s"},
  };
  for (const auto& [flags, message] : cases) {
    const std::string base = flags.find("--clock real") == std::string::npos ? kCalm : kCalmAnyClock;
    for (const std::string& command : {"run " + base, "sweep " + base + "--vary rate=300,400 "}) {
      const bool sweep = command.starts_with("sweep");
      const Result r = cli(command + flags + (sweep ? " --csv " + path("out.csv") : " --csv " + path("out")) +
                           " --json " + path("out.json"));
      EXPECT_EQ(r.exit_code, 2) << command << flags << "\n" << r.output;
      EXPECT_NE(r.output.find(message), std::string::npos) << command << flags << "\n" << r.output;
      EXPECT_FALSE(fs::exists(path("out"))) << flags;
      EXPECT_FALSE(fs::exists(path("out.csv"))) << flags;
      EXPECT_FALSE(fs::exists(path("out.json"))) << flags;
    }
  }
}

TEST_F(Cli, SweepPrecisionRunsEachPointAsLongAsItNeedsWithTheSameSeeds) {
  // ρ = 0.3 and ρ = 0.9: the busy point needs more replications.
  const Result r =
      cli("sweep --nodes 1 --cache none --service exponential --miss-us 1000 --requests 3000 --vary rate=300,900 "
          "--precision 0.05 --precision-of mean_us -q --csv " +
          path("s.csv") + " --csv-runs " + path("runs.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto table = read_csv(path("s.csv"));
  for (const char* column : {"seeds", "warmup_s", "converged", "not_converged", "mean_us", "mean_us_ci95"})
    EXPECT_NE(std::find(table.columns.begin(), table.columns.end(), column), table.columns.end()) << column;
  ASSERT_EQ(table.rows.size(), 2u);
  const unsigned calm = std::stoul(table.rows[0].at("seeds")), busy = std::stoul(table.rows[1].at("seeds"));
  EXPECT_GE(calm, 10u);
  EXPECT_GT(busy, calm);
  for (const auto& row : table.rows) {
    EXPECT_EQ(row.at("converged"), "1");
    EXPECT_LE(std::stod(row.at("mean_us_ci95")), 0.05 * std::stod(row.at("mean_us")));
  }
  // Common random numbers: replication k has the same seed at every point.
  std::vector<std::vector<std::string>> seeds(2);
  for (const auto& row : read_csv(path("runs.csv")).rows) seeds[std::stoul(row.at("point"))].push_back(row.at("seed"));
  ASSERT_EQ(seeds[0].size(), calm);
  for (std::size_t k = 0; k < calm; ++k) EXPECT_EQ(seeds[0][k], seeds[1][k]) << k;
}

TEST_F(Cli, SweepWarmupAutoFindsEachPointsOwnCut) {
  const Result r = cli("sweep " + kBusy + "--requests 10000 --vary rate=200,950 --seeds 2 --warmup auto -q --csv " +
                       path("s.csv") + " --json " + path("s.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_csv(path("s.csv")).rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_LT(std::stod(rows[0].at("warmup_s")), std::stod(rows[1].at("warmup_s")));  // the busy one ramps longer
  EXPECT_NE(loadlab::test::slurp(path("s.json")).find("\"warmup_s\": \"auto\""), std::string::npos);
}

}  // namespace
