// Integration tests start real programs (anquanli-server, redis-server) as children. This is the
// one place that forks, execs, reaps and signals them: stdin from /dev/null, stdout and stderr
// appended to a log file, the child killed if the test process dies, and a child only ever
// signalled while it is ours and unreaped (so a reused pid is never hit).
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace anquanli::test {

class child_process {
 public:
  child_process() = default;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  // Kills (SIGKILL) and reaps the child if it is still running.
  ~child_process();

  // Starts words[0] (a path, not searched in PATH) with the rest as arguments. Throws
  // std::runtime_error if the program cannot be executed. Only after the last child was reaped.
  void spawn(std::vector<std::string> words, const std::filesystem::path& log_file);
  // Reaps the child if it has exited (or, with block, once it exits); true when reaped, or when
  // nothing was started.
  bool reap(bool block);
  [[nodiscard]] bool running() { return !reap(false); }
  // Sends `signal_number` if the child is still running.
  void signal(int signal_number);
  // Waits up to `timeout` for the child to exit on its own; true when it did.
  bool wait_for_exit(std::chrono::milliseconds timeout);
  // SIGKILL and reap, unless the child has already been reaped.
  void kill_hard();
  // SIGSTOP, returning once the child is stopped (or has exited); SIGCONT after it. A stopped
  // child is continued before it is signalled to terminate, and SIGKILL ends it anyway.
  void pause();
  void resume();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // The exit code, or 128 + the signal, once reaped (-1 if reaped elsewhere).
  [[nodiscard]] std::optional<int> exit_status() const noexcept { return exit_status_; }

 private:
  // Records how the child ended from a waitpid status.
  void record_exit(int status);

  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  bool paused_ = false;
};

// The last `bytes` bytes of a file ("" when it cannot be read).
std::string tail_of_file(const std::filesystem::path& file, std::size_t bytes);

}  // namespace anquanli::test
