#include "tests/support/redis_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <stdexcept>

#include "tests/support/file_descriptor.hpp"
#include "tests/support/wait_until.hpp"

namespace anquanli::test {

namespace {

constexpr const char* redis_binary = "/usr/bin/redis-server";
constexpr int port_attempts = 5;
constexpr std::chrono::milliseconds poll_interval{20};
constexpr std::chrono::seconds ready_timeout{30};  // a sanitizer build on a busy machine
constexpr std::chrono::milliseconds stop_timeout{10'000};
constexpr std::chrono::seconds command_timeout{5};

// 127.0.0.1:port as a socket address.
sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port of 127.0.0.1 that was free a moment ago: bound to port 0, read back, closed.
std::uint16_t free_port() {
  const file_descriptor probe{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (probe.get() < 0 ||
      ::bind(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    fail_with_errno("cannot find a free port");
  }
  return ntohs(address.sin_port);
}

// A blocking connection to 127.0.0.1:port whose reads and writes give up after 5 s.
file_descriptor connect_to(std::uint16_t port) {
  file_descriptor connection{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (connection.get() < 0) {
    fail_with_errno("socket");
  }
  const timeval limit{command_timeout.count(), 0};
  ::setsockopt(connection.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(connection.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  const sockaddr_in address = loopback(port);
  int result = 0;
  do {
    result =
        ::connect(connection.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (result != 0 && errno == EINTR);
  if (result != 0) {
    fail_with_errno("cannot connect to redis on port " + std::to_string(port));
  }
  return connection;
}

// The command as a RESP array of bulk strings.
std::string encode(const std::vector<std::string>& arguments) {
  std::string request = "*" + std::to_string(arguments.size()) + "\r\n";
  for (const std::string& argument : arguments) {
    request += "$" + std::to_string(argument.size()) + "\r\n" + argument + "\r\n";
  }
  return request;
}

// Writes all of data; throws std::runtime_error on failure or timeout.
void send_all(int connection, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t result = ::send(connection, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (result < 0 && errno == EINTR) {
      continue;
    }
    if (result <= 0) {
      fail_with_errno("cannot send to redis");
    }
    sent += static_cast<std::size_t>(result);
  }
}

// Reads RESP from a blocking socket, line by line or a given number of bytes.
class socket_reader {
 public:
  explicit socket_reader(int connection) : connection_(connection) {}

  // The next line, CRLF included.
  std::string line() {
    std::size_t end = 0;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      fill();
    }
    return take(end + 2);
  }
  // The next `count` bytes.
  std::string bytes(std::size_t count) {
    while (buffer_.size() < count) {
      fill();
    }
    return take(count);
  }

 private:
  // Removes and returns the first count bytes of the buffer.
  std::string take(std::size_t count) {
    std::string taken = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return taken;
  }
  // Appends what the socket has; throws std::runtime_error on close, failure or timeout.
  void fill() {
    char chunk[4096];
    ssize_t got = 0;
    do {
      got = ::recv(connection_, chunk, sizeof chunk, 0);
    } while (got < 0 && errno == EINTR);
    if (got == 0) {
      throw std::runtime_error("redis closed the connection");
    }
    if (got < 0) {
      fail_with_errno("no reply from redis");
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }

  int connection_;
  std::string buffer_;
};

// Reads one complete reply (arrays recursively) and appends its raw bytes to raw.
void read_reply(socket_reader& reader, std::string& raw) {
  const std::string header = reader.line();
  raw += header;
  if (header[0] != '$' && header[0] != '*') {
    return;  // a status, error or integer is one line
  }
  const long count = std::stol(header.substr(1));
  if (header[0] == '$' && count >= 0) {
    raw += reader.bytes(static_cast<std::size_t>(count) + 2);
  }
  for (long index = 0; header[0] == '*' && index < count; ++index) {
    read_reply(reader, raw);
  }
}

// Sends one command to 127.0.0.1:port and returns the raw reply.
std::string run_command(std::uint16_t port, const std::vector<std::string>& arguments) {
  const file_descriptor connection = connect_to(port);
  send_all(connection.get(), encode(arguments));
  socket_reader reader{connection.get()};
  std::string raw;
  read_reply(reader, raw);
  return raw;
}

}  // namespace

redis_process::redis_process() {
  for (int attempt = 1; attempt <= port_attempts; ++attempt) {
    port_ = free_port();
    spawn();
    try {
      if (wait_until_ready()) {
        return;
      }
    } catch (...) {
      child_.kill_hard();
      throw;
    }
    // It exited, most likely because another process took the port: try another one.
  }
  throw std::runtime_error("redis-server exited at start " + std::to_string(port_attempts) +
                           " times\n--- log ---\n" + log_tail());
}

redis_process::~redis_process() = default;  // child_process kills a Redis still running

void redis_process::spawn() {
  child_.spawn({redis_binary, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", directory_.path().string()},
               directory_.path() / "redis.log");
}

bool redis_process::wait_until_ready() {
  bool exited = false;
  const bool settled = wait_until(
      [&] {
        exited = child_.reap(false);
        try {
          return exited || run_command(port_, {"PING"}) == "+PONG\r\n";
        } catch (const std::runtime_error&) {
          return false;  // not listening yet
        }
      },
      ready_timeout, poll_interval);
  if (!settled) {
    throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                             " within " + std::to_string(ready_timeout.count()) +
                             " s\n--- log ---\n" + log_tail());
  }
  return !exited;
}

bool redis_process::running() {
  return child_.running();
}

void redis_process::stop() {
  child_.signal(SIGTERM);
  if (!child_.wait_for_exit(stop_timeout)) {
    child_.kill_hard();
  }
}

void redis_process::shutdown_nosave() {
  try {
    command({"SHUTDOWN", "NOSAVE"});
  } catch (const std::runtime_error&) {
    // Redis closes the connection instead of replying once it shuts down.
  }
  if (!child_.wait_for_exit(stop_timeout)) {
    child_.kill_hard();
  }
}

void redis_process::start() {
  if (running()) {
    throw std::logic_error("redis_process::start: redis-server is still running");
  }
  spawn();
  bool ready = false;
  try {
    ready = wait_until_ready();
  } catch (...) {
    child_.kill_hard();
    throw;
  }
  if (!ready) {
    throw std::runtime_error("redis-server exited at restart on port " + std::to_string(port_) +
                             "\n--- log ---\n" + log_tail());
  }
}

void redis_process::pause() {
  child_.pause();
}

void redis_process::resume() {
  child_.resume();
}

std::string redis_process::command(const std::vector<std::string>& arguments) const {
  return run_command(port_, arguments);
}

std::string redis_process::log_tail(std::size_t bytes) const {
  return tail_of_file(directory_.path() / "redis.log", bytes);
}

}  // namespace anquanli::test
