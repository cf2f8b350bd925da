#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "tests/support/file_descriptor.hpp"
#include "tests/support/wait_until.hpp"

namespace anquanli::test {

namespace {

constexpr int highest_descriptor_fallback = 65535;
constexpr std::chrono::milliseconds poll_interval{20};

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
  // Sockets and files the test holds must not leak into the child (the report pipe is already
  // close-on-exec, so it still reaches a failed exec).
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int descriptor = 3; descriptor <= highest_descriptor_fallback; ++descriptor) {
      ::fcntl(descriptor, F_SETFD, FD_CLOEXEC);
    }
  }
  ::execv(argv[0], argv);
  report_and_exit(report);
}

}  // namespace

child_process::~child_process() {
  kill_hard();
}

void child_process::spawn(std::vector<std::string> words, const std::filesystem::path& log_file) {
  if (!reap(false)) {
    throw std::logic_error("child_process::spawn: the previous child is still running");
  }
  std::vector<char*> argv;
  for (std::string& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  const file_descriptor input = open_or_throw("/dev/null", O_RDONLY);
  const file_descriptor log = open_or_throw(log_file, O_WRONLY | O_CREAT | O_APPEND);
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
    throw std::runtime_error("cannot start " + words.front() + ": " + std::strerror(child_error));
  }
}

bool child_process::reap(bool block) {
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
  } else {
    record_exit(status);
  }
  return true;
}

void child_process::record_exit(int status) {
  if (WIFEXITED(status)) {
    exit_status_ = WEXITSTATUS(status);
  } else {
    exit_status_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }
  paused_ = false;
}

void child_process::pause() {
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
    record_exit(status);
  }
}

void child_process::resume() {
  if (paused_ && running()) {
    ::kill(pid_, SIGCONT);
  }
  paused_ = false;
}

void child_process::signal(int signal_number) {
  if (!reap(false)) {
    if (paused_) {
      resume();  // a stopped child would not act on the signal
    }
    ::kill(pid_, signal_number);  // still our unreaped child, so the pid cannot have been reused
  }
}

bool child_process::wait_for_exit(std::chrono::milliseconds timeout) {
  return wait_until([this] { return reap(false); }, timeout, poll_interval);
}

void child_process::kill_hard() {
  if (!reap(false)) {
    ::kill(pid_, SIGKILL);  // ends a stopped child too
    reap(true);
  }
  paused_ = false;
}

std::string tail_of_file(const std::filesystem::path& file, std::size_t bytes) {
  std::ifstream input{file, std::ios::binary | std::ios::ate};
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

}  // namespace anquanli::test
