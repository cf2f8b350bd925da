#include "server/store/open_attempts.hpp"

namespace anquanli {

attempt_record* open_attempts::find(attempt_id which) {
  const auto found = records_.find(which.value());
  return found == records_.end() ? nullptr : &found->second;
}

attempt_record& open_attempts::keep(attempt_record record) {
  const std::int64_t id = record.id.value();
  touch(record.id);
  if (records_.size() >= capacity_ && !records_.empty() && !records_.contains(id)) {
    records_.erase(records_.begin());
  }
  return records_.insert_or_assign(id, std::move(record)).first->second;
}

void open_attempts::forget(attempt_id which) {
  records_.erase(which.value());
}

void open_attempts::touch(attempt_id which) {
  touched_by_job_.push_back(which.value());
}

void open_attempts::job_started() {
  touched_by_group_.insert(touched_by_group_.end(), touched_by_job_.begin(), touched_by_job_.end());
  touched_by_job_.clear();
}

void open_attempts::job_rolled_back() {
  for (const std::int64_t id : touched_by_job_) {
    records_.erase(id);
  }
  touched_by_job_.clear();
}

void open_attempts::group_committed() {
  touched_by_job_.clear();
  touched_by_group_.clear();
}

void open_attempts::group_rolled_back() {
  job_started();  // the last job's changes belong to the group too
  for (const std::int64_t id : touched_by_group_) {
    records_.erase(id);
  }
  touched_by_group_.clear();
}

}  // namespace anquanli
