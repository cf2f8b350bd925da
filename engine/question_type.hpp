// The three kinds of question of the competition.
#pragma once

#include <optional>
#include <string_view>

namespace anquanli {

enum class question_type {
  single,    // 单选题: exactly one correct option
  multiple,  // 多选题: two or more correct options, all and only them must be chosen
  judge,     // 判断题: two options, A = 正确 and B = 错误
};

[[nodiscard]] constexpr std::string_view to_string(question_type type) noexcept {
  switch (type) {
    case question_type::single: return "single";
    case question_type::multiple: return "multiple";
    case question_type::judge: return "judge";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<question_type> parse_question_type(std::string_view text) {
  if (text == "single")
    return question_type::single;
  if (text == "multiple")
    return question_type::multiple;
  if (text == "judge")
    return question_type::judge;
  return std::nullopt;
}

}  // namespace anquanli
