// The routes operators and load balancers call: /healthz (the process answers), /readyz (the
// database answers; Redis's state is reported but never makes the server unready, since taking
// part does not need it) and /metrics (Prometheus text).
#pragma once

#include <functional>
#include <string>

#include "server/api/api_services.hpp"

namespace anquanli {

class system_api {
 public:
  // `redis_state` says "up", "down" or "disabled"; `render_metrics` the whole exposition.
  system_api(const api_services& services, std::function<std::string()> redis_state,
             std::function<std::string()> render_metrics)
      : services_(services),
        redis_state_(std::move(redis_state)),
        render_metrics_(std::move(render_metrics)) {}

  boost::asio::awaitable<api_response> healthz(api_request& request);
  boost::asio::awaitable<api_response> readyz(api_request& request);
  boost::asio::awaitable<api_response> metrics(api_request& request);

 private:
  const api_services& services_;
  std::function<std::string()> redis_state_;
  std::function<std::string()> render_metrics_;
};

}  // namespace anquanli
