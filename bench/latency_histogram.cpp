// Bucket arithmetic of the latency histogram: a value's bucket and a bucket's largest value.
#include "bench/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace anquanli::bench {

namespace {

constexpr std::uint64_t exact_below = 128;
constexpr int sub_bucket_bits = 6;  // 64 buckets per power of two above exact_below
constexpr std::uint64_t sub_buckets = std::uint64_t{1} << sub_bucket_bits;
constexpr int largest_power = 40;  // 2^40 µs ≈ 12.7 days
constexpr std::size_t bucket_count =
    exact_below + static_cast<std::size_t>(largest_power - 7 + 1) * sub_buckets;

std::size_t bucket_of(std::uint64_t micros) {
  if (micros < exact_below) {
    return static_cast<std::size_t>(micros);
  }
  const int top_bit = std::min(static_cast<int>(std::bit_width(micros)) - 1, largest_power);
  const int shift = top_bit - sub_bucket_bits;
  const std::uint64_t sub = std::min(micros >> shift, 2 * sub_buckets - 1) - sub_buckets;
  return static_cast<std::size_t>(exact_below +
                                  static_cast<std::uint64_t>(top_bit - 7) * sub_buckets + sub);
}

// The largest value that falls into `bucket`.
std::uint64_t highest_in(std::size_t bucket) {
  if (bucket < exact_below) {
    return bucket;
  }
  const std::uint64_t above = bucket - exact_below;
  const int shift = static_cast<int>(above / sub_buckets) + 7 - sub_bucket_bits;
  const std::uint64_t sub = above % sub_buckets + sub_buckets;
  return ((sub + 1) << shift) - 1;
}

}  // namespace

latency_histogram::latency_histogram() : counts_(bucket_count, 0) {}

void latency_histogram::record(std::uint64_t micros) {
  ++counts_[bucket_of(micros)];
  ++total_;
  max_ = std::max(max_, micros);
}

void latency_histogram::merge(const latency_histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
  }
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t latency_histogram::percentile(double percent) const {
  if (total_ == 0) {
    return 0;
  }
  const auto wanted = static_cast<std::uint64_t>(
      std::ceil(std::clamp(percent, 0.0, 100.0) / 100.0 * static_cast<double>(total_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(wanted, 1)) {
      return std::min(highest_in(i), max_);
    }
  }
  return max_;
}

}  // namespace anquanli::bench
