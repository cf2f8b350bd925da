#include "question_bank/attempt_paper.hpp"

#include <algorithm>
#include <unordered_map>

#include "engine/question_selection.hpp"
#include "engine/random_sequence.hpp"

namespace anquanli {

presented_question present(const question& item, const std::vector<std::size_t>& order) {
  presented_question shown{item.id, item.type,        item.category, item.stem, {},
                           {},      item.explanation, item.source,   {}};
  for (std::size_t position = 0; position < order.size(); ++position) {
    shown.option_order.push_back(static_cast<char>('0' + order[position]));
    const question_option& original = item.options[order[position]];
    const std::string key(1, static_cast<char>('A' + position));
    shown.options.push_back({key, original.text});
    if (std::find(item.answer.begin(), item.answer.end(), original.key) != item.answer.end()) {
      shown.correct_keys.push_back(key);
    }
  }
  std::sort(shown.correct_keys.begin(), shown.correct_keys.end());
  return shown;
}

attempt_paper compose_paper(const std::vector<question>& bank, const competition_rules& rules,
                            const std::unordered_set<question_id>& recently_seen,
                            std::uint64_t seed) {
  std::vector<question_candidate> candidates;
  std::unordered_map<question_id, const question*> by_id;
  for (const auto& item : bank) {
    if (item.active) {
      candidates.push_back({item.id, item.category});
      by_id.emplace(item.id, &item);
    }
  }
  random_sequence random(seed);
  const question_selection selection = select_questions(candidates, rules, recently_seen, random);
  if (selection.outcome != verdict::accepted) {
    return {selection.outcome, {}};
  }
  attempt_paper paper;
  for (const auto& id : selection.questions) {
    const question& item = *by_id.at(id);
    const bool shuffle = rules.shuffle_options && item.type != question_type::judge;
    paper.questions.push_back(present(item, option_order(item.options.size(), shuffle, random)));
  }
  return paper;
}

std::optional<std::vector<std::size_t>> parse_option_order(std::string_view text,
                                                           std::size_t options) {
  if (text.size() != options) {
    return std::nullopt;
  }
  std::vector<std::size_t> order;
  std::vector<bool> used(options, false);
  for (const char digit : text) {
    const auto index = static_cast<std::size_t>(digit - '0');
    if (digit < '0' || index >= options || used[index]) {
      return std::nullopt;
    }
    used[index] = true;
    order.push_back(index);
  }
  return order;
}

attempt_question to_attempt_question(const presented_question& shown) {
  attempt_question result{shown.id, shown.type, {}, shown.correct_keys};
  for (const auto& option : shown.options) {
    result.option_keys.push_back(option.key);
  }
  return result;
}

}  // namespace anquanli
