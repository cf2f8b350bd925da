#include "tests/support/redis_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace anquanli::test {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr const char* redis_binary = "/usr/bin/redis-server";
constexpr int port_attempts = 5;
constexpr std::chrono::milliseconds poll_interval{20};
constexpr std::chrono::seconds ready_timeout{10};
constexpr std::chrono::seconds stop_timeout{10};
constexpr std::chrono::seconds command_timeout{5};
constexpr int highest_descriptor_fallback = 65535;

// Owns one file descriptor and closes it.
class file_descriptor {
 public:
  explicit file_descriptor(int value) noexcept : value_(value) {}
  file_descriptor(file_descriptor&& other) noexcept : value_(std::exchange(other.value_, -1)) {}
  file_descriptor& operator=(file_descriptor&&) = delete;
  ~file_descriptor() { reset(); }

  [[nodiscard]] int get() const noexcept { return value_; }
  // Closes the descriptor now.
  void reset() noexcept {
    if (value_ >= 0) {
      ::close(value_);
    }
    value_ = -1;
  }

 private:
  int value_;
};

// Throws std::runtime_error with what and the text of errno.
[[noreturn]] void fail_with_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Opens path with flags (always close-on-exec); throws std::runtime_error if it cannot.
file_descriptor open_or_throw(const std::string& path, int flags) {
  file_descriptor descriptor{::open(path.c_str(), flags | O_CLOEXEC, 0644)};
  if (descriptor.get() < 0) {
    fail_with_errno("cannot open " + path);
  }
  return descriptor;
}

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

// In the child: writes errno to the parent's report pipe and exits. Async-signal-safe.
[[noreturn]] void report_and_exit(int report) {
  const int error = errno;
  [[maybe_unused]] const auto written = ::write(report, &error, sizeof error);
  ::_exit(127);
}

// In the child: makes redis-server start clean and execs it; never returns. Async-signal-safe
// calls only, because the parent may have other threads. The child dies with the test process.
[[noreturn]] void run_child(char* const* argv, int input, int log, int report, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(127);  // the test process is already gone
  }
  sigset_t nothing;
  ::sigemptyset(&nothing);
  ::sigprocmask(SIG_SETMASK, &nothing, nullptr);
  for (const int signal_number : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) {
    ::signal(signal_number, SIG_DFL);
  }
  if (::dup2(input, STDIN_FILENO) < 0 || ::dup2(log, STDOUT_FILENO) < 0 ||
      ::dup2(log, STDERR_FILENO) < 0) {
    report_and_exit(report);
  }
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int descriptor = 3; descriptor <= highest_descriptor_fallback; ++descriptor) {
      ::fcntl(descriptor, F_SETFD, FD_CLOEXEC);
    }
  }
  ::execv(argv[0], argv);
  report_and_exit(report);
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
      kill_hard();
      throw;
    }
    // It exited, most likely because another process took the port: try another one.
  }
  throw std::runtime_error("redis-server exited at start " + std::to_string(port_attempts) +
                           " times\n--- log ---\n" + log_tail());
}

redis_process::~redis_process() {
  kill_hard();
}

void redis_process::spawn() {
  std::vector<std::string> words{redis_binary,
                                 "--port",
                                 std::to_string(port_),
                                 "--bind",
                                 "127.0.0.1",
                                 "--save",
                                 "",
                                 "--appendonly",
                                 "no",
                                 "--daemonize",
                                 "no",
                                 "--dir",
                                 directory_.path().string()};
  std::vector<char*> argv;
  for (std::string& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);

  const file_descriptor input = open_or_throw("/dev/null", O_RDONLY);
  const file_descriptor log =
      open_or_throw((directory_.path() / "redis.log").string(), O_WRONLY | O_CREAT | O_APPEND);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    fail_with_errno("pipe2");
  }
  const file_descriptor report_read{report[0]};
  file_descriptor report_write{report[1]};
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) {
    fail_with_errno("fork");
  }
  if (child == 0) {
    run_child(argv.data(), input.get(), log.get(), report_write.get(), parent);
  }
  pid_ = child;
  exit_status_.reset();
  paused_ = false;
  report_write.reset();
  int child_error = 0;
  ssize_t got = 0;
  do {
    got = ::read(report_read.get(), &child_error, sizeof child_error);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    reap(true);
    throw std::runtime_error(std::string("cannot start ") + redis_binary + ": " +
                             std::strerror(child_error));
  }
}

