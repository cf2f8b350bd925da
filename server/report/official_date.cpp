#include "server/report/official_date.hpp"

#include <array>
#include <chrono>
#include <string_view>

namespace anquanli {

namespace {

constexpr std::array<std::string_view, 10> digits{"〇", "一", "二", "三", "四",
                                                  "五", "六", "七", "八", "九"};

// 1 → 一, 10 → 十, 16 → 十六, 20 → 二十, 31 → 三十一 (months and days only go to 31).
std::string small_number(unsigned value) {
  const unsigned tens = value / 10;
  const unsigned ones = value % 10;
  std::string text;
  if (tens > 1) {
    text += digits.at(tens);
  }
  if (tens > 0) {
    text += "十";
  }
  if (ones > 0 || tens == 0) {
    text += digits.at(ones);
  }
  return text;
}

std::chrono::year_month_day civil(day_key day) {
  return std::chrono::year_month_day{day.days()};
}

}  // namespace

std::string official_date(day_key day) {
  const auto date = civil(day);
  std::string text;
  for (const char digit : std::to_string(static_cast<int>(date.year()))) {
    text += digits.at(static_cast<std::size_t>(digit - '0'));
  }
  // Appended piece by piece: GCC 12 at -O3 misreads `"literal" + std::string` (a false
  // -Wrestrict in basic_string::_M_replace).
  text.append("年")
      .append(small_number(static_cast<unsigned>(date.month())))
      .append("月")
      .append(small_number(static_cast<unsigned>(date.day())))
      .append("日");
  return text;
}

std::string month_day(day_key day) {
  const auto date = civil(day);
  return std::to_string(static_cast<unsigned>(date.month())) + "月" +
         std::to_string(static_cast<unsigned>(date.day())) + "日";
}

std::string as_of_text(day_key last_day, instant generated_at, utc_offset offset) {
  const day_key today = day_key_of(generated_at, offset);
  if (last_day < today) {
    return month_day(last_day) + "24时";
  }
  const auto local = generated_at + offset;
  const auto hour =
      std::chrono::floor<std::chrono::hours>(local - std::chrono::floor<std::chrono::days>(local));
  return month_day(today) + std::to_string(hour.count()) + "时";
}

std::string readable_moment(instant at, utc_offset offset) {
  const auto local = at + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::minutes>(local - day)};
  const auto date = std::chrono::year_month_day{day};
  const auto two = [](long value) {
    std::string text = value < 10 ? "0" : "";
    return text.append(std::to_string(value));
  };
  return std::to_string(static_cast<int>(date.year())) + "年" + month_day(day_key{day}) + " " +
         two(time.hours().count()) + ":" + two(time.minutes().count());
}

}  // namespace anquanli
