// Dates and times as a Chinese official document writes them: the issuing date in Chinese numerals
// (二〇二一年六月十六日, GB/T 9704's 成文日期) and the "截至" moment of a bulletin (6月16日9时).
#pragma once

#include <string>

#include "engine/day_key.hpp"
#include "engine/instant.hpp"

namespace anquanli {

// "二〇二一年六月十六日": each digit of the year, the month and day as numbers (十, 十六, 三十一).
[[nodiscard]] std::string official_date(day_key day);

// "6月16日": a day in Arabic numerals, for running text.
[[nodiscard]] std::string month_day(day_key day);

// The moment a bulletin's numbers stand at: the end of its last day when that day is over at
// `generated_at` ("6月15日24时"), otherwise the day and hour of `generated_at` ("6月16日9时").
[[nodiscard]] std::string as_of_text(day_key last_day, instant generated_at, utc_offset offset);

// "2021年6月16日 09:02": a moment for people, in local time.
[[nodiscard]] std::string readable_moment(instant at, utc_offset offset);

}  // namespace anquanli
