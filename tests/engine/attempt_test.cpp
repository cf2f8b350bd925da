#include "engine/attempt.hpp"

#include <catch2/catch.hpp>

#include "engine/scoring.hpp"
#include "test_rules.hpp"

using namespace anquanli;
using anquanli::test::june;
using std::chrono::seconds;

namespace {

// Fifteen single-choice questions whose correct key is always "A".
std::vector<attempt_question> fifteen_questions() {
  std::vector<attempt_question> questions;
  for (int i = 0; i < 15; ++i) {
    questions.push_back(
        {question_id{"Q" + std::to_string(i)}, question_type::single, {"A", "B", "C", "D"}, {"A"}});
  }
  return questions;
}

}  // namespace

TEST_CASE("answers are taken in order - one per index", "[attempt]") {
  const competition_rules rules;
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.next_index() == 0);

  SECTION("the next index is accepted and scored") {
    const auto outcome = challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 10));
    CHECK(outcome.outcome == verdict::accepted);
    REQUIRE(outcome.answer);
    CHECK(outcome.answer->correct);
    CHECK_FALSE(outcome.answer->timed_out);
    CHECK(challenge.next_index() == 1);
  }
  SECTION("skipping ahead or going back is out of order") {
    CHECK(challenge.answer(rules, 1, {"A"}, june(3, 9, 0, 5)).outcome == verdict::out_of_order);
    CHECK(challenge.answer(rules, 15, {"A"}, june(3, 9, 0, 5)).outcome == verdict::out_of_order);
    CHECK(challenge.answer(rules, -1, {"A"}, june(3, 9, 0, 5)).outcome == verdict::out_of_order);
    CHECK(challenge.answers().empty());
  }
  SECTION("the same answer again is a harmless repeat; another answer is refused") {
    const auto first = challenge.answer(rules, 0, {"B"}, june(3, 9, 0, 5));
    const auto again = challenge.answer(rules, 0, {"B"}, june(3, 9, 0, 20));
    CHECK(again.outcome == verdict::answer_repeated);
    CHECK(again.answer == first.answer);
    CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 21)).outcome ==
          verdict::already_answered);
    CHECK_FALSE(challenge.answers()[0].correct);
    CHECK(challenge.answers().size() == 1);
  }
  SECTION("an invalid choice records nothing") {
    CHECK(challenge.answer(rules, 0, {"Z"}, june(3, 9, 0, 5)).outcome == verdict::invalid_choice);
    CHECK(challenge.next_index() == 0);
  }
}

TEST_CASE("an answer after the question's time limit counts as wrong and is marked", "[attempt]") {
  const competition_rules rules;  // 60 s per question
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.question_deadline(rules) == june(3, 9, 1, 0));
  const auto on_time = challenge.answer(rules, 0, {"A"}, june(3, 9, 1, 0));
  CHECK(on_time.answer->correct);
  // Question 1 was served when question 0 was answered.
  CHECK(challenge.question_deadline(rules) == june(3, 9, 2, 0));
  const auto late = challenge.answer(rules, 1, {"A"}, june(3, 9, 2, 1));
  CHECK(late.outcome == verdict::accepted);
  CHECK(late.answer->timed_out);
  CHECK_FALSE(late.answer->correct);

  competition_rules untimed = rules;
  untimed.question_time_limit = seconds{0};
  attempt relaxed(fifteen_questions(), june(3, 9));
  CHECK(relaxed.answer(untimed, 0, {"A"}, june(3, 9, 10, 0)).answer->correct);
}

TEST_CASE("question deadlines never run past the attempt's deadline", "[attempt]") {
  competition_rules rules;
  rules.attempt_time_limit = seconds{90};
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 50)).outcome == verdict::accepted);
  CHECK(challenge.question_deadline(rules) == june(3, 9, 1, 30));
}

TEST_CASE("an attempt expires when its time limit passes", "[attempt]") {
  const competition_rules rules;  // 900 s
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.deadline(rules) == june(3, 9, 15, 0));
  CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 30)).outcome == verdict::accepted);
  CHECK_FALSE(challenge.expire_if_due(rules, june(3, 9, 15, 0)));

  SECTION("an answer after the deadline finds it expired") {
    CHECK(challenge.answer(rules, 1, {"A"}, june(3, 9, 15, 1)).outcome == verdict::attempt_expired);
    CHECK(challenge.status() == attempt_status::expired);
    CHECK(challenge.closed_at() == june(3, 9, 15, 0));
  }
  SECTION("the sweeper expires it; unanswered questions count as wrong") {
    CHECK(challenge.expire_if_due(rules, june(3, 12)));
    CHECK_FALSE(challenge.expire_if_due(rules, june(3, 13)));
    CHECK(tally(challenge, rules) == attempt_result{1, 2, 0});
  }
  SECTION("finish after the deadline expires it") {
    CHECK(challenge.finish(rules, june(3, 10)) == verdict::accepted);
    CHECK(challenge.status() == attempt_status::expired);
  }
}

TEST_CASE("finishing ends the attempt once", "[attempt]") {
  const competition_rules rules;
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 5)).outcome == verdict::accepted);
  CHECK(challenge.finish(rules, june(3, 9, 0, 10)) == verdict::accepted);
  CHECK(challenge.status() == attempt_status::finished);
  CHECK(challenge.finish(rules, june(3, 9, 0, 11)) == verdict::attempt_finished);
  CHECK(challenge.closed_at() == june(3, 9, 0, 10));
  CHECK(challenge.answer(rules, 1, {"A"}, june(3, 9, 0, 12)).outcome == verdict::attempt_finished);
  CHECK_FALSE(challenge.next_index());
  // A retry of an answer given before the finish still gets its stored result.
  CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 13)).outcome == verdict::answer_repeated);
}

TEST_CASE("answering the last question finishes the attempt", "[attempt]") {
  const competition_rules rules;
  attempt challenge(fifteen_questions(), june(3, 9));
  for (int i = 0; i < 15; ++i) {
    REQUIRE(challenge.answer(rules, i, {"A"}, june(3, 9, 0, 10 + i)).outcome == verdict::accepted);
  }
  CHECK(challenge.status() == attempt_status::finished);
  CHECK(tally(challenge, rules) == attempt_result{15, 26, 3});
}

TEST_CASE("end_on_wrong: the first wrong answer ends the attempt", "[attempt]") {
  competition_rules rules;
  rules.end_on_wrong = true;
  attempt challenge(fifteen_questions(), june(3, 9));
  CHECK(challenge.answer(rules, 0, {"A"}, june(3, 9, 0, 5)).outcome == verdict::accepted);
  CHECK(challenge.answer(rules, 1, {"C"}, june(3, 9, 0, 9)).outcome == verdict::accepted);
  CHECK(challenge.status() == attempt_status::finished);
  CHECK(challenge.answer(rules, 2, {"A"}, june(3, 9, 0, 12)).outcome == verdict::attempt_finished);
  CHECK(tally(challenge, rules) == attempt_result{1, 2, 0});
}

TEST_CASE("a restored attempt resumes with its original deadlines", "[attempt]") {
  const competition_rules rules;
  attempt original(fifteen_questions(), june(3, 9));
  CHECK(original.answer(rules, 0, {"A"}, june(3, 9, 0, 40)).outcome == verdict::accepted);
  const attempt restored =
      attempt::restore(fifteen_questions(), original.started_at(), original.answers(),
                       original.status(), original.closed_at());
  CHECK(restored.next_index() == 1);
  CHECK(restored.question_deadline(rules) == original.question_deadline(rules));
  CHECK(restored.deadline(rules) == original.deadline(rules));
}
