// Shared fixtures for engine tests: instants written as China Standard Time wall clock.
#pragma once

#include "engine/competition_rules.hpp"
#include "engine/day_key.hpp"
#include "engine/instant.hpp"

namespace anquanli::test {

// 2021-06-dd hh:mm:ss +08:00
inline instant june(int day, int hour = 10, int minute = 0, int second = 0) {
  using namespace std::chrono;
  const sys_days date = year{2021} / June / std::chrono::day{static_cast<unsigned>(day)};
  return instant{date + hours{hour} + minutes{minute} + seconds{second}} - china_standard_time;
}

}  // namespace anquanli::test
