// The whole API without a process or a socket: the real handlers behind the real route table
// (api_routes) over fake_durable_store, a manual clock, a code sender that keeps what it is given
// and fresh metrics. The handler unit tests (tests/api) and the HTTP fuzz target each build one;
// both match requests with the real router and run the matched route's real handler here.
#pragma once

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>

#include "server/api/route_table.hpp"
#include "tests/support/fake_durable_store.hpp"

namespace anquanli::test {

// Keeps the last code sent to each phone, so a test can sign in as the phone's owner would.
class recording_code_sender final : public code_sender {
 public:
  boost::asio::awaitable<bool> send(std::string phone, std::string code, instant at) override;
  std::map<std::string, std::string> last_code;
};

// Runs `work` to its end on an io_context of its own, run by this thread; rethrows its failure.
template <class Result>
Result run_to_end(boost::asio::awaitable<Result> work) {
  boost::asio::io_context context;
  std::optional<Result> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(context, std::move(work), [&](std::exception_ptr error, Result value) {
    failure = error;
    result.emplace(std::move(value));
  });
  context.run();
  if (failure) {
    std::rethrow_exception(failure);
  }
  return std::move(*result);
}

void run_to_end(boost::asio::awaitable<void> work);

struct fake_api {
  // The default configuration (the June 2021 window) and a clock at `start`; the store holds
  // the sample directory and 30 sample questions, and the leaderboards know the directory.
  explicit fake_api(instant start, std::uint64_t seed = 2021);
  fake_api(const fake_api&) = delete;
  fake_api& operator=(const fake_api&) = delete;

  // The route for `request` with its captured segments stored in it; null when none matches.
  const route* match(api_request& request) const;
  // The route's handler (authentication, checks, storage, outcome) run to its answer.
  api_response run(const route& found, api_request& request);

  server_config config;
  manual_time_source clock;
  fake_durable_store store;
  recording_code_sender sender;
  metrics counters;
  std::atomic<bool> redis_up{false};
  api_services services;
  system_api system;
  leaderboard_api leaderboards;
  participant_board_api people;
  participant_api participants;
  admin_api office;
  history_api history;
  practice_api practice;
  prizes_api prizes;
  reporting_api reporting;
  screen_feed screen_updates;  // never started: snapshots compute on demand
  screen_api screen;
  participant_lookup_api lookup;
  router routes;
};

}  // namespace anquanli::test
