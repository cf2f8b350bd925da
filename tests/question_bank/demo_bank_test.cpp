// The demo bank shipped in question_bank/demo is what the demo competition runs on: it must import
// cleanly and serve every category.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <set>

#include "question_bank/bank_health.hpp"
#include "question_bank/question_import.hpp"

using namespace anquanli;

namespace {

question_import load_demo_bank() {
  std::ifstream in(std::string{ANQUANLI_SOURCE_DIR} + "/question_bank/demo/demo-bank.jsonl",
                   std::ios::binary);
  REQUIRE(in);
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_questions(content, question_format::jsonl);
}

}  // namespace

TEST_CASE("the demo bank imports without a single problem", "[demo]") {
  const auto bank = load_demo_bank();
  for (const auto& problem : bank.problems) {
    INFO("line " << problem.line << ": " << problem.reason);
    CHECK(false);
  }
  CHECK(bank.questions.size() >= 200);
}

TEST_CASE("the demo bank spans the categories and every type", "[demo]") {
  const auto bank = load_demo_bank();
  std::set<std::string> categories;
  std::set<question_type> types;
  for (const auto& item : bank.questions) {
    categories.insert(item.category);
    types.insert(item.type);
    CHECK_FALSE(item.source.empty());
  }
  CHECK(categories.size() >= 6);
  CHECK(types.size() == 3);

  competition_rules rules;
  rules.quotas = {{"安全生产法律法规", 5}, {"安全管理", 5}, {"应急避险与自救互救", 5}};
  CHECK(check_bank(bank.questions, rules).healthy());
  CHECK(check_bank(bank.questions, competition_rules{}).healthy());
}
