// The 6·16 big screen (issue 17, docs/api-office.md "The big screen"):
//   GET /api/v1/screen          one snapshot of the screen's figures (JSON)
//   GET /api/v1/screen/stream   the same, pushed as Server-Sent Events (event `screen`) whenever
//                               the figures change, one computed update per interval for all
// Who may watch: anyone when `[screen] public`; otherwise an office sign-in or the read-only
// screen token ([screen] token_hash), as `Authorization: Bearer` or `?token=` (EventSource cannot
// send a header). Otherwise 401 screen_unauthorized; beyond `max_viewers` streams, 503
// screen_full.
#pragma once

#include "server/api/api_services.hpp"
#include "server/api/screen_feed.hpp"

namespace anquanli {

class screen_api {
 public:
  screen_api(const api_services& services, screen_feed& feed) : services_(services), feed_(feed) {}

  boost::asio::awaitable<api_response> snapshot(api_request& request);
  boost::asio::awaitable<api_response> stream(api_request& request);

 private:
  // Whether the caller may watch the screen.
  boost::asio::awaitable<bool> may_watch(const api_request& request);

  const api_services& services_;
  screen_feed& feed_;
};

}  // namespace anquanli
