// The regional office's API (docs/api.md): sign-in and exact exports. Every route but login needs
// an admin token: none or an unknown one is a 401, a participant's token a 403, and a region
// outside the admin's own subtree a 403 — a city office sees its city, the province everything.
#pragma once

#include <variant>
#include <vector>

#include "server/clock_source.hpp"
#include "server/durable_store.hpp"
#include "server/router.hpp"
#include "server/server_config.hpp"

namespace anquanli {

class admin_api {
 public:
  admin_api(const server_config& config, durable_store& store, const clock_source& clock)
      : config_(config), store_(store), clock_(clock) {}

  [[nodiscard]] std::vector<route> routes();

 private:
  struct scope {
    admin_account admin;
    std::string region_code;
    day_key from;
    day_key to;
  };

  // The admin and the region and period asked for, or the response refusing them.
  boost::asio::awaitable<std::variant<scope, api_response>> authorize(api_request& request);

  boost::asio::awaitable<api_response> login(api_request& request);
  boost::asio::awaitable<api_response> me(api_request& request);
  boost::asio::awaitable<api_response> bulletin_export(api_request& request);
  boost::asio::awaitable<api_response> daily(api_request& request);
  boost::asio::awaitable<api_response> winners(api_request& request);
  boost::asio::awaitable<api_response> question_stats(api_request& request);

  const server_config& config_;
  durable_store& store_;
  const clock_source& clock_;
};

}  // namespace anquanli
