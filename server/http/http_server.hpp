// The Beast HTTP/1.1 listener and its sessions, as C++20 coroutines on one io_context run by a few
// threads. Every limit is explicit: header and body size (431 / 413, then the connection closes),
// a read timeout once a request has begun, an idle timeout between keep-alive requests, one request
// in flight per connection, and a maximum number of connections (503 beyond it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "server/core/load_priority.hpp"
#include "server/core/metrics.hpp"
#include "server/core/server_config.hpp"
#include "server/core/time_source.hpp"
#include "server/protocol/router.hpp"

namespace anquanli {

class http_server {
 public:
  // `writes_refused`, when given, is asked before a POST/PUT/PATCH/DELETE is dispatched, with the
  // route's priority: while it returns true such requests get 503 overloaded at once, which costs
  // far less than authenticating them only to refuse them later (the whole point when load is ten
  // times what the writer can take). Routes that begin work are also refused once a quarter of
  // `max_requests_in_flight` are in flight, so that work already begun keeps the rest.
  http_server(boost::asio::io_context& context, const http_limits& limits, const router& routes,
              metrics& counters, const time_source& clock,
              std::function<bool(load_priority)> writes_refused = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and starts accepting; returns the bound address (port 0 picks a free port).
  // Throws when the address cannot be bound.
  listen_address start(const listen_address& address);

  // Stops accepting; keep-alive connections close after their current request.
  void stop_accepting();

  // Requests being handled right now.
  [[nodiscard]] std::size_t in_flight() const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace anquanli
