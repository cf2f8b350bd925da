#include "engine/instant.hpp"

#include <array>
#include <cstdio>

#include "engine/day_key.hpp"
#include "engine/text_digits.hpp"

namespace anquanli {

std::string format_utc_offset(utc_offset offset) {
  const char sign = offset.count() < 0 ? '-' : '+';
  const auto total = offset.count() < 0 ? -offset.count() : offset.count();
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%c%02d:%02d", sign, static_cast<int>(total / 60),
                static_cast<int>(total % 60));
  return buffer.data();
}

std::string format_rfc3339(instant at, utc_offset offset) {
  const auto local = at + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss time{local - day};
  std::string text = to_string(day_key{day});
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "T%02d:%02d:%02d",
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  text += buffer.data();
  if (const auto millis = time.subseconds().count(); millis != 0) {
    std::snprintf(buffer.data(), buffer.size(), ".%03d", static_cast<int>(millis));
    text += buffer.data();
  }
  return text + format_utc_offset(offset);
}

std::optional<utc_offset> parse_utc_offset(std::string_view text) {
  if (text == "Z" || text == "z") {
    return utc_offset{0};
  }
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  const auto hours = parse_digits(text.substr(1, 2));
  const auto minutes = parse_digits(text.substr(4, 2));
  if (!hours || !minutes || *minutes >= 60 || *hours * 60 + *minutes > 18 * 60) {
    return std::nullopt;
  }
  const utc_offset magnitude{*hours * 60 + *minutes};
  return text[0] == '-' ? -magnitude : magnitude;
}

std::optional<instant> parse_rfc3339(std::string_view text) {
  // 2021-06-01T08:00:00[.fff…](Z|±hh:mm)
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto day = parse_day_key(text.substr(0, 10));
  const auto hours = parse_digits(text.substr(11, 2));
  const auto minutes = parse_digits(text.substr(14, 2));
  const auto seconds = parse_digits(text.substr(17, 2));
  if (!day || !hours || !minutes || !seconds || *hours > 23 || *minutes > 59 || *seconds > 59) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  long long millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      if (digits <= 3) {
        millis = millis * 10 + (rest[digits] - '0');
      }
      ++digits;
    }
    if (digits == 1) {
      return std::nullopt;
    }
    for (std::size_t scale = digits; scale < 4; ++scale) {
      millis *= 10;
    }
    rest = rest.substr(digits);
  }
  const auto offset = parse_utc_offset(rest);
  if (!offset) {
    return std::nullopt;
  }
  const auto local = std::chrono::sys_days{day->days()} + std::chrono::hours{*hours} +
                     std::chrono::minutes{*minutes} + std::chrono::seconds{*seconds} +
                     std::chrono::milliseconds{millis};
  return instant{local - *offset};
}

}  // namespace anquanli
