#include "server/app/web_root.hpp"

namespace anquanli {

namespace {

bool holds_pages(const std::filesystem::path& directory) {
  std::error_code error;
  return std::filesystem::is_regular_file(directory / "index.html", error);
}

}  // namespace

std::filesystem::path find_web_root(const std::optional<std::filesystem::path>& configured,
                                    const std::filesystem::path& executable) {
  if (configured) {
    return *configured;
  }
  if (!executable.empty()) {
    auto installed =
        (executable.parent_path() / ".." / "share" / "anquanli" / "web").lexically_normal();
    if (holds_pages(installed)) {
      return installed;
    }
  }
  return "web";
}

std::filesystem::path running_executable() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return {};
  }
  return path;
}

}  // namespace anquanli
