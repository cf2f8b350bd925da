// The rules every question must meet before it enters the bank. Import reports each broken rule
// with the line it came from; the store never holds a question that breaks one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "question_bank/question.hpp"

namespace anquanli {

// One sentence per broken rule; empty when the question is valid.
[[nodiscard]] std::vector<std::string> find_question_problems(const question& candidate);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace anquanli
