#include "server/store/draw_audit.hpp"

#include <map>

#include "engine/prize_draw.hpp"

namespace anquanli {

namespace {

struct stored_draw {
  std::int64_t id = 0;
  draw_identity identity;
  std::optional<std::string> random;
  std::optional<std::int64_t> prize_table;
  std::optional<std::string> prize_id;
};

std::vector<stored_draw> draws_of(sqlite_database& database, const std::string& day) {
  sqlite_statement select = database.prepare(
      "SELECT id, participant_id, draw_number, random, prize_table, prize_id FROM draws "
      "WHERE day = ?1 ORDER BY id");
  select.bind(1, std::string_view{day});
  std::vector<stored_draw> rows;
  while (select.step() == step_result::row) {
    stored_draw row{select.column_int64(0),
                    {day, select.column_int64(1), select.column_int(2)},
                    std::nullopt,
                    std::nullopt,
                    std::nullopt};
    if (!select.column_is_null(3)) {
      row.random = select.column_text(3);
    }
    if (!select.column_is_null(4)) {
      row.prize_table = select.column_int64(4);
    }
    if (!select.column_is_null(5)) {
      row.prize_id = select.column_text(5);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Prizes awarded before `day`, by prize id: the stock the day started with is total − these.
std::map<std::string, std::int64_t> awarded_before(sqlite_database& database,
                                                   const std::string& day) {
  sqlite_statement select = database.prepare(
      "SELECT prize_id, COUNT(*) FROM draws WHERE prize_id IS NOT NULL AND day < ?1 "
      "GROUP BY prize_id");
  select.bind(1, std::string_view{day});
  std::map<std::string, std::int64_t> counts;
  while (select.step() == step_result::row) {
    counts[select.column_text(0)] = select.column_int64(1);
  }
  return counts;
}

std::optional<std::string> commitment_of(sqlite_database& database, const std::string& day) {
  sqlite_statement select = database.prepare("SELECT commitment FROM draw_seeds WHERE day = ?1");
  select.bind(1, std::string_view{day});
  if (select.step() != step_result::row) {
    return std::nullopt;
  }
  return select.column_text(0);
}

// The replay of one day: stock and caps as the draws before each one left them.
class day_replay {
 public:
  day_replay(draw_commitments& tables, std::map<std::string, std::int64_t> awarded)
      : tables_(tables), awarded_(std::move(awarded)) {}

  // The prize the draw must have won, given its random number and its prize table.
  std::optional<std::string> outcome(std::int64_t table_id, std::uint64_t random) {
    auto found = tables_cache_.find(table_id);
    if (found == tables_cache_.end()) {
      found = tables_cache_.emplace(table_id, tables_.prize_table(table_id)).first;
    }
    const std::vector<prize_table_entry>& table = found->second;
    std::vector<prize_odds> odds;
    for (const auto& entry : table) {
      std::optional<std::int64_t> today;
      if (entry.daily_cap) {
        today = *entry.daily_cap - today_[entry.id];
      }
      odds.push_back(
          {entry.probability, std::max<std::int64_t>(0, entry.total - awarded_[entry.id]), today});
    }
    const draw_result won = draw_prize(odds, random);
    if (!won.prize_index) {
      return std::nullopt;
    }
    const std::string& id = table[*won.prize_index].id;
    ++awarded_[id];
    ++today_[id];
    return id;
  }

 private:
  draw_commitments& tables_;
  std::map<std::string, std::int64_t> awarded_;
  std::map<std::string, std::int64_t> today_;
  std::map<std::int64_t, std::vector<prize_table_entry>> tables_cache_;
};

std::string named(const std::optional<std::string>& prize) {
  return prize ? *prize : std::string{"no prize"};
}

}  // namespace

draw_audit_report audit_draws(sqlite_database& database, const secrets& keys,
                              const std::string& day, const std::optional<draw_seed>& revealed) {
  draw_audit_report report;
  draw_commitments commitments(database, keys);
  const auto rows = draws_of(database, day);
  const auto commitment = commitment_of(database, day);
  if (!commitment) {
    if (!rows.empty()) {
      report.problems.push_back(day + ": draws were made but no seed was committed");
    }
    return report;
  }
  report.commitment = *commitment;
  const auto seed = revealed ? revealed : commitments.stored_seed(day);
  if (!seed || seed_commitment(*seed) != *commitment) {
    report.problems.push_back(day + ": the seed does not match the commitment " + *commitment);
    return report;
  }
  day_replay replay(commitments, awarded_before(database, day));
  for (const auto& row : rows) {
    ++report.draws;
    const std::string label =
        "draw " + std::to_string(row.id) + " (" + draw_message(row.identity) + "): ";
    const std::string hmac = draw_hmac(*seed, draw_message(row.identity));
    if (!row.random || !row.prize_table) {
      report.problems.push_back(label + "made before draws were verifiable");
      continue;
    }
    if (*row.random != hmac) {
      std::string problem = label;
      problem += "stored number " + *row.random;
      problem += ", the seed gives " + hmac;
      report.problems.push_back(std::move(problem));
    }
    const auto expected = replay.outcome(*row.prize_table, draw_random(hmac));
    if (expected != row.prize_id) {
      report.problems.push_back(label + "recorded " + named(row.prize_id) + ", the seed gives " +
                                named(expected));
    }
  }
  return report;
}

}  // namespace anquanli
