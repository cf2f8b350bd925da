// The only way anything in anquanli learns the time. Rules receive instants as arguments; this is
// where they come from. Two clocks, because they answer different questions:
//   now()       — the competition's instant (which day is it, has the window opened, when does a
//                 question's time run out). A configured start ([clock] start) lets a demo or a
//                 test live inside the June window on any date: the clock starts there and runs on.
//   monotonic() — for intervals only (cache lifetimes, queue ages, request latency, timeouts); it
//                 never jumps when the wall clock is set.
// Tests that are about time drive manual_time_source instead; nothing else reads a clock.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "engine/instant.hpp"

namespace anquanli {

using monotonic_instant = std::chrono::steady_clock::time_point;

class time_source {
 public:
  virtual ~time_source() = default;
  [[nodiscard]] virtual instant now() const = 0;
  [[nodiscard]] virtual monotonic_instant monotonic() const = 0;
};

class system_time_source final : public time_source {
 public:
  // Starts at `start` when given, at the system time otherwise.
  explicit system_time_source(std::optional<instant> start = std::nullopt) noexcept
      : offset_(start ? *start - read_system() : std::chrono::milliseconds{0}) {}

  [[nodiscard]] instant now() const override { return read_system() + offset_; }
  [[nodiscard]] monotonic_instant monotonic() const override {
    return std::chrono::steady_clock::now();
  }

 private:
  static instant read_system() noexcept {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }

  std::chrono::milliseconds offset_;
};

// A clock that moves only when told to: for tests about time (cache lifetimes, queue ages,
// deadlines). Thread-safe.
class manual_time_source final : public time_source {
 public:
  explicit manual_time_source(instant start = instant{})
      : now_ms_(start.time_since_epoch().count()) {}

  [[nodiscard]] instant now() const override {
    return instant{std::chrono::milliseconds{now_ms_.load()}};
  }
  [[nodiscard]] monotonic_instant monotonic() const override {
    return monotonic_instant{std::chrono::milliseconds{now_ms_.load()}};
  }
  void advance(std::chrono::milliseconds step) { now_ms_.fetch_add(step.count()); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace anquanli
