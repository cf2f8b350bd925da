// What a load generator run measured, and how it is shown: per route (the pattern, e.g.
// "POST /api/v1/attempts/{id}/answers") its rate, latency percentiles and statuses; the run's
// challenges and answers; and the server's CPU, memory and group-commit numbers. Three outputs:
// a table for people, one JSON line for machines, and a tab-separated summary for bench/run.sh.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "bench/latency_histogram.hpp"
#include "bench/server_probe.hpp"

namespace anquanli::bench {

struct route_stats {
  latency_histogram latency;
  std::map<unsigned, std::uint64_t> statuses;  // status 0 = connection failure
  std::uint64_t unexpected = 0;
};

// One per load generator thread, merged at the end; never shared between threads.
class recorder {
 public:
  // `measured`: completed inside the measurement window (after warm-up, before the deadline).
  void record(const std::string& route, unsigned status, std::uint64_t micros, bool unexpected,
              bool measured, std::uint64_t deadline_micros = UINT64_MAX);
  void merge(const recorder& other);

  std::map<std::string, route_stats> routes;  // measured requests only
  std::uint64_t challenges = 0;               // whole challenges completed, measured
  std::uint64_t challenges_in_time = 0;       // of those, every reply in time and none refused
  std::uint64_t answers = 0;                  // answers accepted, measured
  std::uint64_t served_in_time = 0;           // expected replies within the deadline, measured
  std::uint64_t refused = 0;                  // 503 replies (overload or storage), measured
  std::uint64_t requests_all = 0;             // every request, warm-up included
  std::uint64_t unexpected_all = 0;           // every unexpected reply, warm-up included
  std::map<std::string, std::uint64_t> unexpected_by;  // "ROUTE → STATUS", warm-up included
};

struct run_report {
  std::string mode;
  std::string target;
  int connections = 0;
  int threads = 0;
  double seconds = 0;  // the measurement window
  recorder totals;
  process_sample server_before;
  process_sample server_after;
  writer_sample writer_before;
  writer_sample writer_after;
  bool tokens_exhausted = false;
};

void print_table(std::ostream& out, const run_report& report);
[[nodiscard]] std::string json_line(const run_report& report);
// "route<TAB>requests/s<TAB>p50 µs<TAB>p99 µs<TAB>unexpected<TAB>max µs" per route (unexpected
// replies counted warm-up included, so a route that never answered still shows), then
// "challenges/s", "answers/s", "jobs/commit", "cpu_us/request", "peak_rss_kib" and
// "open_connections_at_end" lines of the same shape (without the max).
[[nodiscard]] std::string summary_tsv(const run_report& report);

}  // namespace anquanli::bench
