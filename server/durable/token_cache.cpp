#include "server/durable/token_cache.hpp"

#include <algorithm>
#include <functional>

namespace anquanli {

namespace {

constexpr std::size_t shard_count = 16;  // enough that two I/O threads rarely meet on one lock

}  // namespace

token_cache::token_cache(std::size_t capacity, std::chrono::milliseconds recheck_after)
    : per_shard_((capacity + shard_count - 1) / shard_count),
      recheck_after_(recheck_after),
      shards_(shard_count) {}

token_cache::shard& token_cache::shard_of(const std::string& token_hash) {
  return shards_[std::hash<std::string>{}(token_hash) % shards_.size()];
}

std::optional<participant_id> token_cache::find(const std::string& token_hash, instant now) {
  if (per_shard_ == 0) {
    return std::nullopt;
  }
  shard& part = shard_of(token_hash);
  const std::lock_guard lock(part.mutex);
  const auto found = part.entries.find(token_hash);
  if (found == part.entries.end()) {
    return std::nullopt;
  }
  if (found->second.trusted_until <= now) {
    part.entries.erase(found);
    return std::nullopt;
  }
  return found->second.who;
}

void token_cache::remember(const std::string& token_hash, participant_id who, instant expires_at,
                           instant now) {
  if (per_shard_ == 0) {
    return;
  }
  shard& part = shard_of(token_hash);
  const std::lock_guard lock(part.mutex);
  if (part.entries
          .insert_or_assign(token_hash, entry{who, std::min(expires_at, now + recheck_after_)})
          .second) {
    part.order.push_back(token_hash);
  }
  // Evict the oldest insertions; keys forgotten meanwhile are skipped (erase finds nothing).
  while (part.entries.size() > per_shard_ && !part.order.empty()) {
    part.entries.erase(part.order.front());
    part.order.pop_front();
  }
  // The order queue may collect forgotten keys: rebuild it when it grows past twice the map.
  if (part.order.size() > 2 * per_shard_ + 16) {
    part.order.clear();
    for (const auto& [key, value] : part.entries) {
      part.order.push_back(key);
    }
  }
}

void token_cache::forget(const std::string& token_hash) {
  shard& part = shard_of(token_hash);
  const std::lock_guard lock(part.mutex);
  part.entries.erase(token_hash);
}

void token_cache::clear() {
  for (shard& part : shards_) {
    const std::lock_guard lock(part.mutex);
    part.entries.clear();
    part.order.clear();
  }
}

std::size_t token_cache::size() const {
  std::size_t total = 0;
  for (const shard& part : shards_) {
    const std::lock_guard lock(part.mutex);
    total += part.entries.size();
  }
  return total;
}

}  // namespace anquanli
