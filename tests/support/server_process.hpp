// Integration tests run the real server binary as a child process, find its port from the ready
// file it writes after binding (so tests can use port 0 and run in parallel), and stop it the way
// an operator would (SIGTERM) or the way a crash would (SIGKILL). Only its own child is signalled.
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace anquanli::test {

class server_process {
 public:
  // Deletes ready_file, starts binary (a path, not searched in PATH) with arguments, stdin from
  // /dev/null and stdout + stderr appended to log_file, then waits up to 60 s for ready_file to
  // hold a `HOST:PORT` line. Throws std::runtime_error, with the log's tail, if the program
  // cannot start, exits first or is not ready in time; the child is killed before the throw.
  server_process(std::filesystem::path binary, std::vector<std::string> arguments,
                 std::filesystem::path ready_file, std::filesystem::path log_file);
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
  // Kills the child with SIGKILL and reaps it if it is still running.
  ~server_process();

  // The port read from the ready file.
  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  // The child's process id (it stays valid until the child is reaped by stop or kill_hard).
  [[nodiscard]] pid_t pid() const noexcept { return child_.pid(); }
  // True until the child has exited and been reaped.
  [[nodiscard]] bool running();

  // Sends SIGTERM, waits up to 10 s (then SIGKILL) and returns the exit code, or 128 + signal.
  // Once the child has exited, returns the same status again without signalling anything.
  int stop();
  // Sends SIGKILL and reaps the child, unless it has already been reaped.
  void kill_hard();

  // The last `bytes` bytes of the log file ("" when it cannot be read).
  [[nodiscard]] std::string log_tail(std::size_t bytes = 4000) const;

 private:
  // Polls the ready file until it names a port; throws if the child exits or time runs out.
  void wait_until_ready();
  // A failure message: what happened, then the log's tail.
  [[nodiscard]] std::string failure(const std::string& what) const;

  std::filesystem::path binary_;
  std::filesystem::path ready_file_;
  std::filesystem::path log_file_;
  child_process child_;
  unsigned short port_ = 0;
};

}  // namespace anquanli::test
