// The server's only way to learn the time. Rules receive instants as arguments; this is where they
// come from. A configured start instant ([clock] start) lets a demo or a test live inside the June
// window on any date: the clock starts there and runs on at real speed.
#pragma once

#include <chrono>
#include <optional>

#include "engine/instant.hpp"

namespace anquanli {

class clock_source {
 public:
  // Starts at `start` when given, at the system time otherwise.
  explicit clock_source(std::optional<instant> start = std::nullopt)
      : offset_(start ? *start - read_system() : std::chrono::milliseconds{0}) {}

  [[nodiscard]] instant now() const { return read_system() + offset_; }

 private:
  static instant read_system() {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }

  std::chrono::milliseconds offset_;
};

}  // namespace anquanli
