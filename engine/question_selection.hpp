// Which questions an attempt gets. Quotas stratify by category (e.g. 5 法律法规 + 5 安全管理 +
// 5 应急避险); without quotas the attempt is spread over the categories in proportion to the bank.
// Inside a category, questions the participant saw recently are used only when the unseen ones run
// out. The result depends only on the inputs, so a fixed seed gives a fixed attempt.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/competition_rules.hpp"
#include "engine/ids.hpp"
#include "engine/random_sequence.hpp"
#include "engine/verdict.hpp"

namespace anquanli {

// An active question of the bank as selection sees it.
struct question_candidate {
  question_id id;
  std::string category;
};

struct category_plan {
  std::string category;
  int wanted = 0;     // questions the attempt takes from this category
  int available = 0;  // active questions the bank holds in it
};

// How many questions each category gives: the quotas, or a largest-remainder split of
// `questions_per_attempt` in proportion to the bank. Categories without candidates appear with
// available = 0.
[[nodiscard]] std::vector<category_plan> plan_categories(
    const std::vector<question_candidate>& bank, const competition_rules& rules);

struct question_selection {
  verdict outcome = verdict::accepted;  // accepted or insufficient_questions
  std::vector<question_id> questions;   // in the order they are asked
};

// Picks the attempt's questions: no repeats, quotas met, recently seen ones avoided while the bank
// allows. Quota groups are asked in quota order, each group shuffled; without quotas the whole
// attempt is shuffled.
[[nodiscard]] question_selection select_questions(
    const std::vector<question_candidate>& bank, const competition_rules& rules,
    const std::unordered_set<question_id>& recently_seen, random_sequence& random);

// The order in which an attempt shows a question's options, as indices into the stored options.
// Identity when shuffling is off.
[[nodiscard]] std::vector<std::size_t> option_order(std::size_t option_count, bool shuffle,
                                                    random_sequence& random);

}  // namespace anquanli
