#include "engine/instant.hpp"

#include <catch2/catch.hpp>

#include "test_rules.hpp"

using namespace anquanli;
using anquanli::test::june;

TEST_CASE("instants format as RFC 3339 in the competition's offset", "[instant]") {
  CHECK(format_rfc3339(june(1, 8, 5, 9), china_standard_time) == "2021-06-01T08:05:09+08:00");
  CHECK(format_rfc3339(june(1, 8) + std::chrono::milliseconds{250}, china_standard_time) ==
        "2021-06-01T08:00:00.250+08:00");
  CHECK(format_rfc3339(june(1, 0), utc_offset{0}) == "2021-05-31T16:00:00+00:00");
}

TEST_CASE("RFC 3339 parses with any offset and rejects nonsense", "[instant]") {
  CHECK(parse_rfc3339("2021-06-01T08:05:09+08:00") == june(1, 8, 5, 9));
  CHECK(parse_rfc3339("2021-06-01T00:05:09Z") == june(1, 8, 5, 9));
  CHECK(parse_rfc3339("2021-05-31T20:05:09-04:00") == june(1, 8, 5, 9));
  CHECK(parse_rfc3339("2021-06-01T08:05:09.5+08:00") ==
        june(1, 8, 5, 9) + std::chrono::milliseconds{500});
  CHECK_FALSE(parse_rfc3339("2021-06-01 08:05"));
  CHECK_FALSE(parse_rfc3339("2021-06-01T24:00:00+08:00"));
  CHECK_FALSE(parse_rfc3339("2021-06-01T08:00:00+8:00"));
  CHECK_FALSE(parse_rfc3339("2021-06-01T08:00:00+08:00junk"));
  CHECK_FALSE(parse_rfc3339("2021-06-01T08:00:00."));
}

TEST_CASE("UTC offsets parse and format", "[instant]") {
  CHECK(parse_utc_offset("+08:00") == china_standard_time);
  CHECK(parse_utc_offset("-05:30") == utc_offset{-330});
  CHECK(format_utc_offset(utc_offset{-330}) == "-05:30");
  CHECK_FALSE(parse_utc_offset("+19:00"));
  CHECK_FALSE(parse_utc_offset("+08:60"));
  CHECK_FALSE(parse_utc_offset("0800"));
}
