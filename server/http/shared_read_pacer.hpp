// Paces the reads of figures everyone shares (routes of load_priority::shared_read: the
// leaderboards) while participants are at work. A crowd of watchers refreshing the rankings must
// not slow down the people answering timed questions: on two cores, every read served is CPU an
// answer waits for. So while a participant's write arrived within the last `busy_window`, shared
// reads take turns at `per_second` (a queue, not a refusal: a refused read would be retried at
// once and cost as much again); when nobody is at work they are not paced at all, so an idle
// evening serves the rankings as fast as the machine can. A read whose turn is further off than
// `max_wait` is refused (503, Retry-After), which bounds how many can queue.
//
// Lock-free: the next free turn is one atomic, moved by compare-and-swap from any I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "server/core/time_source.hpp"

namespace anquanli {

class shared_read_pacer {
 public:
  // per_second <= 0: never paced.
  shared_read_pacer(double per_second, std::chrono::milliseconds busy_window,
                    std::chrono::milliseconds max_wait);

  // A participant's write arrived at `now`.
  void note_work(monotonic_instant now) noexcept;

  // Takes the next turn of a shared read arriving at `now`: how long it must wait for it (zero
  // when nobody is at work or the turn is free), or nullopt (nothing taken) when the turn is
  // further off than max_wait.
  [[nodiscard]] std::optional<std::chrono::nanoseconds> reserve(monotonic_instant now) noexcept;

 private:
  std::int64_t interval_ns_;  // between turns; 0 when never paced
  std::int64_t busy_window_ns_;
  std::int64_t max_wait_ns_;
  std::atomic<std::int64_t> last_work_ns_;
  std::atomic<std::int64_t> next_turn_ns_{0};
};

}  // namespace anquanli
