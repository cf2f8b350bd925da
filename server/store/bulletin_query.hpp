// The office's exact numbers, straight from SQLite: the participation bulletin for a period and
// level inside a region's subtree, the daily trend, the winners list and the weakest questions.
// Participants with a unit (干部职工) and without one (社会公众) are counted apart everywhere;
// server/store/bulletin_figures.hpp defines every figure.
// Counts come from the points ledger (one row per counted attempt), so they match what
// participants were credited, attempt for attempt.
#pragma once

#include "server/store/answer_stats.hpp"

#include <optional>
#include <string>
#include <vector>

#include "engine/competition_rules.hpp"
#include "server/store/bulletin.hpp"
#include "server/store/secrets.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct bulletin_request {
  std::string scope_code;  // the admin's region (or a region inside it)
  day_key from;
  day_key to;
  bulletin_level level = bulletin_level::city;
  bulletin_rank_by rank_by = bulletin_rank_by::participants;
  std::optional<std::string> sector;  // 行业 (also forced by a sector-scoped account)
  std::optional<day_key> compare_to;  // fills previous_rank, rank_change, new_participants
};

[[nodiscard]] bulletin build_bulletin(sqlite_database& database, const competition_rules& rules,
                                      const bulletin_request& request, instant now);

// The same bulletin at each of `levels` (request.level is ignored), all read in one transaction so
// that the levels of one document add up to the same totals even while challenges finish.
[[nodiscard]] std::vector<bulletin> build_bulletins(sqlite_database& database,
                                                    const competition_rules& rules,
                                                    const bulletin_request& request,
                                                    const std::vector<bulletin_level>& levels,
                                                    instant now);

// Fills `report`'s previous_rank, rank_change and new_participants (and its totals'
// new_participants) against `previous`, a bulletin of the same scope, level and ranking; rows
// are matched by code.
void compare_bulletin_rows(bulletin& report, const bulletin& previous);

// One day of the trend; the figures are those of bulletin_figures.hpp, counted on that day.
struct daily_row {
  std::string day;
  std::int64_t participants = 0;  // participants_with_unit + participants_public
  std::int64_t participants_with_unit = 0;
  std::int64_t participants_public = 0;
  std::int64_t new_participants = 0;  // whose first counted attempt was that day
  std::int64_t attempts = 0;
  std::int64_t points = 0;
};

[[nodiscard]] std::vector<daily_row> daily_trend(sqlite_database& database,
                                                 const competition_rules& rules,
                                                 const std::string& scope_code, day_key from,
                                                 day_key to);

struct winner_row {
  std::int64_t draw_id = 0;
  instant at{};
  std::string name;
  std::string phone;  // in full: the office delivers the prize
  std::string unit_name;
  std::string region_name;
  std::string prize_name;
  bool flagged = false;  // the winner has an attempt answered faster than a person reads
};

[[nodiscard]] std::vector<winner_row> winners(sqlite_database& database, const secrets& keys,
                                              const std::string& scope_code);

struct question_stat {
  std::string id;
  std::string category;
  std::string stem;
  std::int64_t served = 0;
  std::int64_t correct = 0;
  // How often each option was chosen, by text (answer_stats.hpp); filled by the durable store.
  std::vector<option_count> options{};
  [[nodiscard]] double correct_rate() const {
    return served == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(served);
  }
};

// Every question served in the scope in challenges of the period's days, weakest first.
[[nodiscard]] std::vector<question_stat> question_stats(sqlite_database& database,
                                                        const competition_rules& rules,
                                                        const std::string& scope_code, day_key from,
                                                        day_key to);

}  // namespace anquanli
