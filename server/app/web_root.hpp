// Where the server finds the browser pages it serves. `[web] root` wins when it is set. Without
// it, an installed server finds its pages beside its binary (PREFIX/bin/anquanli-server serves
// PREFIX/share/anquanli/web), whatever its working directory; a server run from a checkout, as
// scripts/run.sh runs it, serves `web` in the working directory.
#pragma once

#include <filesystem>
#include <optional>

namespace anquanli {

// The pages' directory: `configured` when given, else the first of EXE_DIR/../share/anquanli/web
// and ./web that holds an index.html, else ./web (which then serves nothing; the caller warns).
[[nodiscard]] std::filesystem::path find_web_root(
    const std::optional<std::filesystem::path>& configured,
    const std::filesystem::path& executable);

// The path of the running binary (from /proc/self/exe); empty when it cannot be read.
[[nodiscard]] std::filesystem::path running_executable();

}  // namespace anquanli
