#include "engine/question_selection.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace anquanli;

namespace {

std::vector<question_candidate> bank_of(const std::map<std::string, int>& sizes) {
  std::vector<question_candidate> bank;
  for (const auto& [category, size] : sizes) {
    for (int i = 0; i < size; ++i) {
      bank.push_back({question_id{category + "-" + std::to_string(i)}, category});
    }
  }
  return bank;
}

competition_rules quota_rules() {
  competition_rules rules;
  rules.quotas = {{"law", 5}, {"management", 5}, {"emergency", 5}};
  return rules;
}

std::string category_of(const question_id& id) {
  return id.value().substr(0, id.value().find('-'));
}

}  // namespace

TEST_CASE("quotas are met exactly - grouped in quota order - without repeats", "[selection]") {
  const auto bank = bank_of({{"law", 20}, {"management", 8}, {"emergency", 6}, {"fire", 30}});
  const std::uint64_t seed = GENERATE(1U, 2U, 99U, 123456789U);
  random_sequence random(seed);
  const auto selection = select_questions(bank, quota_rules(), {}, random);
  REQUIRE(selection.outcome == verdict::accepted);
  REQUIRE(selection.questions.size() == 15);
  CHECK(std::set<question_id>(selection.questions.begin(), selection.questions.end()).size() == 15);
  for (std::size_t i = 0; i < 15; ++i) {
    const char* expected = i < 5 ? "law" : i < 10 ? "management" : "emergency";
    CHECK(category_of(selection.questions[i]) == expected);
  }
}

TEST_CASE("the same seed gives the same attempt - another seed another", "[selection]") {
  const auto bank = bank_of({{"law", 30}, {"management", 30}, {"emergency", 30}});
  random_sequence first(42);
  random_sequence second(42);
  random_sequence third(43);
  const auto a = select_questions(bank, quota_rules(), {}, first);
  const auto b = select_questions(bank, quota_rules(), {}, second);
  const auto c = select_questions(bank, quota_rules(), {}, third);
  CHECK(a.questions == b.questions);
  CHECK(a.questions != c.questions);

  // The order the store hands the bank over in does not matter.
  auto reversed = bank;
  std::reverse(reversed.begin(), reversed.end());
  random_sequence fourth(42);
  CHECK(select_questions(reversed, quota_rules(), {}, fourth).questions == a.questions);
}

TEST_CASE("a category short of its quota makes the bank insufficient", "[selection]") {
  const auto bank = bank_of({{"law", 20}, {"management", 4}, {"emergency", 20}});
  random_sequence random(7);
  const auto selection = select_questions(bank, quota_rules(), {}, random);
  CHECK(selection.outcome == verdict::insufficient_questions);
  CHECK(selection.questions.empty());
}

TEST_CASE("duplicate ids in the bank never repeat in an attempt", "[selection]") {
  auto bank = bank_of({{"law", 5}, {"management", 5}, {"emergency", 5}});
  bank.push_back(bank.front());  // the same question twice cannot fill a sixth law slot
  competition_rules rules = quota_rules();
  rules.quotas[0].count = 6;
  rules.questions_per_attempt = 16;
  random_sequence random(7);
  CHECK(select_questions(bank, rules, {}, random).outcome == verdict::insufficient_questions);
}

TEST_CASE("recently seen questions are avoided while the bank allows", "[selection]") {
  const auto bank = bank_of({{"law", 10}, {"management", 10}, {"emergency", 10}});
  std::unordered_set<question_id> seen;
  for (int i = 0; i < 5; ++i) {
    seen.insert(question_id{"law-" + std::to_string(i)});
    seen.insert(question_id{"management-" + std::to_string(i)});
    seen.insert(question_id{"emergency-" + std::to_string(i)});
  }
  random_sequence random(11);
  const auto fresh = select_questions(bank, quota_rules(), seen, random);
  REQUIRE(fresh.outcome == verdict::accepted);
  for (const auto& id : fresh.questions) {
    CHECK_FALSE(seen.contains(id));
  }

  // With 7 of 10 law questions seen, 3 unseen ones come first and 2 seen ones fill the quota.
  seen.insert(question_id{"law-5"});
  seen.insert(question_id{"law-6"});
  random_sequence again(11);
  const auto mixed = select_questions(bank, quota_rules(), seen, again);
  REQUIRE(mixed.outcome == verdict::accepted);
  const auto unseen_law = std::count_if(mixed.questions.begin(), mixed.questions.begin() + 5,
                                        [&](const question_id& id) { return !seen.contains(id); });
  CHECK(unseen_law == 3);
}

TEST_CASE("without quotas - categories share the attempt in proportion to the bank",
          "[selection]") {
  competition_rules rules;
  const auto bank = bank_of({{"a", 40}, {"b", 20}, {"c", 20}, {"d", 10}, {"e", 10}});
  const auto plan = plan_categories(bank, rules);
  std::map<std::string, int> wanted;
  for (const auto& part : plan) {
    wanted[part.category] = part.wanted;
  }
  // 15 × (40, 20, 20, 10, 10) / 100 = 6, 3, 3, 1.5, 1.5: the tie for the last one goes to "d".
  CHECK(wanted == std::map<std::string, int>{{"a", 6}, {"b", 3}, {"c", 3}, {"d", 2}, {"e", 1}});

  random_sequence random(5);
  const auto selection = select_questions(bank, rules, {}, random);
  REQUIRE(selection.outcome == verdict::accepted);
  std::map<std::string, int> drawn;
  for (const auto& id : selection.questions) {
    ++drawn[category_of(id)];
  }
  CHECK(drawn == wanted);
}

TEST_CASE("a bank smaller than an attempt is insufficient", "[selection]") {
  competition_rules rules;
  random_sequence random(5);
  CHECK(select_questions(bank_of({{"a", 14}}), rules, {}, random).outcome ==
        verdict::insufficient_questions);
  CHECK(select_questions({}, rules, {}, random).outcome == verdict::insufficient_questions);
}

TEST_CASE("option order is a permutation - identity when shuffling is off", "[selection]") {
  random_sequence random(3);
  CHECK(option_order(4, false, random) == std::vector<std::size_t>{0, 1, 2, 3});
  auto shuffled = option_order(8, true, random);
  std::sort(shuffled.begin(), shuffled.end());
  CHECK(shuffled == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("random_sequence::below stays in range and covers it", "[selection]") {
  random_sequence random(17);
  std::set<std::uint64_t> values;
  for (int i = 0; i < 1000; ++i) {
    const auto value = random.below(6);
    REQUIRE(value < 6);
    values.insert(value);
  }
  CHECK(values.size() == 6);
}
