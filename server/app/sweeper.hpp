// The sweeper: on a timer, expires attempts whose time ran out (so counts and points include
// them without waiting for their owner to come back) and, once a minute, picks up changes an
// operator made to the question bank and the directory.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "server/api/leaderboard_api.hpp"
#include "server/core/metrics.hpp"
#include "server/core/time_source.hpp"
#include "server/durable/durable_store.hpp"

namespace anquanli {

// Runs until `stopping`; a failed round is logged and the next one tries again.
boost::asio::awaitable<void> run_sweeper(durable_store& store, const time_source& clock,
                                         metrics& counters, leaderboard_api& leaderboards,
                                         std::chrono::milliseconds interval,
                                         const std::atomic<bool>& stopping);

}  // namespace anquanli
