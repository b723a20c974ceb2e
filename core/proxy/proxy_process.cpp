#include "proxy/proxy_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace loadlab {
namespace fs = std::filesystem;

std::optional<fs::path> find_proxy_program(const std::string& name) {
  std::vector<fs::path> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream in(path);
    std::string dir;
    while (std::getline(in, dir, ':'))
      if (!dir.empty()) dirs.emplace_back(dir);
  }
  dirs.emplace_back("/usr/sbin");
  dirs.emplace_back("/sbin");
  for (const auto& d : dirs) {
    const fs::path p = d / name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return std::nullopt;
}

std::string proxy_package(const std::string& name) { return name == "nginx" ? "nginx-light" : name; }

namespace {

bool accepts(const HostPort& at) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(at.port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::uint16_t pick_free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ProxyProcessError("cannot open a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw ProxyProcessError("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

ProxyProcess::ProxyProcess(const std::string& name, const std::string& config, const fs::path& dir,
                           const HostPort& listen, std::chrono::milliseconds ready_timeout) {
  const auto program = find_proxy_program(name);
  if (!program)
    throw ProxyProcessError(
        fmt::format("{} not found on PATH or in /usr/sbin: install Debian's {} "
                    "(packaging/install-deps.sh does)",
                    name, proxy_package(name)));
  const fs::path conf = dir / (name == "nginx" ? "nginx.conf" : "haproxy.cfg");
  {
    std::ofstream out(conf);
    out << config;
    if (!out) throw ProxyProcessError(fmt::format("cannot write {}", conf.string()));
  }
  log_ = dir / (name + ".log");
  std::vector<std::string> args;
  if (name == "nginx") {
    // One process in the foreground: stopping it by its id stops everything it runs.
    args = {program->string(),
            "-p",
            dir.string() + "/",
            "-c",
            conf.string(),
            "-e",
            "stderr",
            "-g",
            "daemon off; master_process off;"};
  } else {
    args = {program->string(), "-f", conf.string(), "-db"};
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // fork + exec rather than posix_spawn, for one thing only the child can ask: to get SIGTERM
  // when its parent dies. Without it a crashed or killed loadlab-cli would leave the proxy
  // running. Between fork and exec the child calls only async-signal-safe functions.
  const pid_t parent = getpid();
  const std::string log_path = log_.string();
  const pid_t child = fork();
  if (child < 0) throw ProxyProcessError(fmt::format("cannot start {}: {}", program->string(), std::strerror(errno)));
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  pid_ = child;
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (!accepts(listen)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw ProxyProcessError(fmt::format(
          "{} exited at start ({}): {}", name,
          WIFEXITED(status) ? fmt::format("code {}", WEXITSTATUS(status)) : fmt::format("signal {}", WTERMSIG(status)),
          log()));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      const std::string text = log();
      stop();
      throw ProxyProcessError(fmt::format("{} did not listen on {} within {} ms: {}", name, listen.to_string(),
                                          ready_timeout.count(), text));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ProxyProcess::~ProxyProcess() { stop(); }

void ProxyProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ProxyProcess::log() const {
  std::ifstream in(log_);
  std::string text{std::istreambuf_iterator<char>(in), {}};
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "(no output)" : text;
}

}  // namespace loadlab
