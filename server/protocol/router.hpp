// Routes and their matching. A route is a method, a pattern of literal segments and `{name}`
// captures ("/api/v1/attempts/{id}/answers"), what it needs of its caller, how an overloaded
// server treats it, and its handler. The whole API's table is server/api/route_table.cpp.
// A known path with another method is a 405 with an Allow list; an unknown path a 404.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/load_priority.hpp"
#include "server/protocol/api_error.hpp"
#include "server/protocol/api_types.hpp"

namespace anquanli {

using request_handler = std::function<boost::asio::awaitable<api_response>(api_request&)>;

// The route's checks on what a client sent (its parse_ function with the command dropped): empty
// when the request is well formed. Runs without storage, so the fuzz target and the API document
// test run every route's real checks.
using request_check = std::function<std::optional<api_error>(const api_request&)>;

// Who may call a route: anyone, a signed-in participant, or an office account.
enum class auth_kind { none, participant, admin };

[[nodiscard]] constexpr std::string_view to_string(auth_kind auth) noexcept {
  switch (auth) {
    case auth_kind::none: return "none";
    case auth_kind::participant: return "participant";
    case auth_kind::admin: return "admin";
  }
  return "none";
}

struct route {
  std::string method;
  std::string pattern;
  request_handler handle;
  load_priority priority = load_priority::continues_work;
  auth_kind auth = auth_kind::none;
  request_check check;
};

struct route_match {
  const route* found = nullptr;         // the route to run, when there is one
  std::vector<std::string> parameters;  // captured segments
  std::string allow;                    // for a 405: the methods the path accepts
};

class router {
 public:
  explicit router(std::vector<route> routes) : routes_(std::move(routes)) {}

  [[nodiscard]] route_match match(std::string_view method, std::string_view path) const;
  [[nodiscard]] const std::vector<route>& routes() const { return routes_; }

 private:
  std::vector<route> routes_;
};

}  // namespace anquanli
