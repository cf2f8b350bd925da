// A question of the bank as authors write it and the store keeps it.
#pragma once

#include <string>
#include <vector>

#include "engine/ids.hpp"
#include "engine/question_type.hpp"

namespace anquanli {

struct question_option {
  std::string key;  // "A" … "H", in the order written
  std::string text;

  friend bool operator==(const question_option&, const question_option&) = default;
};

struct question {
  question_id id;
  question_type type = question_type::single;
  std::string category;
  int difficulty = 1;  // 1 easy … 3 hard
  std::string stem;
  std::vector<question_option> options;
  std::vector<std::string> answer;  // the correct keys, sorted
  std::string explanation;          // 解析, shown after the answer
  std::string source;  // legal or technical source, e.g. 《安全生产法》第二十一条
  bool active = true;

  friend bool operator==(const question&, const question&) = default;
};

inline constexpr std::size_t min_options = 2;
inline constexpr std::size_t max_options = 8;
inline constexpr int min_difficulty = 1;
inline constexpr int max_difficulty = 3;
inline constexpr std::string_view judge_true_text = "正确";
inline constexpr std::string_view judge_false_text = "错误";

}  // namespace anquanli
