// The load generator's workloads. `static` GETs one path on every connection (nginx's static 200,
// or /healthz). `mixed` plays participants and spectators: most connections take whole challenges
// with seeded tokens (start, 15 answers, finish if still open, then every draw earned), the rest
// read leaderboard pages and unit standings. With an open-loop `rate`, `mixed` is the overload
// run: challenges are due at that rate whatever the replies do. Connections are
// coroutines spread over a few threads, each thread with its own io_context and recorder, so
// nothing is locked on the request path.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench/load_report.hpp"

namespace anquanli::bench {

struct load_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string mode = "static";  // static | mixed
  std::string path = "/healthz";
  int connections = 64;
  int threads = 1;
  std::chrono::milliseconds warmup{1000};
  std::chrono::milliseconds duration{10000};
  std::int64_t max_challenges = 0;  // mixed: stop after this many challenges (0 = by time)
  double reader_share = 0.2;        // mixed: share of connections reading leaderboards
  double correct_share = 0.8;       // mixed: share of answers meant to be right (approximate)
  std::vector<std::string> tokens;  // mixed: one bearer token per participant
  std::size_t token_start = 0;      // the first token not used by an earlier run
  // Open loop when above 0: `static` requests, or `mixed` challenges, are due at this total rate
  // per second whatever the replies do, and the latency of each (a challenge's start) counts from
  // when it was due (no coordinated omission). A start refused with 503 is retried by the same
  // participant at a later slot; a later step refused with 503 is sent again after Retry-After,
  // as the web page lets the participant do. 0: each connection sends its next request when the
  // last reply arrives (a closed loop).
  double rate = 0;
  std::chrono::milliseconds deadline{1000};  // a reply later than this is not "served in time"
  // Above 0 (a loopback target only): connection i connects from 127.0.1.(i % n + 1), so the
  // server sees n clients instead of one, as it would on a real network, and its limit on
  // connections per client address does not refuse the load generator's own connections.
  int source_addresses = 0;
};

// The local address connection `index` connects from; empty: the system's choice.
[[nodiscard]] std::string source_address(const load_settings& settings, int index);

struct load_outcome {
  recorder totals;
  double seconds = 0;  // the measurement window
  std::size_t next_token = 0;
  bool tokens_exhausted = false;
};

// Runs the workload; calls `at_window_start` and `at_window_end` on the calling thread when the
// measurement window opens and closes (the server probes run there).
[[nodiscard]] load_outcome run_load(const load_settings& settings,
                                    const std::function<void()>& at_window_start,
                                    const std::function<void()>& at_window_end);

}  // namespace anquanli::bench
