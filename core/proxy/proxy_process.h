#pragma once
// A real nginx or HAProxy as a child process: found on PATH (or in /usr/sbin, where Debian
// puts them), started in the foreground with a configuration in a private directory, its
// output captured to a log there, and stopped by its process id — also when the caller
// fails, since the destructor stops it.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/host_port.h"

namespace loadlab {

class ProxyProcessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The program's path, or nullopt. `name` is "nginx" or "haproxy".
std::optional<std::filesystem::path> find_proxy_program(const std::string& name);
// The Debian package that provides it, for the error message.
std::string proxy_package(const std::string& name);

class ProxyProcess {
 public:
  // Writes `config` into `dir` and starts the proxy on it; returns once `listen` accepts
  // connections. Throws ProxyProcessError with the proxy's own output when it exits or does
  // not listen within `ready_timeout`.
  ProxyProcess(const std::string& name, const std::string& config, const std::filesystem::path& dir,
               const HostPort& listen, std::chrono::milliseconds ready_timeout = std::chrono::milliseconds(5000));
  ~ProxyProcess();
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;

  pid_t pid() const { return pid_; }
  // SIGTERM, then SIGKILL if it has not exited within a second; reaps it. Idempotent.
  void stop();
  // What it printed (errors, warnings).
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

// A loopback port that was free a moment ago (the OS's choice), for the proxy to listen on.
std::uint16_t pick_free_port();

}  // namespace loadlab
