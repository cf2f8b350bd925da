// The figures of the 6·16 big screen (issue 17), read in one transaction so that the numbers on
// one frame agree with each other. Every figure comes from a small table or an index range: the
// per-day ledger totals (ledger_totals.hpp) give participants, challenges and correct answers per
// region and unit; draws are counted by their day index; prizes are a few rows. Nothing scans the
// answers or the ledger, so the screen's feed can afford one read a second however long the
// campaign has run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instant.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct screen_counts {
  std::int64_t participants = 0;  // distinct people
  std::int64_t attempts = 0;      // counted (finished or expired) challenges
  std::int64_t correct = 0;       // correct answers in them
  std::int64_t draws = 0;
};

// A top-level region (a city, 宁东, 区直单位…) and its whole subtree's window figures.
struct screen_region {
  std::string code;
  std::string name;
  std::int64_t participants = 0;
  std::int64_t attempts = 0;
};

struct screen_unit {
  std::string id;
  std::string name;
  std::string region_name;
  std::int64_t participants = 0;
  std::int64_t attempts = 0;
};

// A winner as the public may see them: masked name and phone (as the 中奖公示).
struct screen_winner {
  instant at{};
  std::string name;   // 张*
  std::string phone;  // 138****8000
  std::string prize_name;
  std::string region_name;
};

struct screen_figures {
  screen_counts today;
  screen_counts window;
  std::int64_t prizes_total = 0;
  std::int64_t prizes_left = 0;
  std::vector<screen_region> regions;         // children of the root region(s), by code
  std::vector<screen_unit> top_units;         // by window participants, then attempts, then id
  std::vector<screen_winner> recent_winners;  // latest first
};

struct screen_query {
  std::string competition_id;
  std::string today;  // YYYY-MM-DD
  // Draws of the days before today never change, so the caller counts them once a day and
  // passes them here; nothing makes this read count them again (that would scan the draws).
  std::optional<std::int64_t> draws_before_today;
  int top_units = 10;
  int recent_winners = 10;
};

// Reads the whole screen. `draws_before_today`, when the query had none, is counted here (an
// index scan of days before today): the result's window.draws then includes it.
[[nodiscard]] screen_figures read_screen_figures(sqlite_database& database,
                                                 const screen_query& query);

// Draws made on days before `today` (for screen_query::draws_before_today).
[[nodiscard]] std::int64_t count_draws_before(sqlite_database& database, const std::string& today);

}  // namespace anquanli
