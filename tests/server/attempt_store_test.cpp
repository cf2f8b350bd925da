// Attempts in storage, on a real SQLite file: a paper is stored as question versions and option
// orders and read back as it was shown; an attempt started by a release before schema step 8
// (its paper in attempt_questions, its answers as JSON) is still answered and finished after the
// migration; and the writer's cache of open attempts is never ahead of the database: a job or a
// group that is rolled back leaves nothing of its change in memory, and a row changed by someone
// else is reloaded instead of overwritten.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <future>
#include <latch>
#include <memory>
#include <string>
#include <vector>

#include "question_bank/question_store.hpp"
#include "server/core/time_source.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/bulletin_query.hpp"
#include "server/store/competition_store.hpp"
#include "server/store/open_attempts.hpp"
#include "server/store/schema.hpp"
#include "server/store/sqlite_writer.hpp"
#include "tests/support/temporary_directory.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace std::chrono_literals;

namespace {

constexpr int legacy_version = 6;  // the schema before papers were a column of the attempt

// Single-choice questions whose answer is their first option, "A".
std::vector<question> sample_bank(int count) {
  std::vector<question> bank;
  for (int i = 1; i <= count; ++i) {
    const std::string n = std::to_string(i);
    bank.push_back({question_id{"Q" + n},
                    question_type::single,
                    "消防安全",
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

// Runs a function on the writer's connection and tells whether what it did is durable: false when
// it threw (its savepoint was rolled back) or its group's commit failed. No Catch2 assertion runs
// on the writer's thread: the functions only record what they saw.
class function_job final : public writer_job {
 public:
  explicit function_job(std::function<void(sqlite_database&)> work) : work_(std::move(work)) {}

  bool run(sqlite_database& database) override {
    try {
      work_(database);
      return true;
    } catch (...) {
      failed_ = true;
      return false;
    }
  }
  void fail(std::exception_ptr /*error*/) override { failed_ = true; }
  void complete() override { done_.set_value(!failed_); }
  std::future<bool> done() { return done_.get_future(); }

 private:
  std::function<void(sqlite_database&)> work_;
  bool failed_ = false;
  std::promise<bool> done_;
};

struct attempt_fixture {
  test::temporary_directory directory;
  std::filesystem::path file = directory.path() / "anquanli.db";
  sqlite_database database{file};
  secrets keys{directory.path()};
  competition_rules rules;
  auth_config auth;
  instant now = instant{std::chrono::milliseconds{1'623'805'200'000}};  // 2021-06-16 09:00 +08
  std::vector<question> bank = sample_bank(20);
  participant_id who{1};

  // A database at `version` with one region, one participant with a profile, and the bank.
  explicit attempt_fixture(int version = database_migrations().back().version) {
    std::vector<migration> steps;
    for (const migration& step : database_migrations()) {
      if (step.version <= version) {
        steps.push_back(step);
      }
    }
    apply_migrations(database, steps);
    database.execute(
        "INSERT INTO regions (code, name, parent_code, level) VALUES ('640104', '兴庆区', NULL, 3);"
        "INSERT INTO participants (id, phone_hash, phone_sealed, phone_masked, name, region_code, "
        "created_at) VALUES (1, 'hash', 'sealed', '138****0001', '测试者', '640104', 0);");
    question_store(database).upsert(bank);
  }

  competition_store store(open_attempts* open = nullptr) {
    return competition_store(database, rules, keys, auth, open);
  }

  std::int64_t number(const std::string& sql) {
    auto statement = database.prepare(sql);
    statement.step();
    return statement.column_int64(0);
  }

  // The shown key of the option that answers question `index` of a paper.
  static choice_keys right(const attempt_record& record, int index) {
    return record.questions[static_cast<std::size_t>(index)].correct_keys;
  }
  static choice_keys wrong(const attempt_record& record, int index) {
    return right(record, index) == choice_keys{"A"} ? choice_keys{"B"} : choice_keys{"A"};
  }
};

// A writer on the fixture's file, reporting to a cache of open attempts.
struct writer_fixture : attempt_fixture {
  manual_time_source clock;
  open_attempts open;  // before the writer, which reports to it
  sqlite_writer writer{file, "NORMAL", clock};

  writer_fixture() { writer.observe(&open); }

  // Submits `work` on the writer; the future tells whether what it did was committed.
  std::future<bool> submit(std::function<void(competition_store&)> work) {
    auto job = std::make_unique<function_job>([this, work = std::move(work)](sqlite_database& db) {
      competition_store on_writer(db, rules, keys, auth, &open);
      work(on_writer);
    });
    auto done = job->done();
    writer.submit(std::move(job));
    return done;
  }

  static bool committed(std::future<bool>& done) {
    REQUIRE(done.wait_for(30s) == std::future_status::ready);
    return done.get();
  }

  attempt_record start() {
    std::optional<attempt_record> started;
    auto done = submit([&](competition_store& store) {
      started = store.start_attempt(who, now, bank, 42).attempt;
    });
    REQUIRE(committed(done));
    REQUIRE(started);
    return *started;
  }

  // What the database holds of the attempt, read on another connection.
  attempt_record stored(attempt_id which) {
    auto loaded = store().load_attempt(which);
    REQUIRE(loaded);
    return *loaded;
  }
};

}  // namespace

TEST_CASE("a paper is stored as versions and option orders and read back as shown", "[attempts]") {
  attempt_fixture f;
  const auto started = f.store().start_attempt(f.who, f.now, f.bank, 7);
  REQUIRE(started.outcome == verdict::accepted);
  const attempt_record& given = *started.attempt;
  REQUIRE(given.questions.size() == static_cast<std::size_t>(f.rules.questions_per_attempt));
  CHECK(f.number("SELECT COUNT(*) FROM question_versions") ==
        static_cast<std::int64_t>(given.questions.size()));

  const auto paper = paper_of(f.database, given.id);
  REQUIRE(paper);
  REQUIRE(paper->size() == given.questions.size());
  for (std::size_t i = 0; i < paper->size(); ++i) {
    CHECK((*paper)[i].id == given.questions[i].id);
    CHECK((*paper)[i].options == given.questions[i].options);
    CHECK((*paper)[i].correct_keys == given.questions[i].correct_keys);
    CHECK((*paper)[i].explanation == given.questions[i].explanation);
  }
  // A question edited later keeps the words the participant saw.
  std::vector<question> edited = f.bank;
  for (auto& item : edited) {
    item.stem += "（修订）";
  }
  question_store(f.database).upsert(edited);
  CHECK(paper_of(f.database, given.id)->front().stem == given.questions[0].stem);
  // A few bytes a question, not the options' text.
  CHECK(f.number("SELECT MAX(length(paper)) FROM attempts") <
        std::int64_t{16} * f.rules.questions_per_attempt);
}

TEST_CASE("an attempt started before the migration is answered and finished after it",
          "[attempts]") {
  attempt_fixture f(legacy_version);
  const std::string day = to_string(day_key_of(f.now, f.rules.offset));
  // The legacy paper: three questions, options shown in reverse, so each answer is shown as "D";
  // the first one answered already, its choice stored as JSON.
  const auto ms = [](instant at) { return at.time_since_epoch().count(); };
  auto head = f.database.prepare(
      "INSERT INTO attempts (id, participant_id, competition_id, day, day_sequence, started_at, "
      "status, deadline) VALUES (1, 1, ?1, ?2, 1, ?3, 'in_progress', ?4)");
  head.bind(1, std::string_view{f.rules.id})
      .bind(2, std::string_view{day})
      .bind(3, ms(f.now))
      .bind(4, ms(f.now + 900s));
  head.run();
  auto row = f.database.prepare(
      "INSERT INTO attempt_questions (attempt_id, position, question_id, options, correct_keys) "
      "VALUES (1, ?1, ?2, ?3, '[\"D\"]')");
  for (int i = 0; i < 3; ++i) {
    const question& original = f.bank[static_cast<std::size_t>(i)];
    boost::json::array shown;
    for (std::size_t k = 0; k < original.options.size(); ++k) {
      const std::string key(1, static_cast<char>('A' + k));
      shown.push_back(boost::json::object{
          {"key", key}, {"text", original.options[original.options.size() - 1 - k].text}});
    }
    row.bind(1, std::int64_t{i})
        .bind(2, std::string_view{original.id.value()})
        .bind(3, std::string_view{boost::json::serialize(shown)});
    row.run();
    row.reset();
  }
  auto answered = f.database.prepare(
      "INSERT INTO answers (attempt_id, position, choice, correct, timed_out, answered_at) "
      "VALUES (1, 0, '[\"D\"]', 1, 0, ?1)");
  answered.bind(1, ms(f.now + 5s));
  answered.run();

  apply_migrations(f.database, database_migrations());
  CHECK(f.number("SELECT answered FROM attempts WHERE id = 1") == 1);

  open_attempts open;
  const attempt_id which{1};
  auto repeated = f.store(&open).answer(f.who, which, 0, {"D"}, f.now + 10s);
  CHECK(repeated.outcome == verdict::answer_repeated);
  REQUIRE(repeated.attempt);
  CHECK(repeated.attempt->questions[1].options[3].text == "119-2");
  auto second = f.store(&open).answer(f.who, which, 1, {"D"}, f.now + 15s);
  CHECK(second.outcome == verdict::accepted);
  REQUIRE(second.answer);
  CHECK(second.answer->correct);
  CHECK(f.store(&open).answer(f.who, which, 1, {"D"}, f.now + 16s).outcome ==
        verdict::answer_repeated);
  auto last = f.store(&open).answer(f.who, which, 2, {"A"}, f.now + 20s);
  CHECK(last.outcome == verdict::accepted);
  CHECK_FALSE(last.answer->correct);
  REQUIRE(last.attempt);
  CHECK(last.attempt->state.status() == attempt_status::finished);
  CHECK(open.find(which) == nullptr);  // closed attempts are not kept

  CHECK(f.number("SELECT correct FROM attempts WHERE id = 1") == 2);
  CHECK(f.number("SELECT answered FROM attempts WHERE id = 1") == 3);
  CHECK(f.number("SELECT COUNT(*) FROM points_ledger WHERE attempt_id = 1") == 1);
  // One challenge a day still holds across the two storage forms.
  CHECK(f.store(&open).start_attempt(f.who, f.now + 30s, f.bank, 1).outcome ==
        verdict::daily_limit_reached);
  // The bulletin's question statistics count the legacy paper.
  const auto stats =
      question_stats(f.database, f.rules, "640104", f.rules.starts_on, f.rules.ends_on);
  REQUIRE(stats.size() == 3);
  // Only the challenges of the period's days count.
  const day_key played = day_key_of(f.now, f.rules.offset);
  CHECK(question_stats(f.database, f.rules, "640104", played, played).size() == 3);
  CHECK(question_stats(f.database, f.rules, "640104", played.next(), played.next()).empty());
  // The next day's paper avoids the questions the legacy attempt showed.
  const auto next = f.store(&open).start_attempt(f.who, f.now + 24h, f.bank, 3);
  REQUIRE(next.outcome == verdict::accepted);
  for (const auto& shown : next.attempt->questions) {
    CHECK(shown.id.value() != "Q1");
  }
}

TEST_CASE_METHOD(writer_fixture, "a job rolled back after answering leaves no answer in the cache",
                 "[attempts]") {
  const attempt_record given = start();
  REQUIRE(open.find(given.id) != nullptr);
  std::optional<answer_result> answered;
  auto failed = submit([&](competition_store& store) {
    answered = store.answer(who, given.id, 0, right(given, 0), now + 5s);
    throw std::runtime_error("the job fails after its answer");
  });
  CHECK_FALSE(committed(failed));  // its savepoint was rolled back (the group still commits)
  REQUIRE(answered);
  CHECK(answered->outcome == verdict::accepted);
  CHECK(open.find(given.id) == nullptr);
  CHECK(stored(given.id).state.answers().empty());

  std::optional<answer_result> again;
  auto retried = submit([&](competition_store& store) {
    again = store.answer(who, given.id, 0, right(given, 0), now + 6s);
  });
  REQUIRE(committed(retried));
  CHECK(again->outcome == verdict::accepted);
  CHECK(stored(given.id).state.answers().size() == 1);
}

TEST_CASE_METHOD(writer_fixture, "a group whose commit fails leaves no answer in the cache",
                 "[attempts]") {
  const attempt_record given = start();
  // Hold the writer so that the answer and the broken job are committed as one group.
  std::latch gate{1};
  auto held = submit([&](competition_store& /*store*/) { gate.wait(); });
  REQUIRE(test::wait_until([&] { return writer.stats().writing == 1; }));
  std::optional<answer_result> answered;
  auto answer = submit([&](competition_store& store) {
    answered = store.answer(who, given.id, 0, right(given, 0), now + 5s);
  });
  // A row whose foreign key is checked only at COMMIT: the whole group is refused.
  auto broken = std::make_unique<function_job>([](sqlite_database& db) {
    db.execute(
        "PRAGMA defer_foreign_keys = ON; INSERT INTO answers (attempt_id, position, choice, "
        "correct, timed_out, answered_at) VALUES (999999, 0, 'A', 0, 0, 0)");
  });
  auto refused = broken->done();
  writer.submit(std::move(broken));
  gate.count_down();
  REQUIRE(committed(held));
  CHECK_FALSE(committed(answer));
  CHECK_FALSE(committed(refused));
  REQUIRE(answered);
  CHECK(answered->outcome == verdict::accepted);  // the job ran, and was undone with its group
  CHECK(open.find(given.id) == nullptr);
  CHECK(stored(given.id).state.answers().empty());

  std::optional<answer_result> again;
  auto retried = submit([&](competition_store& store) {
    again = store.answer(who, given.id, 0, wrong(given, 0), now + 6s);
  });
  REQUIRE(committed(retried));
  CHECK(again->outcome == verdict::accepted);
  CHECK_FALSE(again->answer->correct);
  CHECK(stored(given.id).state.answers().size() == 1);
}

TEST_CASE_METHOD(writer_fixture,
                 "an attempt changed underneath the cache is reloaded, not overwritten",
                 "[attempts]") {
  const attempt_record given = start();
  REQUIRE(open.find(given.id) != nullptr);
  // Another writer (a second node) answers the first question, as competition_store would.
  database.execute(
      "UPDATE attempts SET answered = 1 WHERE id = " + std::to_string(given.id.value()) +
      "; INSERT INTO answers (attempt_id, position, choice, correct, timed_out, answered_at) "
      "VALUES (" +
      std::to_string(given.id.value()) + ", 0, '" + encode_choice(wrong(given, 0)) + "', 0, 0, " +
      std::to_string((now + 3s).time_since_epoch().count()) + ")");

  std::optional<answer_result> first;
  std::optional<answer_result> second;
  auto done = submit([&](competition_store& store) {
    first = store.answer(who, given.id, 0, right(given, 0), now + 5s);
    second = store.answer(who, given.id, 1, right(given, 1), now + 6s);
  });
  REQUIRE(committed(done));
  CHECK(first->outcome == verdict::already_answered);  // the stored answer stands
  CHECK(second->outcome == verdict::accepted);
  const attempt_record truth = stored(given.id);
  REQUIRE(truth.state.answers().size() == 2);
  CHECK_FALSE(truth.state.answers()[0].correct);
  CHECK(truth.state.answers()[1].correct);
}

TEST_CASE("the cache is bounded, and an attempt it dropped is reloaded", "[attempts]") {
  attempt_fixture f;
  f.database.execute(
      "INSERT INTO participants (id, phone_hash, phone_sealed, phone_masked, name, region_code, "
      "created_at) VALUES (2, 'hash2', 'sealed', '138****0002', '测试者二', '640104', 0)");
  open_attempts open(1);
  const auto first = f.store(&open).start_attempt(f.who, f.now, f.bank, 1);
  const auto second = f.store(&open).start_attempt(participant_id{2}, f.now, f.bank, 2);
  REQUIRE(first.attempt);
  REQUIRE(second.attempt);
  CHECK(open.size() == 1);
  CHECK(open.find(first.attempt->id) == nullptr);
  CHECK(open.find(second.attempt->id) != nullptr);
  const auto answered = f.store(&open).answer(
      f.who, first.attempt->id, 0, attempt_fixture::right(*first.attempt, 0), f.now + 5s);
  CHECK(answered.outcome == verdict::accepted);
  CHECK(f.store().load_attempt(first.attempt->id)->state.answers().size() == 1);
  CHECK(open.size() == 1);
}
