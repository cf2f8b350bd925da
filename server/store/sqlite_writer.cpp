#include "server/store/sqlite_writer.hpp"

namespace anquanli {

sqlite_writer::sqlite_writer(const std::filesystem::path& file, std::string_view synchronous,
                             const time_source& clock, std::size_t max_group)
    : database_(file, open_mode::read_write_create, synchronous),
      clock_(clock),
      max_group_(max_group),
      thread_([this] { run_loop(); }) {}

sqlite_writer::~sqlite_writer() {
  stop();
}

void sqlite_writer::submit(std::unique_ptr<writer_job> job) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    submitted_.push_back(clock_.monotonic());
    stats_.queue_depth = queue_.size();
  }
  wake_.notify_one();
}

void sqlite_writer::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool sqlite_writer::behind(std::size_t max_depth, std::chrono::milliseconds max_wait) const {
  const std::lock_guard lock(mutex_);
  return queue_.size() >= max_depth ||
         (!submitted_.empty() && clock_.monotonic() - submitted_.front() > max_wait);
}

writer_stats sqlite_writer::stats() const {
  const std::lock_guard lock(mutex_);
  writer_stats now = stats_;
  if (!submitted_.empty()) {
    now.oldest_wait = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.monotonic() -
                                                                            submitted_.front());
  }
  return now;
}

void sqlite_writer::run_loop() {
  for (;;) {
    std::deque<std::unique_ptr<writer_job>> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything queued has been written
      }
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
        submitted_.pop_front();
      }
      stats_.queue_depth = queue_.size();
      stats_.writing = group.size();
    }
    run_group(group);
  }
}

void sqlite_writer::notify(void (writer_observer::*event)()) const {
  if (observer_ != nullptr) {
    (observer_->*event)();
  }
}

void sqlite_writer::run_group(std::deque<std::unique_ptr<writer_job>>& group) {
  bool committed = false;
  try {
    sqlite_transaction transaction(database_);
    for (auto& job : group) {
      notify(&writer_observer::job_started);
      database_.run("SAVEPOINT job");
      if (!job->run(database_)) {
        database_.run("ROLLBACK TO job");
        notify(&writer_observer::job_rolled_back);
      }
      database_.run("RELEASE job");
    }
    transaction.commit();
    committed = true;
    notify(&writer_observer::group_committed);
  } catch (...) {
    // The transaction was rolled back: nothing of this group is durable.
    notify(&writer_observer::group_rolled_back);
    for (auto& job : group) {
      job->fail(std::current_exception());
    }
  }
  {
    const std::lock_guard lock(mutex_);
    ++stats_.commits;
    stats_.failed_commits += committed ? 0 : 1;
    stats_.jobs += group.size();
    stats_.last_group_size = group.size();
    stats_.largest_group = std::max(stats_.largest_group, group.size());
    stats_.writing = 0;
  }
  for (auto& job : group) {
    job->complete();
  }
}

}  // namespace anquanli
