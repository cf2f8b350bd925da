#include "engine/answer_check.hpp"

#include <algorithm>

namespace anquanli {

choice_keys normalize_choice(choice_keys choice) {
  std::sort(choice.begin(), choice.end());
  return choice;
}

verdict check_choice(question_type type, const std::vector<std::string>& option_keys,
                     const choice_keys& choice) {
  if (choice.empty()) {
    return verdict::invalid_choice;
  }
  if (type != question_type::multiple && choice.size() != 1) {
    return verdict::invalid_choice;
  }
  const choice_keys sorted = normalize_choice(choice);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return verdict::invalid_choice;
  }
  const bool all_known = std::all_of(sorted.begin(), sorted.end(), [&](const std::string& key) {
    return std::find(option_keys.begin(), option_keys.end(), key) != option_keys.end();
  });
  return all_known ? verdict::accepted : verdict::invalid_choice;
}

bool is_correct_choice(const choice_keys& correct_keys, const choice_keys& choice) {
  return normalize_choice(correct_keys) == normalize_choice(choice);
}

}  // namespace anquanli
