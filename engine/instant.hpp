// Time as the rules see it: an instant is a point on the UTC time line with millisecond
// resolution. The engine never reads a clock; callers pass the instant in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace anquanli {

using instant = std::chrono::sys_time<std::chrono::milliseconds>;

// Offset of local civil time from UTC, e.g. +08:00 for China Standard Time.
using utc_offset = std::chrono::minutes;

inline constexpr utc_offset china_standard_time{8 * 60};

// RFC 3339 with the given offset, e.g. "2021-06-01T08:00:00+08:00" (milliseconds shown only
// when not zero).
[[nodiscard]] std::string format_rfc3339(instant at, utc_offset offset);

// Parses RFC 3339 ("2021-06-01T08:00:00+08:00", "…Z", optional fraction). Empty on any error.
[[nodiscard]] std::optional<instant> parse_rfc3339(std::string_view text);

// "+08:00" / "-05:30". Empty on any error; offsets beyond ±18:00 are refused.
[[nodiscard]] std::optional<utc_offset> parse_utc_offset(std::string_view text);
[[nodiscard]] std::string format_utc_offset(utc_offset offset);

}  // namespace anquanli
