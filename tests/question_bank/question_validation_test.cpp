#include "question_bank/question_validation.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

namespace {

question valid_question() {
  return {question_id{"Q1"},
          question_type::single,
          "消防安全",
          2,
          "发现火情应拨打哪个电话？",
          {{"A", "110"}, {"B", "119"}, {"C", "120"}},
          {"B"},
          "119 是火警电话。",
          "安全常识",
          true};
}

}  // namespace

TEST_CASE("a valid question has no problems", "[validation]") {
  CHECK(find_question_problems(valid_question()).empty());
}

TEST_CASE("option keys run A - B - C and there are 2 to 8 options", "[validation]") {
  auto item = valid_question();
  item.options[1].key = "C";
  CHECK_FALSE(find_question_problems(item).empty());
  item = valid_question();
  item.options.resize(1);
  item.answer = {"A"};
  CHECK(find_question_problems(item).front() == "has 1 options; 2 to 8 are allowed");
  item = valid_question();
  for (char key = 'D'; key <= 'I'; ++key) {
    item.options.push_back({std::string(1, key), "选项"});
  }
  CHECK_FALSE(find_question_problems(item).empty());
}

TEST_CASE("ids are short and plain", "[validation]") {
  auto item = valid_question();
  item.id = question_id{"题目一"};
  CHECK_FALSE(find_question_problems(item).empty());
  item.id = question_id{std::string(65, 'Q')};
  CHECK_FALSE(find_question_problems(item).empty());
  item.id = question_id{""};
  CHECK(find_question_problems(item).front() == "id is empty");
}

TEST_CASE("texts are UTF-8 without control characters", "[validation]") {
  auto item = valid_question();
  item.stem = "发现\x01火情";
  CHECK(find_question_problems(item).front() == "stem contains a control character");
  item.stem = "\xC0\xAF";
  CHECK(find_question_problems(item).front() == "stem is not valid UTF-8");
  item = valid_question();
  item.explanation = " ";
  CHECK(find_question_problems(item).front() == "explanation is empty");
}

TEST_CASE("UTF-8 validation refuses overlongs - surrogates and truncation", "[validation]") {
  CHECK(is_valid_utf8("安全生产月 ok"));
  CHECK(is_valid_utf8("\xF0\x9F\x94\xA5"));  // U+1F525
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
  CHECK_FALSE(is_valid_utf8("\xE5\xAE"));
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
}
