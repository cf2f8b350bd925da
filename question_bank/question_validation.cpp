#include "question_bank/question_validation.hpp"

#include <algorithm>
#include <set>

namespace anquanli {

namespace {

constexpr std::size_t max_id_length = 64;
constexpr std::size_t max_text_bytes = 4096;

bool is_id_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && c != '\n' && c != '\t';
  });
}

void check_text(std::string_view field, std::string_view text, bool required,
                std::vector<std::string>& problems) {
  if (!is_valid_utf8(text)) {
    problems.push_back(std::string{field} + " is not valid UTF-8");
    return;
  }
  if (required && text.find_first_not_of(" \t\n") == std::string_view::npos) {
    problems.push_back(std::string{field} + " is empty");
  }
  if (has_control_character(text)) {
    problems.push_back(std::string{field} + " contains a control character");
  }
  if (text.size() > max_text_bytes) {
    problems.push_back(std::string{field} + " is longer than 4096 bytes");
  }
}

void check_id(const question& candidate, std::vector<std::string>& problems) {
  const std::string& id = candidate.id.value();
  if (id.empty()) {
    problems.emplace_back("id is empty");
    return;
  }
  if (id.size() > max_id_length || !std::all_of(id.begin(), id.end(), is_id_character)) {
    problems.emplace_back("id must be 1-64 characters of A-Z, a-z, 0-9, '-', '_' or '.'");
  }
}

void check_options(const question& candidate, std::vector<std::string>& problems) {
  const auto& options = candidate.options;
  if (options.size() < min_options || options.size() > max_options) {
    problems.push_back("has " + std::to_string(options.size()) + " options; 2 to 8 are allowed");
  }
  for (std::size_t i = 0; i < options.size(); ++i) {
    const std::string expected(1, static_cast<char>('A' + i));
    if (options[i].key != expected) {
      problems.push_back("option " + std::to_string(i + 1) + " has key '" + options[i].key +
                         "'; keys must run A, B, C… in order");
    }
    check_text("option " + expected, options[i].text, true, problems);
  }
  if (candidate.type == question_type::judge &&
      (options.size() != 2 || options[0].text != judge_true_text ||
       options[1].text != judge_false_text)) {
    problems.emplace_back("a judge question has exactly two options: A = 正确, B = 错误");
  }
}

void check_answer(const question& candidate, std::vector<std::string>& problems) {
  const auto& answer = candidate.answer;
  if (answer.empty()) {
    problems.emplace_back("answer is empty");
    return;
  }
  if (std::set<std::string>(answer.begin(), answer.end()).size() != answer.size()) {
    problems.emplace_back("answer repeats a key");
  }
  for (const auto& key : answer) {
    const bool known =
        std::any_of(candidate.options.begin(), candidate.options.end(),
                    [&](const question_option& option) { return option.key == key; });
    if (!known) {
      problems.push_back("answer key '" + key + "' is not among the options");
    }
  }
  if (candidate.type != question_type::multiple && answer.size() != 1) {
    problems.push_back(std::string{"a "} + std::string{to_string(candidate.type)} +
                       " question has exactly one answer, not " + std::to_string(answer.size()));
  }
  if (candidate.type == question_type::multiple && answer.size() < 2) {
    problems.emplace_back("a multiple question has at least two answers");
  }
}

}  // namespace

std::vector<std::string> find_question_problems(const question& candidate) {
  std::vector<std::string> problems;
  check_id(candidate, problems);
  check_text("category", candidate.category, true, problems);
  if (candidate.difficulty < min_difficulty || candidate.difficulty > max_difficulty) {
    problems.push_back("difficulty " + std::to_string(candidate.difficulty) + " is not 1, 2 or 3");
  }
  check_text("stem", candidate.stem, true, problems);
  check_options(candidate, problems);
  check_answer(candidate, problems);
  check_text("explanation", candidate.explanation, true, problems);
  check_text("source", candidate.source, false, problems);
  return problems;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1FU;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0FU;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07U;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xC0U) != 0x80U) {
        return false;
      }
      code_point = (code_point << 6U) | (continuation & 0x3FU);
    }
    const bool overlong =
        (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace anquanli
