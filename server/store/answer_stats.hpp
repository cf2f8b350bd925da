// What people get wrong (issue 17): answers rolled up by question category, for the office's
// scope and for each region one level below it (the dashboard's heat map), and, per question, how
// often each option was chosen. Options are reshuffled for every attempt, so a stored answer's
// letters mean nothing alone: each is decoded through its attempt's paper (attempt_papers.hpp) to
// the option's text, and the counts are per text. Only closed challenges count (never practice),
// of the period's days, in the region each challenge was credited to.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/competition_rules.hpp"
#include "engine/day_key.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct answer_scope {
  std::string region_code;  // the subtree
  day_key from;
  day_key to;
};

struct category_figures {
  std::string category;
  std::int64_t answers = 0;  // questions served; unanswered and late count as not correct
  std::int64_t correct = 0;
  std::int64_t participants = 0;  // distinct people (scope totals only; 0 in the regions' rows)
  [[nodiscard]] std::optional<double> accuracy() const {
    if (answers == 0) {
      return std::nullopt;
    }
    return static_cast<double>(correct) / static_cast<double>(answers);
  }
};

struct region_categories {
  std::string code;
  std::string name;
  std::vector<category_figures> categories;  // the scope's categories, in the same order
};

struct category_report {
  std::vector<category_figures> categories;  // weakest accuracy first, then by name
  std::vector<region_categories> regions;    // the scope's children, in directory order
};

[[nodiscard]] category_report category_stats(sqlite_database& database,
                                             const competition_rules& rules,
                                             const answer_scope& scope);

struct option_count {
  std::string text;
  std::int64_t chosen = 0;
  bool correct = false;
  bool most_chosen_wrong = false;  // the wrong option chosen most often (none when none was)
};

// Per question id: its options in the question's own order, with how often each was chosen.
using option_distribution = std::map<std::string, std::vector<option_count>>;

[[nodiscard]] option_distribution option_distributions(sqlite_database& database,
                                                       const competition_rules& rules,
                                                       const answer_scope& scope);

}  // namespace anquanli
