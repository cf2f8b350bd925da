#include "server/report/xlsx_file.hpp"

#include <unistd.h>
#include <xlsxwriter.h>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace anquanli {

namespace {

struct workbook_deleter {
  void operator()(lxw_workbook* workbook) const noexcept { lxw_workbook_free(workbook); }
};
using workbook_ptr = std::unique_ptr<lxw_workbook, workbook_deleter>;

// $TMPDIR, or /tmp when it is unset or empty.
std::string temporary_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? std::string{dir} : std::string{"/tmp"};
}

// A private file made by mkstemp, closed and removed when this goes out of scope.
class temporary_file {
 public:
  temporary_file(const std::string& dir, std::string_view what)
      : path_(dir + "/anquanli-xlsx-XXXXXX"), what_(what) {
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      const int error = errno;
      throw std::runtime_error(what_ + ": cannot create a temporary file in " + dir + ": " +
                               std::generic_category().message(error));
    }
  }
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;
  ~temporary_file() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  // The whole content, read through the descriptor mkstemp opened (the writer truncates the
  // same file, so this never reopens the path).
  [[nodiscard]] std::string read_all() const {
    if (::lseek(fd_, 0, SEEK_SET) != 0) {
      throw std::runtime_error(what_ + ": cannot rewind the temporary file");
    }
    std::string content;
    std::array<char, 65536> buffer{};
    for (;;) {
      const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got < 0) {
        const int error = errno;
        throw std::runtime_error(
            what_ + ": cannot read the temporary file: " + std::generic_category().message(error));
      }
      if (got == 0) {
        return content;
      }
      content.append(buffer.data(), static_cast<std::size_t>(got));
    }
  }

 private:
  std::string path_;
  std::string what_;
  int fd_ = -1;
};

}  // namespace

std::string xlsx_bytes(std::string_view what, const std::function<void(lxw_workbook*)>& fill) {
  std::string dir = temporary_directory();
  const temporary_file file(dir, what);
  lxw_workbook_options options{};
  options.tmpdir = dir.data();
  workbook_ptr workbook(workbook_new_opt(file.path().c_str(), &options));
  if (!workbook) {
    throw std::runtime_error(std::string{what} + ": workbook_new_opt failed");
  }
  fill(workbook.get());
  if (const lxw_error error = workbook_close(workbook.release()); error != LXW_NO_ERROR) {
    throw std::runtime_error(std::string{what} + ": workbook_close: " + lxw_strerror(error));
  }
  return file.read_all();
}

}  // namespace anquanli
