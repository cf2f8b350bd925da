// A fresh directory under $TMPDIR for one test, removed with everything in it afterwards.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace anquanli::test {

class temporary_directory {
 public:
  temporary_directory() : temporary_directory(default_base()) {}
  // A fresh directory under `base` (which must exist).
  explicit temporary_directory(const std::filesystem::path& base) {
    std::string pattern = (base / "anquanli-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  temporary_directory(const temporary_directory&) = delete;
  temporary_directory& operator=(const temporary_directory&) = delete;
  ~temporary_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  static std::filesystem::path default_base() {
    const char* base = std::getenv("TMPDIR");
    return base != nullptr ? base : "/tmp";
  }

 private:
  std::filesystem::path path_;
};

}  // namespace anquanli::test
