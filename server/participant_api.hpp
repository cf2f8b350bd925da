// The participant API (docs/api.md): thin handlers that parse and check the request, await the
// durable store, and turn the outcome into JSON. Rules live in the engine; status codes for rule
// verdicts come from error_for().
#pragma once

#include <vector>

#include "server/clock_source.hpp"
#include "server/code_sender.hpp"
#include "server/durable_store.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/server_config.hpp"

namespace anquanli {

inline constexpr int max_unit_page = 50;

class participant_api {
 public:
  participant_api(const server_config& config, durable_store& store, const clock_source& clock,
                  code_sender& sender, metrics& counters)
      : config_(config), store_(store), clock_(clock), sender_(sender), metrics_(counters) {}

  // The route table, in the order docs/api.md lists it.
  [[nodiscard]] std::vector<route> routes();

 private:
  boost::asio::awaitable<api_response> competition(api_request& request);
  boost::asio::awaitable<api_response> regions(api_request& request);
  boost::asio::awaitable<api_response> units(api_request& request);
  boost::asio::awaitable<api_response> request_code(api_request& request);
  boost::asio::awaitable<api_response> login(api_request& request);
  boost::asio::awaitable<api_response> get_me(api_request& request);
  boost::asio::awaitable<api_response> put_me(api_request& request);
  boost::asio::awaitable<api_response> start_attempt(api_request& request);
  boost::asio::awaitable<api_response> get_attempt(api_request& request);
  boost::asio::awaitable<api_response> answer(api_request& request);
  boost::asio::awaitable<api_response> finish(api_request& request);
  boost::asio::awaitable<api_response> draw(api_request& request);
  boost::asio::awaitable<api_response> list_draws(api_request& request);

  const server_config& config_;
  durable_store& store_;
  const clock_source& clock_;
  code_sender& sender_;
  metrics& metrics_;
};

}  // namespace anquanli
