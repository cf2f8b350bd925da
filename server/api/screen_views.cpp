#include "server/api/screen_views.hpp"

#include <algorithm>

namespace anquanli {

namespace {

// Answers given, without reading the answers table (which grows by a row per question and would
// cost a full scan a tick): every counted challenge has one answer per question, timed-out ones
// included, so challenges × questions_per_attempt is exact. With end_on_wrong a challenge stops at
// its first wrong answer: its answers are its correct ones plus at most that one wrong.
std::int64_t answers_of(const screen_counts& counts, const competition_rules& rules) {
  const std::int64_t full = counts.attempts * rules.questions_per_attempt;
  return rules.end_on_wrong ? std::min(full, counts.correct + counts.attempts) : full;
}

boost::json::object counts_json(const screen_counts& counts, const competition_rules& rules) {
  return {{"participants", counts.participants},
          {"challenges", counts.attempts},
          {"answers", answers_of(counts, rules)},
          {"correct", counts.correct},
          {"draws", counts.draws}};
}

boost::json::array regions_json(const std::vector<screen_region>& regions) {
  boost::json::array items;
  for (const auto& region : regions) {
    items.push_back(boost::json::object{{"code", region.code},
                                        {"name", region.name},
                                        {"participants", region.participants},
                                        {"challenges", region.attempts}});
  }
  return items;
}

boost::json::array units_json(const std::vector<screen_unit>& units) {
  boost::json::array items;
  for (const auto& unit : units) {
    items.push_back(boost::json::object{{"id", unit.id},
                                        {"name", unit.name},
                                        {"region", unit.region_name},
                                        {"participants", unit.participants},
                                        {"challenges", unit.attempts}});
  }
  return items;
}

boost::json::array winners_json(const std::vector<screen_winner>& winners, utc_offset offset) {
  boost::json::array items;
  for (const auto& winner : winners) {
    items.push_back(boost::json::object{{"at", format_rfc3339(winner.at, offset)},
                                        {"name", winner.name},
                                        {"phone", winner.phone},
                                        {"prize", winner.prize_name},
                                        {"region", winner.region_name}});
  }
  return items;
}

}  // namespace

boost::json::object screen_json(const screen_figures& figures, const server_config& config,
                                std::string_view today) {
  const competition_rules& rules = config.competition;
  boost::json::object day = counts_json(figures.today, rules);
  day["day"] = today;
  boost::json::object window = counts_json(figures.window, rules);
  window["from"] = to_string(rules.starts_on);
  window["to"] = to_string(rules.ends_on);
  return {{"title", rules.title},
          {"today", std::move(day)},
          {"window", std::move(window)},
          {"prizes",
           boost::json::object{{"total", figures.prizes_total}, {"left", figures.prizes_left}}},
          {"regions", regions_json(figures.regions)},
          {"top_units", units_json(figures.top_units)},
          {"recent_winners", winners_json(figures.recent_winners, rules.offset)}};
}

}  // namespace anquanli
