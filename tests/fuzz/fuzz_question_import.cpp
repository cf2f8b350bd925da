// Question files come from authors and operators, so the importer must survive any bytes: every
// input is read both as JSON Lines and as CSV, and the result is checked for the invariants the
// import promises: every problem names a line of the file and says what is wrong.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "question_bank/question_import.hpp"

namespace {

std::size_t count_lines(std::string_view content) {
  std::size_t lines = 1;
  for (const char c : content) {
    lines += c == '\n' ? 1U : 0U;
  }
  return lines;
}

void check(const anquanli::question_import& result, std::size_t lines) {
  for (const auto& problem : result.problems) {
    if (problem.line < 1 || problem.line > lines || problem.reason.empty()) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content{reinterpret_cast<const char*>(data), size};
  const std::size_t lines = count_lines(content);
  check(anquanli::parse_questions(content, anquanli::question_format::jsonl), lines);
  check(anquanli::parse_questions(content, anquanli::question_format::csv), lines);
  return 0;
}
