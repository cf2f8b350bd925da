// Every figure the office's documents and dashboard show, defined once: its JSON name, the
// Chinese label the bulletin's columns and the dashboard use, the formula and what is counted.
// docs/figures.md is this list as a table (a test compares them), and a test recomputes each
// figure straight from SQL. Two populations are kept apart everywhere: participants with a unit
// (干部职工) and participants without one (社会公众); only the first has a headcount to compare
// with.
#pragma once

#include <array>
#include <string_view>

namespace anquanli {

struct bulletin_figure {
  std::string_view name;     // the JSON key
  std::string_view label;    // the column header (Simplified Chinese)
  std::string_view formula;  // how it is computed, in the docs' notation
  std::string_view counted;  // what is counted
};

// In the order docs/figures.md lists them.
inline constexpr std::array<bulletin_figure, 18> bulletin_figures{{
    {"participants", "参与人数", "participants_with_unit + participants_public",
     "distinct people with a counted attempt on the period's days, both populations"},
    {"participants_with_unit", "干部职工参与人数", "COUNT(DISTINCT participant) WHERE unit IS SET",
     "distinct people who chose a work unit (干部职工)"},
    {"participants_public", "社会公众参与人数", "COUNT(DISTINCT participant) WHERE unit IS NULL",
     "distinct people who chose no unit (社会公众); always 0 on a unit's row"},
    {"attempts", "参与人次", "attempts_with_unit + attempts_public",
     "counted attempts (one per closed challenge, from the points ledger), both populations"},
    {"attempts_with_unit", "干部职工参与人次", "COUNT(attempt) WHERE unit IS SET",
     "counted attempts of people with a unit"},
    {"attempts_public", "社会公众参与人次", "COUNT(attempt) WHERE unit IS NULL",
     "counted attempts of people without a unit"},
    {"points", "积分", "SUM(points)", "points credited to both populations"},
    {"points_public", "社会公众积分", "SUM(points) WHERE unit IS NULL",
     "points credited to people without a unit"},
    {"headcount", "职工人数", "SUM(unit.headcount)",
     "the unit's imported headcount, or the sum over the units of a region's subtree; null when 0"},
    {"participation_rate", "参与率", "MIN(participants_with_unit, headcount) ÷ headcount",
     "people with a unit against the staff of the units; never above 100 %; null without a "
     "headcount"},
    {"rate_capped", "参与率已封顶", "participants_with_unit > headcount",
     "the headcount is lower than its participants with a unit: an import problem, the rate shows "
     "100 %"},
    {"average_correct_rate", "平均正确率", "SUM(correct) ÷ (attempts × questions_per_attempt)",
     "correct answers over questions asked, unanswered ones included; null without attempts"},
    {"flagged_attempts", "疑似机器答题", "COUNT(attempt) WHERE flagged",
     "attempts with at least 5 answers given less than a second after their question was served"},
    {"new_participants", "新增人数", "COUNT(participant) WHERE first counted day = day",
     "in the daily trend, people whose first counted attempt in the region fell on that day; in a "
     "bulletin with compare_to, its participants minus the same row's up to the comparison day"},
    {"target", "任务数", "region_targets.target",
     "the region's participation target set by `anquanli-admin targets import`; null when unset "
     "and on a unit's row"},
    {"target_rate", "完成率", "participants ÷ target",
     "both populations against the target; may pass 100 %; null without a target"},
    {"previous_rank", "上次排名", "rank up to compare_to",
     "the row's rank in the same bulletin up to the comparison day (or in the previous snapshot); "
     "null without a comparison"},
    {"rank_change", "排名变化", "previous_rank − rank",
     "places moved up (negative: down); null without a comparison"},
}};

// The label of a figure by its JSON name; empty for a name that is not a figure.
[[nodiscard]] constexpr std::string_view figure_label(std::string_view name) noexcept {
  for (const bulletin_figure& figure : bulletin_figures) {
    if (figure.name == name) {
      return figure.label;
    }
  }
  return {};
}

}  // namespace anquanli
