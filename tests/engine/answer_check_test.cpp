#include "engine/answer_check.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

namespace {
const std::vector<std::string> four_options{"A", "B", "C", "D"};
const std::vector<std::string> judge_options{"A", "B"};
}  // namespace

TEST_CASE("single: exactly the one correct key", "[answer]") {
  CHECK(check_choice(question_type::single, four_options, {"B"}) == verdict::accepted);
  CHECK(is_correct_choice({"B"}, {"B"}));
  CHECK_FALSE(is_correct_choice({"B"}, {"C"}));
  CHECK(check_choice(question_type::single, four_options, {"B", "C"}) == verdict::invalid_choice);
}

TEST_CASE("multiple: all and only the correct keys - in any order", "[answer]") {
  CHECK(is_correct_choice({"A", "C", "D"}, {"D", "A", "C"}));
  CHECK_FALSE(is_correct_choice({"A", "C", "D"}, {"A", "C"}));            // partial
  CHECK_FALSE(is_correct_choice({"A", "C", "D"}, {"A", "B", "C", "D"}));  // one too many
  CHECK_FALSE(is_correct_choice({"A", "C"}, {"A"}));
  CHECK(check_choice(question_type::multiple, four_options, {"A"}) == verdict::accepted);
  CHECK(check_choice(question_type::multiple, four_options, {"A", "B", "C", "D"}) ==
        verdict::accepted);
}

TEST_CASE("judge: true or false", "[answer]") {
  CHECK(check_choice(question_type::judge, judge_options, {"A"}) == verdict::accepted);
  CHECK(is_correct_choice({"A"}, {"A"}));
  CHECK_FALSE(is_correct_choice({"A"}, {"B"}));
  CHECK(check_choice(question_type::judge, judge_options, {"C"}) == verdict::invalid_choice);
  CHECK(check_choice(question_type::judge, judge_options, {"A", "B"}) == verdict::invalid_choice);
}

TEST_CASE("malformed choices are invalid - not wrong", "[answer]") {
  CHECK(check_choice(question_type::single, four_options, {}) == verdict::invalid_choice);
  CHECK(check_choice(question_type::multiple, four_options, {"A", "A"}) == verdict::invalid_choice);
  CHECK(check_choice(question_type::multiple, four_options, {"A", "E"}) == verdict::invalid_choice);
  CHECK(check_choice(question_type::single, four_options, {"a"}) == verdict::invalid_choice);
  CHECK(check_choice(question_type::single, four_options, {""}) == verdict::invalid_choice);
}
