// Tests wait on conditions, never on fixed sleeps. wait_until asks a condition again every few
// milliseconds until it holds or a generous deadline passes; only the deadline is a duration, and
// it is long enough that a slow machine (a sanitizer build, a neighbour's compile) does not reach
// it while the server is working correctly. Every clock read of the tests goes through
// monotonic_now(), which is the system time source's monotonic clock.
#pragma once

#include <chrono>
#include <functional>

#include "server/core/time_source.hpp"

namespace anquanli::test {

// What a test allows the server for something it must do "soon": far beyond what it needs.
inline constexpr std::chrono::milliseconds patient_deadline{30'000};
inline constexpr std::chrono::milliseconds default_poll_interval{10};

// The monotonic clock of system_time_source: for deadlines and for timing requests.
[[nodiscard]] monotonic_instant monotonic_now();

// Calls `condition` until it returns true (then returns true) or `within` has passed since the
// call (then returns false, after asking one last time). Waits `poll_interval` between calls.
[[nodiscard]] bool wait_until(const std::function<bool()>& condition,
                              std::chrono::milliseconds within = patient_deadline,
                              std::chrono::milliseconds poll_interval = default_poll_interval);

}  // namespace anquanli::test
