// Key housekeeping shared by the leaderboards in Redis (redis_leaderboard, participant_board): a
// rebuild writes every key SQLite implies and must also remove the keys it does not write (days
// SQLite has no ledger for after a restore, levels the directory no longer has, temporaries of a
// rebuild that died half-way), or Redis would go on showing numbers SQLite does not have.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace anquanli {

class redis_client;

// A glob matching `text` literally (Redis's SCAN MATCH treats * ? [ ] and \ as special).
[[nodiscard]] std::string glob_literal(std::string_view text);

// Every key Redis holds under `prefix` (taken literally), found with SCAN, which never blocks
// Redis the way KEYS does. Throws redis_unavailable on an unexpected reply.
boost::asio::awaitable<std::vector<std::string>> keys_with_prefix(redis_client& redis,
                                                                  std::string prefix);

// The keys of `stored` that are not in `written`.
[[nodiscard]] std::vector<std::string> stale_keys(const std::vector<std::string>& stored,
                                                  const std::set<std::string>& written);

// UNLINK commands removing `keys`, at most `per_command` keys each (none for no keys). UNLINK frees
// a large board in the background, so removing it never stalls Redis past a command timeout.
[[nodiscard]] std::vector<std::vector<std::string>> delete_commands(
    const std::vector<std::string>& keys, std::size_t per_command);

// Sends `commands` as consecutive pipelines of at most `per_pipeline` commands, so that no single
// pipeline outlasts the client's command timeout however large a rebuild is. Throws
// redis_unavailable, naming `what`, on an error reply.
boost::asio::awaitable<void> send_in_batches(redis_client& redis,
                                             std::vector<std::vector<std::string>> commands,
                                             std::size_t per_pipeline, std::string what);

}  // namespace anquanli
