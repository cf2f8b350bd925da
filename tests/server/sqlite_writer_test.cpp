// The group-commit writer with a hand-driven clock. How long queued jobs have waited decides
// behind(), on which admission control refuses writes, so these tests hold the writer inside a job
// (as a lock held elsewhere or a slow disk would), move a manual_time_source and ask behind() and
// stats(), instead of waiting in real time. The jobs run against a real SQLite file.
#include "server/store/sqlite_writer.hpp"

#include <catch2/catch.hpp>
#include <latch>
#include <memory>
#include <string>

#include "tests/support/temporary_directory.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
using namespace std::chrono_literals;

namespace {

// Appends one row to `log`; when given a gate, first holds the writer until the gate opens.
class logging_job final : public writer_job {
 public:
  explicit logging_job(std::string text, std::latch* gate = nullptr)
      : text_(std::move(text)), gate_(gate) {}

  bool run(sqlite_database& database) override {
    if (gate_ != nullptr) {
      gate_->wait();
    }
    database.prepare("INSERT INTO log(text) VALUES (?1)").bind(1, text_).run();
    return true;
  }
  void fail(std::exception_ptr /*error*/) override {}
  void complete() override {}

 private:
  std::string text_;
  std::latch* gate_;
};

// A writer on a fresh file, with a gate that a job can hold it at. The gate is declared before the
// writer and opened by the destructor, so a failed check never leaves the writer's thread waiting
// (the writer, destroyed first, finishes its jobs before the gate goes away).
struct writer_fixture {
  temporary_directory directory;
  manual_time_source clock;
  std::filesystem::path file = directory.path() / "writer.db";
  std::latch gate{1};
  bool gate_open = false;
  sqlite_writer writer{prepared(file), "NORMAL", clock};

  writer_fixture() = default;
  writer_fixture(const writer_fixture&) = delete;
  writer_fixture& operator=(const writer_fixture&) = delete;
  ~writer_fixture() { open_gate(); }

  static const std::filesystem::path& prepared(const std::filesystem::path& file) {
    sqlite_database(file).execute("CREATE TABLE log(text TEXT NOT NULL)");
    return file;
  }

  void submit(const std::string& text, std::latch* held_at = nullptr) {
    writer.submit(std::make_unique<logging_job>(text, held_at));
  }

  // Submits a job that holds the writer at the gate, and waits until the writer runs it.
  bool hold_writer() {
    submit("held", &gate);
    return wait_until([&] { return writer.stats().writing == 1; });
  }

  void open_gate() {
    if (!gate_open) {
      gate_open = true;
      gate.count_down();
    }
  }

  // Waits until `jobs` jobs in all have been committed and the writer is idle.
  bool all_written(std::uint64_t jobs) {
    return wait_until([&] {
      const writer_stats now = writer.stats();
      return now.jobs == jobs && now.writing == 0;
    });
  }

  std::int64_t rows() const {
    sqlite_database reader(file, open_mode::read_only);
    auto count = reader.prepare("SELECT COUNT(*) FROM log");
    count.step();
    return count.column_int64(0);
  }
};

}  // namespace

TEST_CASE_METHOD(writer_fixture, "the writer is behind once its oldest queued job waited too long",
                 "[writer]") {
  REQUIRE(hold_writer());
  CHECK_FALSE(writer.behind(10, 100ms));  // the job being written is not waiting
  CHECK(writer.stats().oldest_wait == 0ms);

  submit("first");
  CHECK_FALSE(writer.behind(10, 100ms));
  clock.advance(60ms);
  submit("second");
  clock.advance(40ms);
  CHECK(writer.stats().oldest_wait == 100ms);  // the first job's age, not the second's
  CHECK_FALSE(writer.behind(10, 100ms));       // waited exactly max_wait: not longer
  clock.advance(1ms);
  CHECK(writer.behind(10, 100ms));
  CHECK_FALSE(writer.behind(10, 101ms));
  CHECK(writer.stats().queue_depth == 2);

  open_gate();
  REQUIRE(all_written(3));
  CHECK_FALSE(writer.behind(1, 0ms));  // nothing waits any more
  CHECK(writer.stats().oldest_wait == 0ms);
  CHECK(writer.stats().last_group_size == 2);  // the two that waited together: one commit
  CHECK(rows() == 3);
}

TEST_CASE_METHOD(writer_fixture, "a queued job's age counts from its own submission", "[writer]") {
  clock.advance(10min);  // time that passed while nothing waited does not count
  REQUIRE(hold_writer());
  clock.advance(5s);  // nor does the time the writer spends on a job
  submit("late");
  CHECK_FALSE(writer.behind(10, 50ms));
  clock.advance(50ms);
  CHECK_FALSE(writer.behind(10, 50ms));
  clock.advance(1ms);
  CHECK(writer.behind(10, 50ms));
  open_gate();
  REQUIRE(all_written(2));
  CHECK_FALSE(writer.behind(10, 50ms));
}

TEST_CASE_METHOD(writer_fixture, "a long queue is behind however young it is", "[writer]") {
  REQUIRE(hold_writer());
  for (int i = 0; i < 3; ++i) {
    submit("queued " + std::to_string(i));
  }
  CHECK(writer.stats().queue_depth == 3);
  CHECK(writer.stats().oldest_wait == 0ms);
  CHECK(writer.behind(3, 1h));  // max_depth jobs wait: behind, though none has waited at all
  CHECK_FALSE(writer.behind(4, 1h));
  open_gate();
  REQUIRE(all_written(4));
  CHECK(writer.stats().largest_group == 3);
  CHECK(rows() == 4);
}
