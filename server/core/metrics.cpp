#include "server/core/metrics.hpp"

#include <sstream>

namespace anquanli {

metrics::request_shard& metrics::shard_of_this_thread() {
  // Threads take shards in turn as they first count a request: the I/O threads, a handful, each
  // get one of their own.
  static std::atomic<std::size_t> next_slot{0};
  thread_local const std::size_t slot = next_slot.fetch_add(1) % shard_count;
  return shards_[slot];
}

void metrics::record_request(const std::string& route, unsigned status,
                             std::chrono::microseconds latency) {
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  request_shard& shard = shard_of_this_thread();
  const std::lock_guard lock(shard.mutex);
  auto found = shard.requests.find(std::string_view{route});
  if (found == shard.requests.end()) {
    found = shard.requests.emplace(route, std::map<unsigned, std::uint64_t>{}).first;
  }
  ++found->second[status];
  for (std::size_t i = 0; i < bucket_bounds_s.size(); ++i) {
    if (seconds <= bucket_bounds_s[i]) {
      ++shard.buckets[i];
    }
  }
  ++shard.latency_count;
  shard.latency_sum_s += seconds;
}

namespace {

constexpr std::size_t max_delivery_results = 64;

std::string label_value(std::string_view text) {
  std::string value{text.substr(0, 64)};
  for (char& c : value) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == ':' || c == '-';
    if (!plain) {
      c = '_';
    }
  }
  return value.empty() ? "unknown" : value;
}

}  // namespace

void metrics::record_code_delivery(std::string_view sender, std::string_view result) {
  std::pair<std::string, std::string> key{label_value(sender), label_value(result)};
  const std::lock_guard lock(mutex_);
  if (!code_deliveries_.contains(key) && code_deliveries_.size() >= max_delivery_results) {
    key.second = "other";
  }
  ++code_deliveries_[key];
}

void metrics::expect_code_sender(std::string_view sender) {
  const std::lock_guard lock(mutex_);
  code_deliveries_.try_emplace({label_value(sender), "ok"}, 0);
}

void metrics::render_requests(std::ostringstream& out) const {
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests;
  std::array<std::uint64_t, bucket_bounds_s.size()> buckets{};
  std::uint64_t latency_count = 0;
  double latency_sum_s = 0.0;
  for (const request_shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    for (const auto& [route, statuses] : shard.requests) {
      for (const auto& [status, count] : statuses) {
        requests[{route, status}] += count;
      }
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      buckets[i] += shard.buckets[i];
    }
    latency_count += shard.latency_count;
    latency_sum_s += shard.latency_sum_s;
  }
  out << "# HELP anquanli_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE anquanli_http_requests_total counter\n";
  for (const auto& [key, count] : requests) {
    out << "anquanli_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << count << '\n';
  }
  out << "# HELP anquanli_http_request_duration_seconds Time from request read to response.\n"
      << "# TYPE anquanli_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < bucket_bounds_s.size(); ++i) {
    out << "anquanli_http_request_duration_seconds_bucket{le=\"" << bucket_bounds_s[i] << "\"} "
        << buckets[i] << '\n';
  }
  out << "anquanli_http_request_duration_seconds_bucket{le=\"+Inf\"} " << latency_count << '\n'
      << "anquanli_http_request_duration_seconds_sum " << latency_sum_s << '\n'
      << "anquanli_http_request_duration_seconds_count " << latency_count << '\n';
}

std::string metrics::render() const {
  std::ostringstream out;
  render_requests(out);
  const std::lock_guard lock(mutex_);
  out << "# HELP anquanli_code_deliveries_total Sign-in codes handed to the code sender, by "
         "sender and result (ok, or the provider's error code).\n"
      << "# TYPE anquanli_code_deliveries_total counter\n";
  for (const auto& [key, count] : code_deliveries_) {
    out << "anquanli_code_deliveries_total{sender=\"" << key.first << "\",result=\"" << key.second
        << "\"} " << count << '\n';
  }
  const auto counter = [&out](const char* name, const char* help, std::uint64_t value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n"
        << name << ' ' << value << '\n';
  };
  counter("anquanli_attempts_started_total", "Attempts started.", attempts_started.load());
  counter("anquanli_practices_started_total", "Practice attempts started (练功房).",
          practices_started.load());
  counter("anquanli_attempts_finished_total", "Attempts finished or expired.",
          attempts_finished.load());
  counter("anquanli_attempts_expired_total", "Attempts expired by the sweeper.",
          attempts_expired.load());
  counter("anquanli_answers_total", "Answers recorded.", answers.load());
  counter("anquanli_expired_rows_removed_total",
          "Expired tokens, codes, request counts and throttles the sweeper deleted.",
          rows_removed.load());
  counter("anquanli_draws_total", "Lottery draws made.", draws.load());
  counter("anquanli_prizes_awarded_total", "Prizes awarded.", prizes_awarded.load());
  out << "# HELP anquanli_open_connections Open client connections.\n"
      << "# TYPE anquanli_open_connections gauge\nanquanli_open_connections "
      << open_connections.load() << '\n';
  return out.str();
}

void append_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, double value) {
  std::ostringstream line;
  line << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
       << name << ' ' << value << '\n';
  out += line.str();
}

}  // namespace anquanli
