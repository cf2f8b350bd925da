// A small Redis client for the hot leaderboards: hiredis's asynchronous API driven by the server's
// own Asio event loop, so a Redis call never blocks an I/O thread. The connection's socket is
// watched with a stream_descriptor (hiredis keeps owning the fd); one strand serializes everything
// that touches the hiredis context. Redis is a cache here, not the source of truth, so every
// failure (refused, lost, or hung for longer than the command timeout) surfaces quickly as
// redis_unavailable and the caller falls back to SQLite; reconnecting is lazy and rate-limited.
// hiredis stays in the .cpp (pimpl), as do the Asio headers that are slow to compile.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/core/time_source.hpp"

namespace anquanli {

struct redis_reply {
  enum class kind { nil, integer, string, status, error, array };
  kind type = kind::nil;
  std::int64_t integer = 0;
  std::string text;                   // string, status or error text
  std::vector<redis_reply> elements;  // for arrays
};

// Redis cannot be used right now: not connected (and not due to retry yet), the connection was
// lost or dropped, or the replies did not arrive within the command timeout.
class redis_unavailable : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

class redis_client {
 public:
  // Does not connect yet; connects on first use and again after a failure (at most once per
  // `retry_after`). host must be an IP address: hiredis resolves names with a blocking call.
  // The first client in a process sets SIGPIPE to ignored if it is at its default, because
  // hiredis writes with write(2) and a Redis that dies mid-write must not kill the server.
  // `clock` times each command's deadline and the retry delay.
  redis_client(const boost::asio::any_io_executor& executor, const time_source& clock,
               std::string host, std::uint16_t port,
               std::chrono::milliseconds command_timeout = std::chrono::milliseconds{500},
               std::chrono::milliseconds retry_after = std::chrono::milliseconds{500});
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;
  // Drops the connection (on the strand); pending calls fail with redis_unavailable. Destroy the
  // client before its io_context.
  ~redis_client();

  // Sends the commands back to back (pipelined) and awaits all replies, in order. Error replies
  // are returned, not thrown. Throws redis_unavailable when not connected, on connection loss, or
  // when the replies take longer than command_timeout (the connection is then dropped, so a hung
  // Redis never holds callers for long). Throws std::invalid_argument for an empty command and
  // for commands that change the connection's mode (SUBSCRIBE and friends, MONITOR).
  boost::asio::awaitable<std::vector<redis_reply>> pipeline(
      std::vector<std::vector<std::string>> commands);
  // A pipeline of one command.
  boost::asio::awaitable<redis_reply> command(std::vector<std::string> arguments);

  // True while a connection is established (thread-safe).
  [[nodiscard]] bool connected() const;
  // Drops the connection; pending calls fail with redis_unavailable. The next call reconnects
  // without waiting for retry_after. Takes effect on the strand (at once when called from it).
  // While connected, the client keeps a wait on the socket pending (so a lost connection is seen
  // at once), which keeps io_context::run() from returning: close() (or destroy) it when done.
  void close();

 private:
  // The connection, shared with the handlers pending on it so it outlives the client until the
  // strand has dropped it.
  class state;
  std::shared_ptr<state> state_;
};

}  // namespace anquanli
