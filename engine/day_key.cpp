#include "engine/day_key.hpp"

#include <array>
#include <cstdio>

#include "engine/text_digits.hpp"

namespace anquanli {

day_key day_key_of(instant at, utc_offset offset) {
  return day_key{std::chrono::floor<std::chrono::days>(at + offset)};
}

instant start_of(day_key day, utc_offset offset) {
  return instant{std::chrono::sys_days{day.days()} - offset};
}

std::string to_string(day_key day) {
  const std::chrono::year_month_day date{day.days()};
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer.data();
}

std::optional<day_key> parse_day_key(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto year = parse_digits(text.substr(0, 4));
  const auto month = parse_digits(text.substr(5, 2));
  const auto day = parse_digits(text.substr(8, 2));
  if (!year || !month || !day) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return day_key{date};
}

}  // namespace anquanli
