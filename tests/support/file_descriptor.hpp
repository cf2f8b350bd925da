// A file descriptor owned by the test support code, and the two ways it reports a failed call.
#pragma once

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace anquanli::test {

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
[[noreturn]] inline void fail_with_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Opens path with flags (always close-on-exec); throws std::runtime_error if it cannot.
inline file_descriptor open_or_throw(const std::filesystem::path& path, int flags) {
  file_descriptor descriptor{::open(path.c_str(), flags | O_CLOEXEC, 0644)};
  if (descriptor.get() < 0) {
    fail_with_errno("cannot open " + path.string());
  }
  return descriptor;
}

}  // namespace anquanli::test
