// A latency histogram in the manner of HdrHistogram: exact below 128 µs, then 64 buckets per power
// of two (under 1.6 % error) up to about 12 days. Recording is one shift and one increment, so a
// load generator thread can keep one per route without locks and merge them at the end.
#pragma once

#include <cstdint>
#include <vector>

namespace anquanli::bench {

class latency_histogram {
 public:
  latency_histogram();

  void record(std::uint64_t micros);
  void merge(const latency_histogram& other);

  [[nodiscard]] std::uint64_t count() const { return total_; }
  [[nodiscard]] std::uint64_t max() const { return max_; }
  // The latency (µs) at or below which `percent` of the samples lie; 0 when there are none.
  [[nodiscard]] std::uint64_t percentile(double percent) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace anquanli::bench
