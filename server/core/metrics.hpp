// Counters for /metrics in the Prometheus text format: requests by route and status, a latency
// histogram, and the competition's own events. Cheap enough for every request: each thread counts
// its requests in its own shard (an uncontended lock, no allocation once a route has been seen),
// and /metrics adds the shards up.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace anquanli {

class metrics {
 public:
  void record_request(const std::string& route, unsigned status, std::chrono::microseconds latency);
  // One sign-in code handed to a sender (`log`, `file`, `webhook`, `aliyun`, `tencentcloud`):
  // `result` is "ok", or why not: the provider's error code, "timeout", "connection", "http_503"…
  // Characters outside [A-Za-z0-9._:-] become '_', and past 64 distinct results new ones count as
  // "other", so a provider cannot grow the exposition without bound.
  void record_code_delivery(std::string_view sender, std::string_view result);
  // Shows the sender's "ok" series at 0 before its first delivery, so rates start from the first.
  void expect_code_sender(std::string_view sender);

  std::atomic<std::uint64_t> attempts_started{0};
  std::atomic<std::uint64_t> practices_started{0};  // 练功房 attempts: never in the figures above
  std::atomic<std::uint64_t> attempts_finished{0};
  std::atomic<std::uint64_t> answers{0};
  std::atomic<std::uint64_t> draws{0};
  std::atomic<std::uint64_t> prizes_awarded{0};
  std::atomic<std::uint64_t> attempts_expired{0};
  std::atomic<std::uint64_t> rows_removed{0};  // expired sign-in rows the sweeper deleted
  std::atomic<std::int64_t> open_connections{0};

  // The exposition of these counters; the composition root appends the other layers' figures.
  [[nodiscard]] std::string render() const;

 private:
  static constexpr std::array<double, 12> bucket_bounds_s{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  static constexpr std::size_t shard_count = 8;
  // One thread's share of the request counters, on its own cache lines.
  struct alignas(64) request_shard {
    mutable std::mutex mutex;
    // route → status → count; looked up by string_view, so a known route allocates nothing.
    std::map<std::string, std::map<unsigned, std::uint64_t>, std::less<>> requests;
    std::array<std::uint64_t, bucket_bounds_s.size()> buckets{};
    std::uint64_t latency_count = 0;
    double latency_sum_s = 0.0;
  };
  [[nodiscard]] request_shard& shard_of_this_thread();
  void render_requests(std::ostringstream& out) const;

  std::array<request_shard, shard_count> shards_;
  mutable std::mutex mutex_;  // guards code_deliveries_
  std::map<std::pair<std::string, std::string>, std::uint64_t> code_deliveries_;
};

// Appends one sample with its HELP and TYPE lines ("counter" or "gauge").
void append_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, double value);

}  // namespace anquanli
