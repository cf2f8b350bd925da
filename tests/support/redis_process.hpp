// Tests of the Redis client need a real Redis they can stop, restart and freeze: this starts
// Debian's /usr/bin/redis-server on a free loopback port with no persistence, in a temporary
// directory that also holds its log, and waits until it answers PING. Children are spawned and
// reaped by child_process, as the server is (they die with the test process); only the Redis this
// object started is ever signalled.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temporary_directory.hpp"

namespace anquanli::test {

class redis_process {
 public:
  // Starts redis-server on a free port of 127.0.0.1 (trying another port a few times if it
  // cannot bind) and waits up to 30 s for PING. Throws std::runtime_error, with the log's tail.
  redis_process();
  redis_process(const redis_process&) = delete;
  redis_process& operator=(const redis_process&) = delete;
  // Kills (SIGKILL, which also ends a paused Redis) and reaps the child if it is still running.
  ~redis_process();

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The child's process id (valid until it has been reaped, that is until stop()).
  [[nodiscard]] pid_t pid() const noexcept { return child_.pid(); }
  // True until the child has exited and been reaped.
  [[nodiscard]] bool running();

  // Sends SIGTERM (after SIGCONT if paused) and waits up to 10 s for it to exit, then SIGKILL.
  void stop();
  // Sends SHUTDOWN NOSAVE, as an operator would, and waits up to 10 s for the process to exit
  // (then SIGKILL). Like stop(), start() may follow.
  void shutdown_nosave();
  // Starts Redis again on the same port after stop() and waits for PING; throws like the
  // constructor (without trying other ports).
  void start();
  // SIGSTOP: Redis keeps its socket but answers nothing, like a hung server. Returns once stopped.
  void pause();
  // SIGCONT after pause().
  void resume();

  // Sends one command on a new blocking connection and returns the whole reply as Redis sent
  // it, e.g. "+PONG\r\n", ":0\r\n" or "$3\r\nbar\r\n". Throws std::runtime_error after 5 s.
  std::string command(const std::vector<std::string>& arguments) const;

  // The last `bytes` bytes of the log file ("" when it cannot be read).
  [[nodiscard]] std::string log_tail(std::size_t bytes = 4000) const;

 private:
  // Forks and execs redis-server on port_ with its output appended to the log.
  void spawn();
  // Waits for PING to be answered; false if the child exits first. Throws after 30 s.
  bool wait_until_ready();

  temporary_directory directory_;
  std::uint16_t port_ = 0;
  child_process child_;
};

}  // namespace anquanli::test
