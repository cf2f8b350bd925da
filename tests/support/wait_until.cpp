#include "tests/support/wait_until.hpp"

#include <thread>

namespace anquanli::test {

monotonic_instant monotonic_now() {
  static const system_time_source clock;
  return clock.monotonic();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds within,
                std::chrono::milliseconds poll_interval) {
  const auto deadline = monotonic_now() + within;
  while (monotonic_now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(poll_interval);  // the pace of asking, not a guess at a duration
  }
  return condition();
}

}  // namespace anquanli::test
