// What people get wrong, on a real SQLite file: answers decoded through each attempt's shuffled
// paper are counted per option text (the most chosen wrong option flagged), and answers roll up
// by category for the scope and for each region one level below it.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "question_bank/question_store.hpp"
#include "server/store/answer_stats.hpp"
#include "server/store/competition_store.hpp"
#include "server/store/schema.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;

namespace {

// Single-choice questions whose answer is "119-n"; half 消防安全, half 交通安全.
std::vector<question> sample_bank(int count) {
  std::vector<question> bank;
  for (int i = 1; i <= count; ++i) {
    const std::string n = std::to_string(i);
    bank.push_back({question_id{"Q" + n},
                    question_type::single,
                    i % 2 == 0 ? "消防安全" : "交通安全",
                    1,
                    "第" + n + "题：火警电话是？",
                    {{"A", "119-" + n}, {"B", "110-" + n}, {"C", "120-" + n}, {"D", "122-" + n}},
                    {"A"},
                    "解析" + n,
                    "《消防法》",
                    true});
  }
  return bank;
}

struct stats_fixture {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db"};
  secrets keys{directory.path()};
  competition_rules rules;
  auth_config auth;
  instant now = instant{std::chrono::milliseconds{1'623'805'200'000}};  // 2021-06-16 09:00 +08
  std::vector<question> bank = sample_bank(20);
  day_key day = *parse_day_key("2021-06-16");

  stats_fixture() {
    apply_migrations(database, database_migrations());
    database.execute(
        "INSERT INTO regions (code, name, parent_code, level) VALUES "
        "('640000', '宁夏', NULL, 1), ('640100', '银川市', '640000', 2), "
        "('640104', '兴庆区', '640100', 3), ('640200', '石嘴山市', '640000', 2), "
        "('640202', '大武口区', '640200', 3);"
        "INSERT INTO participants (id, phone_hash, phone_sealed, phone_masked, name, region_code, "
        "created_at) VALUES (1, 'h1', 's1', '138****0001', '甲', '640104', 0), "
        "(2, 'h2', 's2', '138****0002', '乙', '640202', 0);");
    question_store(database).upsert(bank);
  }

  // A challenge of `who` answering each question with the option whose text starts `prefix`.
  void take(participant_id who, const std::string& prefix, std::uint64_t seed) {
    competition_store store(database, rules, keys, auth);
    const auto started = store.start_attempt(who, now, bank, seed);
    REQUIRE(started.attempt);
    const attempt_record& record = *started.attempt;
    for (std::size_t i = 0; i < record.questions.size(); ++i) {
      for (const auto& option : record.questions[i].options) {
        if (option.text.starts_with(prefix)) {
          const instant at = now + std::chrono::seconds{5 * (static_cast<int>(i) + 1)};
          store.answer(who, record.id, static_cast<int>(i), {option.key}, at);
        }
      }
    }
    store.finish(who, record.id, now + std::chrono::minutes{2});
  }
};

}  // namespace

TEST_CASE("answers are counted per option text through each shuffled paper", "[answer_stats]") {
  stats_fixture f;
  f.take(participant_id{1}, "110-", 3);
  f.take(participant_id{2}, "119-", 4);
  const auto options = option_distributions(f.database, f.rules, {"640000", f.day, f.day});
  std::int64_t wrong = 0;
  std::int64_t right = 0;
  for (const auto& [question, entries] : options) {
    CAPTURE(question);
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].text.starts_with("119-"));  // the question's own order
    CHECK(entries[0].correct);
    CHECK_FALSE(entries[1].correct);
    right += entries[0].chosen;
    wrong += entries[1].chosen;
    CHECK(entries[1].most_chosen_wrong == (entries[1].chosen > 0));
    CHECK(entries[2].chosen + entries[3].chosen == 0);
    CHECK_FALSE(entries[0].most_chosen_wrong);
  }
  CHECK(wrong == 15);
  CHECK(right == 15);

  // A city's scope sees only its own people's answers.
  std::int64_t city = 0;
  for (const auto& [question, entries] :
       option_distributions(f.database, f.rules, {"640100", f.day, f.day})) {
    for (const auto& entry : entries) {
      city += entry.chosen;
      CHECK((entry.chosen == 0 || entry.text.starts_with("110-")));
    }
  }
  CHECK(city == 15);
}

TEST_CASE("answers roll up by category for the scope and its child regions", "[answer_stats]") {
  stats_fixture f;
  f.take(participant_id{1}, "110-", 3);
  f.take(participant_id{2}, "119-", 4);
  const auto report = category_stats(f.database, f.rules, {"640000", f.day, f.day});
  REQUIRE(report.categories.size() == 2);
  std::int64_t answers = 0;
  std::int64_t correct = 0;
  for (const auto& item : report.categories) {
    answers += item.answers;
    correct += item.correct;
    CHECK(item.participants == 2);
  }
  CHECK(answers == 30);
  CHECK(correct == 15);
  REQUIRE(report.regions.size() == 2);
  CHECK(report.regions[0].code == "640100");
  CHECK(report.regions[1].code == "640200");
  for (std::size_t i = 0; i < report.regions.size(); ++i) {
    std::int64_t region_answers = 0;
    std::int64_t region_correct = 0;
    for (const auto& item : report.regions[i].categories) {
      region_answers += item.answers;
      region_correct += item.correct;
    }
    CHECK(region_answers == 15);
    CHECK(region_correct == (i == 0 ? 0 : 15));
  }
  // A later period has nothing.
  const auto later = *parse_day_key("2021-06-17");
  CHECK(category_stats(f.database, f.rules, {"640000", later, later}).categories.empty());
  const auto county = category_stats(f.database, f.rules, {"640104", f.day, f.day});
  CHECK(county.regions.empty());
}
