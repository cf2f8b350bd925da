// What the server side spent during a run: CPU time and peak memory of a process and its children
// (nginx's workers are children of its master) from /proc, and the SQLite writer's counters from
// the anquanli server's /metrics text.
#pragma once

#include <cstdint>
#include <string_view>

namespace anquanli::bench {

struct process_sample {
  bool valid = false;
  double cpu_seconds = 0;          // user + system, summed over the process and its children
  std::uint64_t peak_rss_kib = 0;  // VmHWM, summed likewise
  int processes = 0;
};

// Reads /proc/PID and /proc/CHILD for every child of PID; invalid when PID is gone.
[[nodiscard]] process_sample sample_process(int pid);

struct writer_sample {
  bool valid = false;
  std::uint64_t commits = 0;           // anquanli_writer_commits_total
  std::uint64_t jobs = 0;              // anquanli_writer_jobs_total
  std::uint64_t answers = 0;           // anquanli_answers_total
  std::uint64_t open_connections = 0;  // anquanli_open_connections (the probe's own included)
};

// The writer's counters (and the open connections) in a Prometheus exposition; invalid when the
// writer's are not there.
[[nodiscard]] writer_sample parse_metrics(std::string_view text);

}  // namespace anquanli::bench
