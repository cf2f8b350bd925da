// The demo bank shipped in question_bank/demo is what the demo competition runs on: it must import
// cleanly and serve every category.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <regex>
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

TEST_CASE("demo explanations name options by their content, never by letter", "[demo]") {
  // Options are shuffled and relettered per attempt, so "A、C、D均…" or "B项…" in an explanation
  // points at the wrong options. Letters that are not option keys stay: fire classes (A类火灾,
  // A、B、C类), units (dB(A)), formulas (D=L×E×C).
  const std::regex letter_list("(^|[^A-Za-z(])[A-H](、[A-H])+(?!、|类|[A-Za-z])");
  const std::regex letter_named("(^|[^A-Za-z(])[A-H](、[A-H])*(项|均|都|分别|是|选项)");
  for (const auto& item : load_demo_bank().questions) {
    INFO(item.id.value() << ": " << item.explanation);
    CHECK_FALSE(std::regex_search(item.explanation, letter_list));
    CHECK_FALSE(std::regex_search(item.explanation, letter_named));
  }
}

TEST_CASE("the option-letter check catches what the demo bank once said", "[demo]") {
  const std::regex letter_list("(^|[^A-Za-z(])[A-H](、[A-H])+(?!、|类|[A-Za-z])");
  const std::regex letter_named("(^|[^A-Za-z(])[A-H](、[A-H])*(项|均|都|分别|是|选项)");
  const auto names_letters = [&](const std::string& text) {
    return std::regex_search(text, letter_list) || std::regex_search(text, letter_named);
  };
  CHECK(names_letters("第二十一条列明了七项职责，A、C、D、E均在其中"));
  CHECK(names_letters("B、C分别是能见度小于100米和小于200米时的要求"));
  CHECK(names_letters("D项具备超车条件"));
  CHECK(names_letters("B是合法做法"));
  CHECK_FALSE(names_letters("ABC干粉灭火器适用于A、B、C类及带电火灾"));
  CHECK_FALSE(names_letters("A类火灾指固体物质火灾"));
  CHECK_FALSE(names_letters("每天8小时等效声级85 dB(A)。"));
  CHECK_FALSE(names_letters("LEC法用D=L×E×C计算作业条件危险性"));
}