bool redis_process::wait_until_ready() {
  const auto deadline = clock_type::now() + ready_timeout;
  while (clock_type::now() < deadline) {
    if (reap(false)) {
      return false;
    }
    try {
      if (run_command(port_, {"PING"}) == "+PONG\r\n") {
        return true;
      }
    } catch (const std::runtime_error&) {
      // not listening yet
    }
    std::this_thread::sleep_for(poll_interval);
  }
  throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                           " within 10 s\n--- log ---\n" + log_tail());
}

bool redis_process::reap(bool block) {
  if (exit_status_.has_value() || pid_ <= 0) {
    return true;
  }
  int status = 0;
  pid_t result = 0;
  do {
    result = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == 0) {
    return false;
  }
  if (result < 0) {
    exit_status_ = -1;  // reaped elsewhere: the pid may be reused, so never signal it again
  } else if (WIFEXITED(status)) {
    exit_status_ = WEXITSTATUS(status);
  } else {
    exit_status_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }
  return true;
}

bool redis_process::running() {
  return !reap(false);
}

void redis_process::kill_hard() {
  if (!reap(false)) {
    ::kill(pid_, SIGKILL);  // still our unreaped child, so the pid cannot have been reused
    reap(true);
  }
  paused_ = false;
}

void redis_process::stop() {
  if (!reap(false)) {
    if (paused_) {
      ::kill(pid_, SIGCONT);
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = clock_type::now() + stop_timeout;
    while (!reap(false) && clock_type::now() < deadline) {
      std::this_thread::sleep_for(poll_interval);
    }
  }
  kill_hard();
}

void redis_process::shutdown_nosave() {
  try {
    command({"SHUTDOWN", "NOSAVE"});
  } catch (const std::runtime_error&) {
    // Redis closes the connection instead of replying once it shuts down.
  }
  const auto deadline = clock_type::now() + stop_timeout;
  while (!reap(false) && clock_type::now() < deadline) {
    std::this_thread::sleep_for(poll_interval);
  }
  kill_hard();
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
    kill_hard();
    throw;
  }
  if (!ready) {
    throw std::runtime_error("redis-server exited at restart on port " + std::to_string(port_) +
                             "\n--- log ---\n" + log_tail());
  }
}

void redis_process::pause() {
  if (paused_ || !running()) {
    return;
  }
  ::kill(pid_, SIGSTOP);
  int status = 0;
  pid_t result = 0;
  do {
    result = ::waitpid(pid_, &status, WUNTRACED);
  } while (result < 0 && errno == EINTR);
  if (result == pid_ && WIFSTOPPED(status)) {
    paused_ = true;
  } else if (result == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
}

void redis_process::resume() {
  if (paused_ && running()) {
    ::kill(pid_, SIGCONT);
  }
  paused_ = false;
}

std::string redis_process::command(const std::vector<std::string>& arguments) const {
  return run_command(port_, arguments);
}

std::string redis_process::log_tail(std::size_t bytes) const {
  std::ifstream input{directory_.path() / "redis.log", std::ios::binary | std::ios::ate};
  const std::streamoff size = input ? std::streamoff{input.tellg()} : -1;
  if (size <= 0) {
    return {};
  }
  const auto wanted =
      static_cast<std::streamoff>(std::min<std::size_t>(bytes, std::size_t{1} << 30));
  const std::streamoff begin = size > wanted ? size - wanted : 0;
  input.seekg(begin);
  std::string tail(static_cast<std::size_t>(size - begin), '\0');
  input.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<std::size_t>(input.gcount()));
  return tail;
}

}  // namespace anquanli::test
