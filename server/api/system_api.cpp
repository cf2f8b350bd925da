#include "server/api/system_api.hpp"

#include "server/protocol/api_error.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

api_response text(unsigned status, std::string body) {
  return api_response{status, std::move(body), "text/plain; charset=utf-8", {}};
}

}  // namespace

asio::awaitable<api_response> system_api::healthz(api_request& /*request*/) {
  co_return text(200, "ok\n");
}

asio::awaitable<api_response> system_api::readyz(api_request& /*request*/) {
  const bool ready = co_await services_.store.ready();
  co_return text(ready ? 200 : 503,
                 std::string{ready ? "ready" : "not ready"} + "\nredis: " + redis_state_() + "\n");
}

asio::awaitable<api_response> system_api::metrics(api_request& request) {
  // Counters tell an outsider how busy the campaign is and when to strike: local scrapers only,
  // unless [server] metrics_allow says otherwise. The address is the client's, not a proxy's.
  if (!in_any(services_.config.metrics_allow, request.client_address)) {
    co_return error_response(api_error_code::metrics_forbidden);
  }
  auto reply = text(200, render_metrics_());
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  co_return reply;
}

}  // namespace anquanli
