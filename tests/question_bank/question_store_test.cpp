#include "question_bank/question_store.hpp"

#include <catch2/catch.hpp>

#include "../support/temporary_directory.hpp"

using namespace anquanli;

namespace {

question sample(const std::string& id, const std::string& category = "消防安全") {
  return {question_id{id},
          question_type::single,
          category,
          1,
          "火警电话是多少？",
          {{"A", "110"}, {"B", "119"}},
          {"B"},
          "119 是火警电话。",
          "安全常识",
          true};
}

struct store_fixture {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db"};
  store_fixture() { apply_migrations(database, question_bank_migrations()); }
};

}  // namespace

TEST_CASE("questions round-trip through the store", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  auto judge = sample("J1");
  judge.type = question_type::judge;
  judge.options = {{"A", "正确"}, {"B", "错误"}};
  const auto summary = store.upsert(std::vector<question>{sample("Q1"), judge});
  CHECK(summary.inserted == 2);
  CHECK(store.find(question_id{"Q1"}) == sample("Q1"));
  CHECK(store.find(question_id{"J1"}) == judge);
  CHECK_FALSE(store.find(question_id{"nope"}));
}

TEST_CASE("re-importing an id updates it - unchanged ones are left alone", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  store.upsert(std::vector<question>{sample("Q1"), sample("Q2")});
  auto changed = sample("Q1");
  changed.stem = "火警报警电话是？";
  const auto summary = store.upsert(std::vector<question>{changed, sample("Q2"), sample("Q3")});
  CHECK(summary.inserted == 1);
  CHECK(summary.updated == 1);
  CHECK(summary.unchanged == 1);
  CHECK(store.find(question_id{"Q1"})->stem == "火警报警电话是？");
}

TEST_CASE("an import is all or nothing", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  auto broken = sample("Q2");
  broken.difficulty = 9;  // the table's CHECK refuses it
  CHECK_THROWS_AS(store.upsert(std::vector<question>{sample("Q1"), broken}), sqlite_error);
  CHECK(store.list({}).empty());
}

TEST_CASE("a used question is deactivated - never deleted", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  store.upsert(std::vector<question>{sample("Q1"), sample("Q2")});
  // An attempt's paper keeps the version of each question it showed.
  store.version_of(*store.find(question_id{"Q1"}));
  CHECK(store.remove(question_id{"Q1"}) == removal::deactivated);
  CHECK(store.remove(question_id{"Q2"}) == removal::deleted);
  CHECK(store.remove(question_id{"Q9"}) == removal::not_found);
  const auto kept = store.find(question_id{"Q1"});
  REQUIRE(kept);
  CHECK_FALSE(kept->active);
  CHECK_FALSE(store.find(question_id{"Q2"}));
}

TEST_CASE("listing filters and candidates skip inactive questions", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  auto inactive = sample("Q3", "道路交通安全");
  inactive.active = false;
  store.upsert(std::vector<question>{sample("Q1"), sample("Q2", "道路交通安全"), inactive});
  CHECK(store.list({}).size() == 2);
  CHECK(store.list({std::nullopt, std::nullopt, true}).size() == 3);
  CHECK(store.list({std::string{"道路交通安全"}, std::nullopt, false}).size() == 1);
  CHECK(store.list({std::nullopt, question_type::judge, true}).empty());
  const auto candidates = store.active_candidates();
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[1].category == "道路交通安全");
  CHECK(store.set_active(question_id{"Q3"}, true));
  CHECK(store.active_candidates().size() == 3);
}

TEST_CASE("a question's version keeps its words when the question is edited", "[store]") {
  store_fixture fixture;
  question_store store(fixture.database);
  store.upsert(std::vector<question>{sample("Q1")});
  const question original = *store.find(question_id{"Q1"});
  const std::int64_t first = store.version_of(original);
  CHECK(store.version_of(original) == first);
  question edited = original;
  edited.stem = "修订后的题干";
  store.upsert(std::vector<question>{edited});
  const std::int64_t second = store.version_of(*store.find(question_id{"Q1"}));
  CHECK(second != first);
  CHECK(store.version(first)->stem == original.stem);
  CHECK(store.version(second)->stem == "修订后的题干");
  CHECK(store.version(first)->options == original.options);
  CHECK(store.version(first)->answer == original.answer);
  CHECK_FALSE(store.version(second + 1));
}

TEST_CASE("migrations run once and refuse a newer database", "[store]") {
  store_fixture fixture;
  const int newest = question_bank_migrations().back().version;
  CHECK(fixture.database.user_version() == newest);
  apply_migrations(fixture.database, question_bank_migrations());  // a no-op the second time
  CHECK(fixture.database.user_version() == newest);
  fixture.database.execute("PRAGMA user_version=99");
  CHECK_THROWS_AS(apply_migrations(fixture.database, question_bank_migrations()), sqlite_error);
}
