// loadlab-cli export and import end to end: exit codes, messages, files written or not.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Result cli(const std::string& args) {
  const std::string command = std::string(LOADLAB_CLI) + " " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliProxy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("loadlab_cli_proxy_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(CliProxy, ExportsAPresetThatNginxAccepts) {
  const auto r =
      cli(std::string("export ") + LOADLAB_PRESETS_DIR + "/weights-5-3-1.json --to nginx -o " + path("nginx.conf"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string check = "nginx -q -t -p " + dir_.string() + " -c " + path("nginx.conf") + " -e stderr";
  EXPECT_EQ(std::system(check.c_str()), 0);
}

TEST_F(CliProxy, WhatCannotBeExpressedExitsTwoNamingTheSettingAndWritesNothing) {
  const auto r = cli("export --balancer maglev --to nginx -o " + path("out.conf"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("nginx cannot express balancer 'maglev'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("out.conf")));
  const auto best = cli("export --balancer maglev --to nginx --best-effort -o " + path("out.conf"));
  EXPECT_EQ(best.exit_code, 0) << best.output;
  std::ifstream in(path("out.conf"));
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_NE(text.find("# LoadLab: NOT EXPRESSED balancer 'maglev'"), std::string::npos);
  EXPECT_NE(text.find("hash $uri consistent;"), std::string::npos);
}

TEST_F(CliProxy, BadExportArgumentsAreNamed) {
  auto r = cli("export --to apache");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("unknown proxy 'apache' (known: nginx, haproxy, envoy)"), std::string::npos) << r.output;
  r = cli("export --to haproxy --listen nowhere");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--listen: 'nowhere'"), std::string::npos) << r.output;
  r = cli("export --to haproxy -o " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("is a directory"), std::string::npos) << r.output;
  r = cli("export --to envoy --nodes 3 --weights 1,-1,2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("weight"), std::string::npos) << r.output;
}

TEST_F(CliProxy, ImportsAnUpstreamIntoAScenarioThatRuns) {
  {
    std::ofstream conf(path("nginx.conf"));
    conf << "http {\n  upstream app {\n    least_conn;\n    server 10.0.0.1:80 weight=3;\n"
            "    server 10.0.0.2:80;\n    ip_hash_typo;\n  }\n}\n";
  }
  auto r = cli("import " + path("nginx.conf") + " -o " + path("scenario.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("line 6: ip_hash_typo: unknown directive (left out)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2 nodes (least-connections)"), std::string::npos) << r.output;
  r = cli("run " + path("scenario.json") + " --clock virtual --requests 2000 -q");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(CliProxy, BadImportInputIsAClearError) {
  auto r = cli("import " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("is a directory"), std::string::npos) << r.output;
  r = cli("import " + path("missing.conf"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  std::ofstream(path("empty.conf")) << "events {}\n";
  r = cli("import " + path("empty.conf"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("neither an nginx upstream block nor an HAProxy backend"), std::string::npos) << r.output;
  r = cli("import --format nginx " + path("empty.conf"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no upstream block"), std::string::npos) << r.output;
  std::ofstream(path("two.cfg")) << "backend a\n server s h:1\nbackend b\n server t h:2\n";
  r = cli("import " + path("two.cfg") + " -o " + path("out.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("2 backends (a, b): say which with --upstream"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(path("out.json")));
  r = cli("import " + path("two.cfg") + " --upstream b");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"url\": \"http://h:2\""), std::string::npos) << r.output;
}

}  // namespace
