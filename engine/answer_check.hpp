// Whether a choice is well formed for a question, and whether it is correct. Keys are the option
// letters the participant was shown ("A", "B", …).
#pragma once

#include <string>
#include <vector>

#include "engine/question_type.hpp"
#include "engine/verdict.hpp"

namespace anquanli {

using choice_keys = std::vector<std::string>;

// The choice sorted, so that ["C","A"] and ["A","C"] are the same answer.
[[nodiscard]] choice_keys normalize_choice(choice_keys choice);

// accepted, or invalid_choice when a key is not among `option_keys`, a key repeats, the choice is
// empty, or a single / judge question gets more than one key.
[[nodiscard]] verdict check_choice(question_type type, const std::vector<std::string>& option_keys,
                                   const choice_keys& choice);

// single and judge: the one correct key; multiple: all and only the correct keys (a partial
// answer is wrong).
[[nodiscard]] bool is_correct_choice(const choice_keys& correct_keys, const choice_keys& choice);

}  // namespace anquanli
