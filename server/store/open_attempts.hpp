// The attempts in progress, kept in memory on the writer thread. An answer is then the engine's
// call and one INSERT, instead of reloading the attempt's paper, answers and questions on every
// answer (that reload was over a third of the writer's CPU, docs/performance.md).
//
// It stays a cache: the database is the truth. Every change goes through the writer's
// transaction, and the cache follows it: an attempt a job touched is forgotten when that job's
// savepoint or its group's commit is rolled back, and reloaded on its next use. Each answer also
// moves the row's stored answer count from the count the cache had (`attempts.answered`), so a
// second writer (a future multi-node backend) changing the row underneath is detected, not
// overwritten: competition_store reloads and tries again.
//
// It is bounded: past `capacity` attempts, keeping one more drops another (any other: a dropped
// attempt is reloaded on its next use), so attempts left open without a deadline (a competition
// with no time limit) cannot grow it without end.
//
// Only the writer thread may touch it (no lock).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "server/store/sqlite_writer.hpp"
#include "server/store/store_types.hpp"

namespace anquanli {

class open_attempts final : public writer_observer {
 public:
  // About 10 KiB an attempt with the demo bank's text: at most about 1 GiB.
  static constexpr std::size_t default_capacity = 100'000;

  explicit open_attempts(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  // The attempt, or null when it is not kept (closed, never loaded, or forgotten).
  [[nodiscard]] attempt_record* find(attempt_id which);
  attempt_record& keep(attempt_record record);
  void forget(attempt_id which);
  // Marks the attempt as changed by the running job, so that a rollback forgets it.
  void touch(attempt_id which);
  [[nodiscard]] std::size_t size() const { return records_.size(); }

  void job_started() override;
  void job_rolled_back() override;
  void group_committed() override;
  void group_rolled_back() override;

 private:
  std::size_t capacity_;
  std::unordered_map<std::int64_t, attempt_record> records_;
  std::vector<std::int64_t> touched_by_job_;
  std::vector<std::int64_t> touched_by_group_;
};

}  // namespace anquanli
