// The relay: carries the outbox's events (written in the transaction that closes each attempt,
// see server/store/schema.cpp) to the Redis leaderboards, rebuilding them when Redis lost its
// data. It never blocks a request: while Redis is away it waits and tries again, and the outbox
// keeps every event. `redis_up` tells the leaderboard routes and /readyz whether Redis is in step.
// `people`, when given, is fed from the same events (personal rankings, issue 16).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>

#include "server/durable/durable_store.hpp"
#include "server/redis/participant_board.hpp"
#include "server/redis/redis_leaderboard.hpp"

namespace anquanli {

boost::asio::awaitable<void> run_relay(redis_leaderboard& board, durable_store& store,
                                       const std::atomic<bool>& stopping,
                                       std::atomic<bool>& redis_up,
                                       participant_board* people = nullptr);

}  // namespace anquanli
