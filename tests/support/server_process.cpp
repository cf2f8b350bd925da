#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>
#include <utility>

namespace anquanli::test {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::chrono::milliseconds poll_interval{20};
constexpr std::chrono::seconds ready_timeout{20};
constexpr std::chrono::seconds stop_timeout{10};
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
file_descriptor open_or_throw(const std::filesystem::path& path, int flags) {
  file_descriptor descriptor{::open(path.c_str(), flags | O_CLOEXEC, 0644)};
  if (descriptor.get() < 0) {
    fail_with_errno("cannot open " + path.string());
  }
  return descriptor;
}

// In the child: writes errno to the parent's report pipe and exits. Async-signal-safe.
[[noreturn]] void report_and_exit(int report) {
  const int error = errno;
  [[maybe_unused]] const auto written = ::write(report, &error, sizeof error);
  ::_exit(127);
}

// In the child: makes the program start clean and execs it; never returns. Async-signal-safe
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
  // Sockets and files the test holds must not leak into the server (the report pipe is already
  // close-on-exec, so it still reaches a failed exec).
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int descriptor = 3; descriptor <= highest_descriptor_fallback; ++descriptor) {
      ::fcntl(descriptor, F_SETFD, FD_CLOEXEC);
    }
  }
  ::execv(argv[0], argv);
  report_and_exit(report);
}

// The port of the first `HOST:PORT\n` line of file, if the file exists and has one.
std::optional<unsigned short> read_port(const std::filesystem::path& file) {
  std::ifstream input{file};
  std::string line;
  if (!input || !std::getline(input, line) || input.eof()) {
    return std::nullopt;  // missing, empty, or the line has no newline yet
  }
  const auto colon = line.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return std::nullopt;
  }
  unsigned value = 0;
  const char* end = line.data() + line.size();
  const auto [stop, error] = std::from_chars(line.data() + colon + 1, end, value);
  if (error != std::errc{} || stop != end || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<unsigned short>(value);
}

// The whole text of file, or "" when it cannot be read.
std::string read_text(const std::filesystem::path& file) {
  std::ifstream input{file, std::ios::binary};
  return std::string{std::istreambuf_iterator<char>{input}, std::istreambuf_iterator<char>{}};
}

}  // namespace

server_process::server_process(std::filesystem::path binary, std::vector<std::string> arguments,
                               std::filesystem::path ready_file, std::filesystem::path log_file)
    : binary_(std::move(binary)),
      ready_file_(std::move(ready_file)),
      log_file_(std::move(log_file)) {
  std::error_code error;
  std::filesystem::remove(ready_file_, error);
  if (error) {
    throw std::runtime_error("cannot delete stale ready file " + ready_file_.string() + ": " +
                             error.message());
  }
  spawn(arguments);
  try {
    wait_until_ready();
  } catch (...) {
    kill_hard();
    throw;
  }
}

server_process::~server_process() {
  kill_hard();
}

void server_process::spawn(const std::vector<std::string>& arguments) {
  std::vector<std::string> words{binary_.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);

  const file_descriptor input = open_or_throw("/dev/null", O_RDONLY);
  const file_descriptor log = open_or_throw(log_file_, O_WRONLY | O_CREAT | O_APPEND);
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
  report_write.reset();
  int child_error = 0;
  ssize_t got = 0;
  do {
    got = ::read(report_read.get(), &child_error, sizeof child_error);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    reap(true);
    throw std::runtime_error("cannot start " + binary_.string() + ": " +
                             std::strerror(child_error));
  }
}

void server_process::wait_until_ready() {
  const auto deadline = clock_type::now() + ready_timeout;
  while (true) {
    if (reap(false)) {
      throw std::runtime_error(failure(binary_.string() + " exited with status " +
                                       std::to_string(*exit_status_) + " before it was ready"));
    }
    if (const auto port = read_port(ready_file_)) {
      port_ = *port;
      return;
    }
    if (clock_type::now() >= deadline) {
      throw std::runtime_error(failure(binary_.string() + " wrote no HOST:PORT line to " +
                                       ready_file_.string() + " within 20 s (it holds \"" +
                                       read_text(ready_file_) + "\")"));
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

bool server_process::reap(bool block) {
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

bool server_process::running() {
  return !reap(false);
}

int server_process::stop() {
  if (!reap(false)) {
    ::kill(pid_, SIGTERM);  // still our unreaped child, so the pid cannot have been reused
    const auto deadline = clock_type::now() + stop_timeout;
    while (!reap(false) && clock_type::now() < deadline) {
      std::this_thread::sleep_for(poll_interval);
    }
    kill_hard();
  }
  return *exit_status_;
}

void server_process::kill_hard() {
  if (!reap(false)) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
}

std::string server_process::log_tail(std::size_t bytes) const {
  std::ifstream input{log_file_, std::ios::binary | std::ios::ate};
  const std::streamoff size = input ? std::streamoff{input.tellg()} : -1;
  if (size <= 0) {
    return {};
  }
  const auto wanted =
      static_cast<std::streamoff>(std::min<std::size_t>(bytes, std::size_t{1} << 30));
  const std::streamoff start = size > wanted ? size - wanted : 0;
  input.seekg(start);
  std::string tail(static_cast<std::size_t>(size - start), '\0');
  input.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<std::size_t>(input.gcount()));
  return tail;
}

std::string server_process::failure(const std::string& what) const {
  return what + "\n--- tail of " + log_file_.string() + " ---\n" + log_tail();
}

}  // namespace anquanli::test
