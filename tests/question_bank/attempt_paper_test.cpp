#include "question_bank/attempt_paper.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace anquanli;

namespace {

std::vector<question> sample_bank() {
  std::vector<question> result;
  for (int i = 0; i < 40; ++i) {
    result.push_back({question_id{"M" + std::to_string(i)},
                      question_type::multiple,
                      "管理",
                      2,
                      "题干" + std::to_string(i),
                      {{"A", "甲"}, {"B", "乙"}, {"C", "丙"}, {"D", "丁"}},
                      {"A", "C"},
                      "解析",
                      "",
                      true});
  }
  return result;
}

}  // namespace

TEST_CASE("a paper reletters shuffled options and keeps the correct texts correct", "[paper]") {
  const auto bank = sample_bank();
  const competition_rules rules;
  const auto paper = compose_paper(bank, rules, {}, 2021);
  REQUIRE(paper.outcome == verdict::accepted);
  REQUIRE(paper.questions.size() == 15);
  bool any_moved = false;
  for (const auto& shown : paper.questions) {
    REQUIRE(shown.options.size() == 4);
    std::set<std::string> correct_texts;
    for (std::size_t i = 0; i < shown.options.size(); ++i) {
      CHECK(shown.options[i].key == std::string(1, static_cast<char>('A' + i)));
      for (const auto& key : shown.correct_keys) {
        if (key == shown.options[i].key) {
          correct_texts.insert(shown.options[i].text);
        }
      }
    }
    CHECK(correct_texts == std::set<std::string>{"甲", "丙"});
    any_moved = any_moved || shown.options[0].text != "甲";
  }
  CHECK(any_moved);
  CHECK(compose_paper(bank, rules, {}, 2021).questions[3].options == paper.questions[3].options);
}

TEST_CASE("judge questions keep 正确 before 错误", "[paper]") {
  question judge{question_id{"J"},
                 question_type::judge,
                 "管理",
                 1,
                 "陈述",
                 {{"A", "正确"}, {"B", "错误"}},
                 {"B"},
                 "解析",
                 "",
                 true};
  std::vector<question> bank(15, judge);
  for (int i = 0; i < 15; ++i) {
    bank[static_cast<std::size_t>(i)].id = question_id{"J" + std::to_string(i)};
  }
  const auto paper = compose_paper(bank, competition_rules{}, {}, 7);
  REQUIRE(paper.outcome == verdict::accepted);
  for (const auto& shown : paper.questions) {
    CHECK(shown.options[0].text == "正确");
    CHECK(shown.correct_keys == std::vector<std::string>{"B"});
  }
}

TEST_CASE("inactive questions are never put on a paper", "[paper]") {
  auto bank = sample_bank();
  for (std::size_t i = 0; i < 30; ++i) {
    bank[i].active = false;
  }
  CHECK(compose_paper(bank, competition_rules{}, {}, 1).outcome == verdict::insufficient_questions);
}

TEST_CASE("the engine sees the shown keys", "[paper]") {
  const auto paper = compose_paper(sample_bank(), competition_rules{}, {}, 9);
  const auto engine_view = to_attempt_question(paper.questions.front());
  CHECK(engine_view.option_keys == std::vector<std::string>{"A", "B", "C", "D"});
  CHECK(engine_view.correct_keys == paper.questions.front().correct_keys);
  CHECK(engine_view.type == question_type::multiple);
}
