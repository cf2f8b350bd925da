#include "server/http/shared_read_pacer.hpp"

#include <algorithm>
#include <limits>

namespace anquanli {

namespace {

std::int64_t nanoseconds_of(monotonic_instant at) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
}

}  // namespace

shared_read_pacer::shared_read_pacer(double per_second, std::chrono::milliseconds busy_window,
                                     std::chrono::milliseconds max_wait)
    : interval_ns_(per_second > 0
                       ? std::max<std::int64_t>(static_cast<std::int64_t>(1e9 / per_second), 1)
                       : 0),
      busy_window_ns_(std::chrono::nanoseconds{busy_window}.count()),
      max_wait_ns_(std::chrono::nanoseconds{max_wait}.count()),
      last_work_ns_(std::numeric_limits<std::int64_t>::min() / 2) {}

void shared_read_pacer::note_work(monotonic_instant now) noexcept {
  last_work_ns_.store(nanoseconds_of(now), std::memory_order_relaxed);
}

std::optional<std::chrono::nanoseconds> shared_read_pacer::reserve(monotonic_instant now) noexcept {
  const std::int64_t at = nanoseconds_of(now);
  if (interval_ns_ == 0 || at - last_work_ns_.load(std::memory_order_relaxed) > busy_window_ns_) {
    return std::chrono::nanoseconds{0};
  }
  std::int64_t next = next_turn_ns_.load(std::memory_order_relaxed);
  for (;;) {
    const std::int64_t turn = std::max(next, at);
    if (turn - at > max_wait_ns_) {
      return std::nullopt;
    }
    if (next_turn_ns_.compare_exchange_weak(next, turn + interval_ns_, std::memory_order_relaxed)) {
      return std::chrono::nanoseconds{turn - at};
    }
  }
}

}  // namespace anquanli
