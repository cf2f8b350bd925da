// The single writer of the database, with group commit. Requests hand it jobs; its thread takes
// every job that is waiting, runs them one after another inside ONE transaction (each in its own
// savepoint, so one job's failure undoes only that job), commits once, and only then completes
// each job's handler. Durability (synchronous=FULL) thus costs one fsync per group, not per
// request. If the commit fails (disk full, I/O error) every job of the group fails with that error.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/core/time_source.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// One unit of work for the writer: run() on the writer thread inside the transaction, then
// complete() once the outcome is durable (or failed).
class writer_job {
 public:
  virtual ~writer_job() = default;
  // Returns false when the job threw; its savepoint is then rolled back.
  virtual bool run(sqlite_database& database) = 0;
  virtual void fail(std::exception_ptr error) = 0;
  virtual void complete() = 0;
};

// Told what happens to the writer's transactions, on the writer thread, so that state kept in
// memory beside the database (open_attempts) never outlives a rollback.
class writer_observer {
 public:
  virtual ~writer_observer() = default;
  virtual void job_started() = 0;
  // The job threw and its savepoint was rolled back.
  virtual void job_rolled_back() = 0;
  virtual void group_committed() = 0;
  // The group's transaction failed (disk full, I/O error): none of its jobs happened.
  virtual void group_rolled_back() = 0;
};

struct writer_stats {
  std::uint64_t commits = 0;
  std::uint64_t jobs = 0;
  std::size_t queue_depth = 0;
  std::size_t last_group_size = 0;
  std::size_t largest_group = 0;
  // Jobs of the group being written now; 0 while the writer waits for work. A writer stalled (a
  // lock held elsewhere, a slow disk) shows here before its queue grows.
  std::size_t writing = 0;
  // Groups whose commit failed (disk full, I/O error): every job in them failed.
  std::uint64_t failed_commits = 0;
  // How long the oldest queued job has waited (by the writer's clock); 0 when none waits. This is
  // the age behind() compares with max_wait.
  std::chrono::milliseconds oldest_wait{0};
};

class sqlite_writer {
 public:
  // Opens its own connection to `file`. `clock` times how long jobs wait (for back-pressure).
  sqlite_writer(const std::filesystem::path& file, std::string_view synchronous,
                const time_source& clock, std::size_t max_group = 512);
  // Tells `observer` (which outlives the writer) about every job and group from now on; set it
  // before submitting work.
  void observe(writer_observer* observer) { observer_ = observer; }
  sqlite_writer(const sqlite_writer&) = delete;
  sqlite_writer& operator=(const sqlite_writer&) = delete;
  ~sqlite_writer();

  void submit(std::unique_ptr<writer_job> job);
  // True when `max_depth` or more jobs wait, or the oldest has waited longer than `max_wait`. One
  // lock, as admission control asks it for every write: a queue that is old, not only one that is
  // long, is what makes answers late.
  [[nodiscard]] bool behind(std::size_t max_depth, std::chrono::milliseconds max_wait) const;
  // Finishes every queued job, then stops the thread. Idempotent.
  void stop();
  // The counters, with queue_depth, writing and oldest_wait as they are now.
  [[nodiscard]] writer_stats stats() const;

 private:
  void run_loop();
  void run_group(std::deque<std::unique_ptr<writer_job>>& group);
  void notify(void (writer_observer::*event)()) const;

  sqlite_database database_;
  const time_source& clock_;
  writer_observer* observer_ = nullptr;
  std::size_t max_group_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<writer_job>> queue_;
  std::deque<monotonic_instant> submitted_;  // parallel to queue_
  bool stopping_ = false;
  writer_stats stats_;
  std::thread thread_;
};

}  // namespace anquanli
