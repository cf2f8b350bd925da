// A small tmpfs of its own, so a test can fill a disk without touching the machine's. Mounting
// needs CAP_SYS_ADMIN: the README's test command runs as root (it installs packages), and without
// that right the constructor throws with a message that says so rather than skipping the test.
#pragma once

#include <sys/mount.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/support/temporary_directory.hpp"

namespace anquanli::test {

class tmpfs_mount {
 public:
  explicit tmpfs_mount(std::size_t megabytes) {
    const std::string options = "size=" + std::to_string(megabytes) + "m,mode=0700";
    if (::mount("tmpfs", mount_point_.path().c_str(), "tmpfs", 0, options.c_str()) != 0) {
      throw std::runtime_error(
          "cannot mount a tmpfs on " + mount_point_.path().string() + ": " + std::strerror(errno) +
          " (the disk-full test needs root, as the README's test command has)");
    }
  }
  tmpfs_mount(const tmpfs_mount&) = delete;
  tmpfs_mount& operator=(const tmpfs_mount&) = delete;
  ~tmpfs_mount() { ::umount2(mount_point_.path().c_str(), MNT_DETACH); }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return mount_point_.path(); }

 private:
  temporary_directory mount_point_;
};

}  // namespace anquanli::test
