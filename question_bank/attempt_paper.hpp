// The paper an attempt is given: which questions, in which order, with which option letters.
// Options are reshuffled per attempt (when the rules say so) and relettered A, B, C… in the order
// shown, so the correct keys are those of the shown letters. Judge questions keep 正确 / 错误.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/attempt.hpp"
#include "engine/competition_rules.hpp"
#include "engine/verdict.hpp"
#include "question_bank/question.hpp"

namespace anquanli {

struct presented_question {
  question_id id;
  question_type type = question_type::single;
  std::string category;
  std::string stem;
  std::vector<question_option> options;   // keys as shown
  std::vector<std::string> correct_keys;  // keys as shown, sorted
  std::string explanation;
  std::string source;
  // Which of the question's own options is shown at each position ("2031": its third option is
  // shown as A…): with the question's version, all an attempt needs to store of its paper.
  std::string option_order;
};

struct attempt_paper {
  verdict outcome = verdict::accepted;  // accepted or insufficient_questions
  std::vector<presented_question> questions;
};

// `bank` holds the active questions; `seed` decides everything random about the paper.
[[nodiscard]] attempt_paper compose_paper(const std::vector<question>& bank,
                                          const competition_rules& rules,
                                          const std::unordered_set<question_id>& recently_seen,
                                          std::uint64_t seed);

// Shows `item` with its options in `order` (indices into item.options).
[[nodiscard]] presented_question present(const question& item,
                                         const std::vector<std::size_t>& order);

// The order present() recorded in option_order ("2031"), back as indices; empty when the text is
// not a permutation of item's options.
[[nodiscard]] std::optional<std::vector<std::size_t>> parse_option_order(std::string_view text,
                                                                         std::size_t options);

// The engine's view of a presented question.
[[nodiscard]] attempt_question to_attempt_question(const presented_question& shown);

}  // namespace anquanli
