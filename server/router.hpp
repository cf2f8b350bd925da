// Maps a method and a path to a handler. Patterns are literal segments and `{name}` captures
// ("/api/v1/attempts/{id}/answers"). A known path with another method is a 405 with an Allow
// list; an unknown path a 404.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_types.hpp"
#include "server/load_priority.hpp"

namespace anquanli {

using request_handler = std::function<boost::asio::awaitable<api_response>(api_request&)>;

struct route {
  std::string method;
  std::string pattern;
  request_handler handle;
  load_priority priority = load_priority::continues_work;
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

 private:
  std::vector<route> routes_;
};

}  // namespace anquanli
