#include "server/app/metrics_exposition.hpp"

namespace anquanli {

namespace {

void append_writer(std::string& out, const writer_stats& writer) {
  append_metric(out, "anquanli_writer_commits_total", "counter",
                "Group commits by the SQLite writer.", static_cast<double>(writer.commits));
  append_metric(out, "anquanli_writer_jobs_total", "counter",
                "Jobs committed by the SQLite writer.", static_cast<double>(writer.jobs));
  append_metric(out, "anquanli_writer_queue_depth", "gauge", "Jobs waiting for the writer.",
                static_cast<double>(writer.queue_depth));
  append_metric(out, "anquanli_writer_oldest_wait_seconds", "gauge",
                "How long the oldest job waiting for the writer has waited (0 when none waits); "
                "writes are refused once it exceeds max_write_wait_ms.",
                static_cast<double>(writer.oldest_wait.count()) / 1000.0);
  append_metric(out, "anquanli_writer_group_size", "gauge", "Jobs in the last group commit.",
                static_cast<double>(writer.last_group_size));
  append_metric(out, "anquanli_writer_largest_group", "gauge", "Largest group commit so far.",
                static_cast<double>(writer.largest_group));
  append_metric(out, "anquanli_writer_writing", "gauge",
                "Jobs in the group the writer is writing now (0 while it waits for work).",
                static_cast<double>(writer.writing));
  append_metric(
      out, "anquanli_storage_errors_total", "counter",
      "Group commits that failed (disk full, I/O error, a lock held elsewhere); every write in "
      "them was refused.",
      static_cast<double>(writer.failed_commits));
}

void append_disk(std::string& out, const std::filesystem::path& data_dir) {
  std::error_code error;
  const auto space = std::filesystem::space(data_dir, error);
  if (error) {
    return;  // no sample rather than a wrong one; the disk alert then fires on absent()
  }
  append_metric(out, "anquanli_data_dir_available_bytes", "gauge",
                "Bytes the server may still write on the data directory's file system.",
                static_cast<double>(space.available));
  append_metric(out, "anquanli_data_dir_capacity_bytes", "gauge",
                "Size of the data directory's file system in bytes.",
                static_cast<double>(space.capacity));
}

}  // namespace

std::string render_metrics(const exposition_inputs& inputs) {
  std::string out = inputs.counters.render();
  append_writer(out, inputs.writer);
  if (inputs.redis_up) {
    append_metric(out, "anquanli_redis_up", "gauge",
                  "1 while the leaderboard relay reaches Redis, 0 while it does not.",
                  *inputs.redis_up ? 1.0 : 0.0);
  }
  append_disk(out, inputs.data_dir);
  return out;
}

}  // namespace anquanli
