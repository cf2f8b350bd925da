#include "server/api/screen_api.hpp"

#include "server/store/screen_token.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

// The token a caller shows: the header's, else the query's (for EventSource).
std::string token_of(const api_request& request) {
  if (!request.bearer_token.empty()) {
    return request.bearer_token;
  }
  const auto found = request.query.find("token");
  return found == request.query.end() ? std::string{} : found->second;
}

}  // namespace

asio::awaitable<bool> screen_api::may_watch(const api_request& request) {
  const screen_config& settings = services_.config.screen;
  if (settings.is_public) {
    co_return true;
  }
  const std::string token = token_of(request);
  if (token.empty()) {
    co_return false;
  }
  if (!settings.token_hash.empty() && screen_token_matches(token, settings.token_hash)) {
    co_return true;
  }
  co_return (co_await services_.store.authenticate_admin(token, services_.clock.now())).has_value();
}

asio::awaitable<api_response> screen_api::snapshot(api_request& request) {
  if (!co_await may_watch(request)) {
    co_return error_response(api_error_code::screen_unauthorized);
  }
  const auto json = co_await feed_.snapshot();
  co_return api_response{200, *json, "application/json; charset=utf-8", {}};
}

asio::awaitable<api_response> screen_api::stream(api_request& request) {
  if (!co_await may_watch(request)) {
    co_return error_response(api_error_code::screen_unauthorized);
  }
  auto viewer = feed_.subscribe(co_await asio::this_coro::executor);
  if (!viewer) {
    co_return error_response(api_error_code::screen_full);
  }
  api_response response{200, {}, "text/event-stream; charset=utf-8", {}};
  // Proxies such as nginx would otherwise hold the frames back to fill their buffer.
  response.headers.emplace_back("X-Accel-Buffering", "no");
  response.stream = std::move(viewer);
  co_return response;
}

}  // namespace anquanli
