// Overload from the command line: the queue bound's flags, their bad input, and the failure
// reasons in every output (the summary, summary.csv, timeseries.csv and --json).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "csv_table.h"

namespace fs = std::filesystem;
using loadlab::test::Cli;
using loadlab::test::cli;
using loadlab::test::read_csv;
using loadlab::test::Result;
using loadlab::test::slurp;

namespace {

// One node, one slot, 1 ms per request, arrivals every 0.5 ms on the virtual clock: with at
// most 2 waiting, exactly 3 of 10 requests find the queue full (tests/queue_bound_test.cpp
// works the sequence out by hand).
const std::string kClockwork =
    "run --nodes 1 --cache none --service fixed --hit-us 1000 --miss-us 1000 --arrival constant --rate 2000 "
    "--requests 10 --clock virtual";

TEST_F(Cli, QueueLimitRejectionsAppearWithTheirReasonEverywhere) {
  const Result r = cli(kClockwork + " --queue-limit 2 --csv " + path("out") + " --json " + path("run.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("failed 3 (node down 0, no node 0, no quorum 0, queue full 3, queue timeout 0, codel drop 0, "
                          "overflow 0, concurrency limited 0, cancelled 0)"),
            std::string::npos)
      << r.output;
  const auto summary = read_csv(path("out/summary.csv"));
  ASSERT_EQ(summary.rows.size(), 2u);
  for (const auto& row : summary.rows) {
    EXPECT_EQ(row.at("failed_queue_full"), "3");
    EXPECT_EQ(row.at("failed_queue_timeout"), "0");
    EXPECT_EQ(row.at("requests"), "7");
    EXPECT_EQ(row.at("failed"), "3");
  }
  const auto series = read_csv(path("out/timeseries.csv"));
  ASSERT_FALSE(series.rows.empty());
  EXPECT_EQ(series.rows.back().at("failed_queue_full_total"), "3");
  EXPECT_EQ(series.rows.back().at("failed_total"), "3");
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  EXPECT_EQ(json.at("failed"), 3);
  EXPECT_EQ(json.at("failed_by_reason").at("queue_full"), 3);
  EXPECT_EQ(json.at("failed_by_reason").at("queue_timeout"), 0);
  EXPECT_EQ(json.at("completed"), 7);
}

TEST_F(Cli, QueueTimeoutFromTheCommandLine) {
  // 100 ms per request every 50 ms with 120 ms to wait: 4 of 10 give up (queue_bound_test.cpp).
  const Result r =
      cli("run --nodes 1 --cache none --service fixed --hit-us 100000 --miss-us 100000 --arrival constant --rate 20 "
          "--requests 10 --clock virtual --queue-timeout-ms 120 --json " +
          path("run.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  EXPECT_EQ(json.at("failed_by_reason").at("queue_timeout"), 4);
  EXPECT_EQ(json.at("completed"), 6);
}

TEST_F(Cli, OverloadWarningSaysWhetherTheQueuesAreBounded) {
  const std::string overload = "run --nodes 2 --rate 50000 --requests 20000 --clock virtual";
  const Result unbounded = cli(overload);
  ASSERT_EQ(unbounded.exit_code, 0) << unbounded.output;
  EXPECT_NE(unbounded.output.find("the run ends only when the backlog has drained"), std::string::npos);
  const Result bounded = cli(overload + " --queue-limit 100");
  ASSERT_EQ(bounded.exit_code, 0) << bounded.output;
  EXPECT_NE(bounded.output.find("queue bounds shed the excess"), std::string::npos) << bounded.output;
}

TEST_F(Cli, QueueFlagsSavedInTheScenarioAndReadBack) {
  ASSERT_EQ(cli(kClockwork + " --queue-limit 2 --queue-timeout-ms 2.5 --save-scenario " + path("s.json") + " --quiet")
                .exit_code,
            0);
  const auto saved = nlohmann::json::parse(slurp(path("s.json")));
  EXPECT_EQ(saved.at("queue").at("limit"), 2);
  EXPECT_EQ(saved.at("queue").at("timeout_ms"), 2.5);
  const Result again = cli("run " + path("s.json") + " --json " + path("run.json"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  // A flag given beside the file replaces the file's bound: unlimited keeps all 10.
  const Result unlimited =
      cli("run " + path("s.json") + " --queue-limit unlimited --queue-timeout-ms none --json " + path("u.json"));
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited.output;
  EXPECT_EQ(nlohmann::json::parse(slurp(path("u.json"))).at("completed"), 10);
}

TEST_F(Cli, BadQueueBoundsExitTwoNameTheFlagAndValueAndWriteNothing) {
  struct BadCase {
    std::string args, message;
  };
  const std::vector<BadCase> cases = {
      {"--queue-limit 0", "--queue-limit: must be a whole number from 1 to 100000000 or 'unlimited' (got '0')"},
      {"--queue-limit=-4", "--queue-limit: must be a whole number from 1 to 100000000 or 'unlimited' (got '-4')"},
      {"--queue-limit nan", "--queue-limit: must be a whole number from 1 to 100000000 or 'unlimited' (got 'nan')"},
      {"--queue-limit lots", "(got 'lots')"},
      {"--queue-limit 2.5", "(got '2.5')"},
      {"--queue-limit 99999999999999999999", "(got '99999999999999999999')"},
      {"--queue-timeout-ms 0", "--queue-timeout-ms: must be a number of ms > 0 and <= 3600000 or 'none' (got '0')"},
      {"--queue-timeout-ms=-5", "--queue-timeout-ms: must be a number of ms > 0 and <= 3600000 or 'none' (got '-5')"},
      {"--queue-timeout-ms nan", "(got 'nan')"},
      {"--queue-timeout-ms inf", "(got 'inf')"},
      {"--queue-timeout-ms soon", "(got 'soon')"},
  };
  for (const BadCase& c : cases) {
    const Result r = cli(kClockwork + " " + c.args + " --csv " + path("never") + " --json " + path("never.json"));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(path("never"))) << c.args;
    EXPECT_FALSE(fs::exists(path("never.json"))) << c.args;
  }
  // In a scenario file, the field's path.
  const std::string file = write("bad.json", R"({"nodes": [{"name": "a", "queue": {"limit": 0}}]})");
  const Result r = cli("run " + file + " --requests 10 --csv " + path("never"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("nodes[0].queue.limit: must be a whole number from 1"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("never")));
}

TEST_F(Cli, DeadlineGivesGoodputInEveryOutput) {
  // Unbounded, request k is answered 1 + 0.5k ms after its intended time: within 3 ms, 5 of 10.
  const Result r = cli(kClockwork + " --deadline-ms 3 --csv " + path("out") + " --json " + path("run.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("goodput within 3 ms: 5 requests, 500 req/s, 50.0% of those issued; per node: a 500 req/s "
                          "(50.0%)"),
            std::string::npos)
      << r.output;
  const auto summary = read_csv(path("out/summary.csv"));
  ASSERT_EQ(summary.rows.size(), 2u);
  EXPECT_EQ(summary.rows[1].at("goodput"), "5");
  EXPECT_EQ(summary.rows[1].at("goodput_rps"), "500.0");
  EXPECT_EQ(summary.rows[1].at("goodput_fraction"), "0.500000");
  const auto series = read_csv(path("out/timeseries.csv"));
  ASSERT_FALSE(series.rows.empty());
  EXPECT_FALSE(series.rows.back().at("goodput_rps").empty());
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  EXPECT_EQ(json.at("goodput").at("requests"), 5);
  EXPECT_EQ(json.at("goodput").at("fraction"), 0.5);
  EXPECT_EQ(json.at("goodput").at("nodes").at(0).at("rps"), 500.0);
  EXPECT_EQ(json.at("metrics").at("goodput_rps"), 500.0);
  EXPECT_EQ(json.at("metrics").at("goodput_fraction"), 0.5);
  // Without a deadline: no goodput line, empty cells, null metrics.
  const Result plain = cli(kClockwork + " --csv " + path("plain") + " --json " + path("plain.json"));
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(plain.output.find("goodput"), std::string::npos);
  EXPECT_EQ(read_csv(path("plain/summary.csv")).rows[1].at("goodput"), "");
  const auto plain_json = nlohmann::json::parse(slurp(path("plain.json")));
  EXPECT_FALSE(plain_json.contains("goodput"));
  EXPECT_TRUE(plain_json.at("metrics").at("goodput_rps").is_null());
}

TEST_F(Cli, BadDeadlineExitsTwo) {
  for (const std::string value : {"0", "-3", "nan", "inf", "soon", "1e12"}) {
    const Result r = cli(kClockwork + " --deadline-ms=" + value + " --csv " + path("never"));
    EXPECT_EQ(r.exit_code, 2) << value << "\n" << r.output;
    EXPECT_NE(r.output.find("--deadline-ms: must be a number of ms > 0 and <= 3600000 or 'none' (got '" + value + "')"),
              std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(path("never")));
  }
  const std::string file = write("bad.json", R"({"deadline_ms": 0})");
  const Result r = cli("run " + file + " --csv " + path("never"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("deadline_ms: must be a number of ms > 0"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("never")));
}

TEST_F(Cli, QueueDisciplineFlagsListAndBadInput) {
  const Result list = cli("list");
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("Queue disciplines (--queue-discipline):"), std::string::npos) << list.output;
  for (const char* name : {"fifo", "adaptive-lifo", "codel"}) EXPECT_NE(list.output.find(name), std::string::npos);
  // Adaptive LIFO from the command line: the order of service worked out in
  // queue_discipline_test.cpp gives 5 answers within 1.5 ms (FIFO: 2).
  const Result lifo =
      cli(kClockwork + " --queue-discipline adaptive-lifo --lifo-threshold 2 --deadline-ms 1.5 --json " +
          path("lifo.json"));
  ASSERT_EQ(lifo.exit_code, 0) << lifo.output;
  EXPECT_EQ(nlohmann::json::parse(slurp(path("lifo.json"))).at("goodput").at("requests"), 5);
  struct BadCase {
    std::string args, message;
  };
  const std::vector<BadCase> cases = {
      {"--queue-discipline random", "queue.discipline: unknown queue discipline 'random' (known: fifo, adaptive-lifo"},
      {"--queue-discipline codel --codel-target-ms 100",
       "queue.codel_target_ms: must be less than the interval, queue.codel_interval_ms 100 (got 100)"},
      {"--codel-target-ms 20 --codel-interval-ms 10", "must be less than the interval"},
      {"--codel-target-ms 0", "queue.codel_target_ms: must be a number of ms > 0"},
      {"--codel-interval-ms nan", "queue.codel_interval_ms: must be a number of ms > 0"},
      {"--lifo-threshold 0", "queue.lifo_threshold: must be a whole number from 1 to 100000000 (got 0)"},
  };
  for (const BadCase& c : cases) {
    const Result r = cli(kClockwork + " " + c.args + " --csv " + path("never"));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(path("never"))) << c.args;
  }
}

TEST_F(Cli, DrainCancelCountsTheBacklogAndBadDrainExitsTwo) {
  const Result r =
      cli("run --nodes 1 --cache none --service fixed --hit-us 1000 --miss-us 1000 --arrival constant --rate 2000 "
          "--duration 2 --clock virtual --drain cancel --json " +
          path("run.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("of the backlog cancelled once the last request was issued (--drain cancel)"),
            std::string::npos)
      << r.output;
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  EXPECT_GT(json.at("failed_by_reason").at("cancelled"), 1900);
  for (const std::string value : {"0", "-1", "nan", "later"}) {
    const Result bad = cli(kClockwork + " --drain=" + value + " --csv " + path("never"));
    EXPECT_EQ(bad.exit_code, 2) << value << "\n" << bad.output;
    EXPECT_NE(bad.output.find("--drain: must be 'wait', 'cancel' or a number of seconds > 0 and <= 86400 (got '" +
                              value + "')"),
              std::string::npos)
        << bad.output;
    EXPECT_FALSE(fs::exists(path("never")));
  }
}

}  // namespace

// Circuit breakers (model/circuit_breakers.h): with at most 3 outstanding on the clockwork
// node, A5, A7 and A9 overflow (tests/circuit_breakers_test.cpp works it out by hand).
TEST_F(Cli, CircuitBreakerOverflowAppearsWithItsReasonEverywhere) {
  const Result r = cli(kClockwork + " --cb-max-requests 3 --csv " + path("out") + " --json " + path("run.json") +
                       " --save-scenario " + path("saved.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("failed 3 (node down 0, no node 0, no quorum 0, queue full 0, queue timeout 0, codel drop 0, "
                          "overflow 3, concurrency limited 0, cancelled 0)"),
            std::string::npos)
      << r.output;
  const auto summary = read_csv(path("out/summary.csv"));
  ASSERT_EQ(summary.rows.size(), 2u);
  for (const auto& row : summary.rows) {
    EXPECT_EQ(row.at("failed_overflow"), "3");
    EXPECT_EQ(row.at("failed"), "3");
    EXPECT_EQ(row.at("requests"), "7");
  }
  const auto series = read_csv(path("out/timeseries.csv"));
  ASSERT_FALSE(series.rows.empty());
  EXPECT_EQ(series.rows.back().at("failed_overflow_total"), "3");
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  EXPECT_EQ(json.at("failed_by_reason").at("overflow"), 3);
  const auto saved = nlohmann::json::parse(slurp(path("saved.json")));
  EXPECT_EQ(saved.at("circuit_breakers").at("max_requests"), 3);
  EXPECT_FALSE(saved.at("circuit_breakers").contains("max_pending"));
  // The saved file runs the same.
  const Result again = cli("run " + path("saved.json") + " --json " + path("again.json"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(nlohmann::json::parse(slurp(path("again.json"))).at("failed_by_reason").at("overflow"), 3);
}

TEST_F(Cli, BadCircuitBreakerLimitsExitTwoNameTheFlagAndValueAndWriteNothing) {
  for (const std::string flag : {"--cb-max-pending", "--cb-max-requests", "--cb-max-retries"})
    for (const std::string value : {"0", "-4", "nan", "2.5", "lots", "99999999999999999999", "100000001"}) {
      const Result r = cli(kClockwork + " " + flag + "=" + value + " --csv " + path("never"));
      EXPECT_EQ(r.exit_code, 2) << flag << " " << value << "\n" << r.output;
      EXPECT_NE(r.output.find(flag + ": must be a whole number from 1 to 100000000 or 'off' (got '" + value + "')"),
                std::string::npos)
          << r.output;
      EXPECT_FALSE(fs::exists(path("never")));
    }
  const std::string file = write("bad.json", R"({"circuit_breakers": {"max_retries": 0}})");
  const Result r = cli("run " + file + " --requests 10 --csv " + path("never"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("circuit_breakers.max_retries: must be a whole number from 1 to 100000000 (got 0)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(path("never")));
}

TEST_F(Cli, AdaptiveConcurrencyBlocksTheExcessAndBadParametersExitTwo) {
  // 2x overload on four nodes of two slots: the limiter blocks the excess at once.
  const Result r =
      cli("run --nodes 4 --slots 2 --cache none --hit-us 1000 --miss-us 1000 --rate 16000 --duration 2 --requests 0 "
          "--clock virtual --deadline-ms 50 --adaptive-concurrency --ac-buffer 25 --csv " +
          path("out") + " --json " + path("run.json") + " --save-scenario " + path("saved.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto json = nlohmann::json::parse(slurp(path("run.json")));
  const auto limited = json.at("failed_by_reason").at("concurrency_limited").get<std::uint64_t>();
  EXPECT_GT(limited, 0u);
  EXPECT_EQ(json.at("failed").get<std::uint64_t>(), limited);
  const auto summary = read_csv(path("out/summary.csv"));
  EXPECT_EQ(summary.rows.back().at("failed_concurrency_limited"), std::to_string(limited));
  EXPECT_EQ(summary.rows.front().at("failed_concurrency_limited"), "");  // a cluster figure: total row only
  const auto series = read_csv(path("out/timeseries.csv"));
  EXPECT_EQ(series.rows.back().at("failed_concurrency_limited_total"), std::to_string(limited));
  EXPECT_FALSE(series.rows.back().at("concurrency_limit").empty());
  EXPECT_TRUE(nlohmann::json::parse(slurp(path("saved.json"))).contains("adaptive_concurrency"));
  struct BadCase {
    std::string args, message;
  };
  const std::vector<BadCase> cases = {
      {"--adaptive-concurrency --ac-min-concurrency 0", "--ac-min-concurrency: must be a whole number"},
      {"--adaptive-concurrency --ac-request-count 2.5", "--ac-request-count: must be a whole number"},
      {"--adaptive-concurrency --ac-max-concurrency-limit=-3", "--ac-max-concurrency-limit: must be a whole number"},
      {"--adaptive-concurrency --ac-buffer nan", "adaptive_concurrency.buffer: must be a number from 0 to 100"},
      {"--adaptive-concurrency --ac-jitter 200", "adaptive_concurrency.jitter: must be a number from 0 to 100"},
      {"--adaptive-concurrency --ac-concurrency-update-interval-ms 0",
       "adaptive_concurrency.concurrency_update_interval_ms: must be a number of ms from 1"},
      {"--ac-buffer 10", "go with --adaptive-concurrency"},
  };
  for (const BadCase& c : cases) {
    const Result bad = cli(kClockwork + " " + c.args + " --csv " + path("never"));
    EXPECT_EQ(bad.exit_code, 2) << c.args << "\n" << bad.output;
    EXPECT_NE(bad.output.find(c.message), std::string::npos) << c.args << "\n" << bad.output;
    EXPECT_FALSE(fs::exists(path("never")));
  }
}

TEST_F(Cli, AnOverloadedRunSaysHowBigTheBacklogIsAndHowTheDrainGoes) {
  // 2000 req/s for 2 s on a node that serves 1000: at 2 s, 2001 requests are left (4000
  // issued, 1999 served, one completing at the instant of the snapshot), one is served per ms,
  // so a second later 1001 are left and the drain ends at 4 s. On the virtual clock the lines
  // are the same on any machine.
  const std::string overload =
      "run --nodes 1 --cache none --service fixed --hit-us 1000 --miss-us 1000 --arrival constant --rate 2000 "
      "--duration 2 --requests 0 --clock virtual";
  const Result r = cli(overload);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line :
       {"issuing ended at 2.0 s with a backlog of 2001 requests; draining",
        "drain: t=3.0 s  1001 left of 2001 (49% drained)", "drain: the backlog of 2001 took 2.0 s (2.0 s to 4.0 s)"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
  // --drain 1: cancelled after a second, and said so.
  const Result cancelled = cli(overload + " --drain 1");
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.output;
  EXPECT_NE(cancelled.output.find("drain: the backlog of 2001 took 1.0 s (2.0 s to 3.0 s), 1001 cancelled"),
            std::string::npos)
      << cancelled.output;
  // Below saturation: nothing about a drain. With --quiet: nothing at all.
  const Result below =
      cli("run --nodes 1 --cache none --service fixed --hit-us 1000 --miss-us 1000 --arrival constant --rate 500 "
          "--duration 2 --requests 0 --clock virtual");
  EXPECT_EQ(below.output.find("drain"), std::string::npos) << below.output;
  EXPECT_EQ(cli(overload + " --quiet").output.find("draining"), std::string::npos);
}

TEST_F(Cli, TheTheoryLineSaysWhatShedsTheExcess) {
  const std::string overload =
      "run --nodes 1 --cache none --hit-us 1000 --miss-us 1000 --rate 2000 --duration 1 --requests 0 --clock virtual";
  const Result limited = cli(overload + " --queue-limit 10 --cb-max-requests 20 --queue-discipline fb-codel");
  ASSERT_EQ(limited.exit_code, 0) << limited.output;
  EXPECT_NE(limited.output.find("the excess is shed (circuit breakers, queue limit, fb-codel drops), so queues stay "
                                "bounded"),
            std::string::npos)
      << limited.output;
  EXPECT_EQ(limited.output.find("grow without end, no steady state"), std::string::npos) << limited.output;
  const Result ac = cli(overload + " --adaptive-concurrency");
  EXPECT_NE(ac.output.find("the excess is shed (adaptive concurrency limit)"), std::string::npos) << ac.output;
  // RFC 8289 CoDel and adaptive LIFO alone do not keep the queue bounded.
  const Result codel = cli(overload + " --queue-discipline codel");
  EXPECT_NE(codel.output.find("queues grow without end"), std::string::npos) << codel.output;
}
