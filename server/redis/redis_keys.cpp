#include "server/redis/redis_keys.hpp"

#include <algorithm>

#include "server/redis/redis_client.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

// Built outside the coroutine (GCC 12 and braced lists of strings in a co_await expression).
std::vector<std::string> scan_command(const std::string& cursor, const std::string& pattern) {
  return {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"};
}

}  // namespace

std::string glob_literal(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

asio::awaitable<std::vector<std::string>> keys_with_prefix(redis_client& redis,
                                                           std::string prefix) {
  const std::string pattern = glob_literal(prefix) + "*";
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    const redis_reply reply = co_await redis.command(scan_command(cursor, pattern));
    if (reply.type != redis_reply::kind::array || reply.elements.size() != 2) {
      throw redis_unavailable("unexpected SCAN reply " + reply.text);
    }
    cursor = reply.elements[0].text;
    for (const redis_reply& key : reply.elements[1].elements) {
      keys.push_back(key.text);
    }
  } while (cursor != "0");
  co_return keys;
}

std::vector<std::string> stale_keys(const std::vector<std::string>& stored,
                                    const std::set<std::string>& written) {
  std::vector<std::string> stale;
  for (const std::string& key : stored) {
    if (!written.contains(key)) {
      stale.push_back(key);
    }
  }
  return stale;
}

std::vector<std::vector<std::string>> delete_commands(const std::vector<std::string>& keys,
                                                      std::size_t per_command) {
  std::vector<std::vector<std::string>> commands;
  for (std::size_t first = 0; first < keys.size(); first += per_command) {
    std::vector<std::string> remove{"UNLINK"};
    const std::size_t last = std::min(keys.size(), first + per_command);
    remove.insert(remove.end(), keys.begin() + static_cast<std::ptrdiff_t>(first),
                  keys.begin() + static_cast<std::ptrdiff_t>(last));
    commands.push_back(std::move(remove));
  }
  return commands;
}

asio::awaitable<void> send_in_batches(redis_client& redis,
                                      std::vector<std::vector<std::string>> commands,
                                      std::size_t per_pipeline, std::string what) {
  for (std::size_t first = 0; first < commands.size(); first += per_pipeline) {
    const std::size_t last = std::min(commands.size(), first + per_pipeline);
    std::vector<std::vector<std::string>> batch(
        std::make_move_iterator(commands.begin() + static_cast<std::ptrdiff_t>(first)),
        std::make_move_iterator(commands.begin() + static_cast<std::ptrdiff_t>(last)));
    const std::vector<redis_reply> replies = co_await redis.pipeline(std::move(batch));
    for (const redis_reply& reply : replies) {
      if (reply.type == redis_reply::kind::error) {
        throw redis_unavailable(what + " refused: " + reply.text);
      }
    }
  }
}

}  // namespace anquanli
