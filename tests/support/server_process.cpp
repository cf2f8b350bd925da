#include "tests/support/server_process.hpp"

#include <signal.h>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <utility>

#include "tests/support/wait_until.hpp"

namespace anquanli::test {

namespace {

constexpr std::chrono::milliseconds poll_interval{20};
constexpr std::chrono::seconds ready_timeout{60};  // a sanitizer build on a busy machine
constexpr std::chrono::milliseconds stop_timeout{10'000};

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
  std::vector<std::string> words{binary_.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  child_.spawn(std::move(words), log_file_);
  try {
    wait_until_ready();
  } catch (...) {
    child_.kill_hard();
    throw;
  }
}

server_process::~server_process() = default;  // child_process kills a child still running

void server_process::wait_until_ready() {
  std::optional<unsigned short> port;
  bool exited = false;
  const bool settled = wait_until(
      [&] {
        exited = child_.reap(false);
        port = exited ? std::nullopt : read_port(ready_file_);
        return exited || port.has_value();
      },
      ready_timeout, poll_interval);
  if (exited) {
    throw std::runtime_error(failure(binary_.string() + " exited with status " +
                                     std::to_string(child_.exit_status().value_or(-1)) +
                                     " before it was ready"));
  }
  if (!settled) {
    throw std::runtime_error(failure(binary_.string() + " wrote no HOST:PORT line to " +
                                     ready_file_.string() + " within " +
                                     std::to_string(ready_timeout.count()) + " s (it holds \"" +
                                     read_text(ready_file_) + "\")"));
  }
  port_ = *port;
}

bool server_process::running() {
  return child_.running();
}

int server_process::stop() {
  child_.signal(SIGTERM);
  if (!child_.wait_for_exit(stop_timeout)) {
    child_.kill_hard();
  }
  return child_.exit_status().value_or(-1);
}

void server_process::kill_hard() {
  child_.kill_hard();
}

std::string server_process::log_tail(std::size_t bytes) const {
  return tail_of_file(log_file_, bytes);
}

std::string server_process::failure(const std::string& what) const {
  return what + "\n--- tail of " + log_file_.string() + " ---\n" + log_tail();
}

}  // namespace anquanli::test
