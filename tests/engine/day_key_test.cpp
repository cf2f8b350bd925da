#include "engine/day_key.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>

#include "test_rules.hpp"

using namespace anquanli;
using anquanli::test::june;

namespace {

// Sets the process time zone for one test and restores it afterwards.
class scoped_time_zone {
 public:
  explicit scoped_time_zone(const char* zone) {
    if (const char* old = std::getenv("TZ")) {
      previous_ = old;
    }
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~scoped_time_zone() {
    if (previous_.empty()) {
      ::unsetenv("TZ");
    } else {
      ::setenv("TZ", previous_.c_str(), 1);
    }
    ::tzset();
  }

 private:
  std::string previous_;
};

}  // namespace

TEST_CASE("the day key follows +08:00 at midnight whatever the host's TZ", "[day_key]") {
  const char* zone = GENERATE("America/New_York", "UTC", "Pacific/Kiritimati", "Asia/Shanghai");
  const scoped_time_zone host(zone);
  CAPTURE(zone);
  CHECK(to_string(day_key_of(june(1, 23, 59, 59), china_standard_time)) == "2021-06-01");
  CHECK(to_string(day_key_of(june(2, 0, 0, 0), china_standard_time)) == "2021-06-02");
  CHECK(to_string(day_key_of(june(2, 0, 0, 0) - std::chrono::milliseconds{1},
                             china_standard_time)) == "2021-06-01");
}

TEST_CASE("the same instant falls on different days in different offsets", "[day_key]") {
  const instant at = june(1, 7, 30);  // 2021-05-31T23:30:00Z
  CHECK(to_string(day_key_of(at, china_standard_time)) == "2021-06-01");
  CHECK(to_string(day_key_of(at, utc_offset{0})) == "2021-05-31");
}

TEST_CASE("start_of gives the local midnight that begins a day", "[day_key]") {
  const day_key first{std::chrono::year{2021} / std::chrono::June / 1};
  CHECK(start_of(first, china_standard_time) == june(1, 0, 0, 0));
  CHECK(day_key_of(start_of(first, china_standard_time), china_standard_time) == first);
  CHECK(first.next() == day_key{std::chrono::year{2021} / std::chrono::June / 2});
}

TEST_CASE("day keys parse strictly and round-trip", "[day_key]") {
  CHECK(parse_day_key("2021-06-30").has_value());
  CHECK(to_string(*parse_day_key("2024-02-29")) == "2024-02-29");
  CHECK_FALSE(parse_day_key("2021-02-29"));
  CHECK_FALSE(parse_day_key("2021-6-1"));
  CHECK_FALSE(parse_day_key("2021-06-31"));
  CHECK_FALSE(parse_day_key("2021/06/01"));
  CHECK_FALSE(parse_day_key(""));
  CHECK_FALSE(parse_day_key("2021-06-0a"));
}
