// The demo competition (config/demo.toml) shows the product: it serves every category of the demo
// bank, a participant who plays every day meets repeats no sooner than the bank's size forces,
// and every prize has a daily cap that makes it last the whole window.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <numeric>

#include "question_bank/bank_health.hpp"
#include "question_bank/question_import.hpp"
#include "server/core/server_config.hpp"

using namespace anquanli;

namespace {

const std::filesystem::path source_dir{ANQUANLI_SOURCE_DIR};

server_config demo_config() {
  const config_result loaded = load_server_config(source_dir / "config/demo.toml");
  for (const auto& problem : loaded.problems) {
    INFO(problem);
    CHECK(false);
  }
  return loaded.config;
}

std::vector<question> demo_bank() {
  std::ifstream in(source_dir / "question_bank/demo/demo-bank.jsonl", std::ios::binary);
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const question_import parsed = parse_questions(content, question_format::jsonl);
  REQUIRE(parsed.problems.empty());
  return parsed.questions;
}

}  // namespace

TEST_CASE("the demo competition serves every category of the demo bank", "[demo]") {
  const competition_rules rules = demo_config().competition;
  const bank_health health = check_bank(demo_bank(), rules);
  CHECK(health.healthy());
  for (const auto& warning : health.warnings) {
    INFO(warning);
    CHECK(false);
  }
  const int asked = std::accumulate(rules.quotas.begin(), rules.quotas.end(), 0,
                                    [](int sum, const category_quota& q) { return sum + q.count; });
  CHECK(asked == rules.questions_per_attempt);
  CHECK(rules.quotas.size() == health.by_category.size());
  for (const auto& [category, count] : health.by_category) {
    INFO(category);
    CHECK(std::any_of(rules.quotas.begin(), rules.quotas.end(), [&](const category_quota& quota) {
      return quota.category == category && quota.count > 0;
    }));
  }
  // No repeats sooner than the bank's size forces: 240 questions, 15 an attempt.
  CHECK(health.attempts_without_repeats == health.best_attempts_without_repeats);
  CHECK(health.attempts_without_repeats >= 15);
  CHECK(health.window_attempts == 30);
}

TEST_CASE("every demo prize has a daily cap that makes it last the window", "[demo]") {
  const server_config config = demo_config();
  const competition_rules& rules = config.competition;
  const auto days = (rules.ends_on.days() - rules.starts_on.days()).count() + 1;
  REQUIRE_FALSE(config.prizes.empty());
  for (const prize_config& prize : config.prizes) {
    INFO(prize.id);
    REQUIRE(prize.daily_cap);
    CHECK(*prize.daily_cap > 0);
    CHECK(*prize.daily_cap * days <= prize.total);
  }
}
