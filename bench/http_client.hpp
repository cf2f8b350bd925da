// One kept-alive HTTP/1.1 client connection for the load generator, as an awaitable call. Beast
// stays inside http_client.cpp: this header only needs Asio's awaitable and executor types.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace anquanli::bench {

struct http_reply {
  unsigned status = 0;  // 0: the connection failed (refused, reset, timed out)
  std::string body;
};

class http_connection {
 public:
  // `source`: the local address to connect from (empty: the system's choice).
  http_connection(boost::asio::any_io_executor executor, const std::string& host,
                  std::uint16_t port, const std::string& source = {});
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;
  ~http_connection();

  // Connects first if needed; sends one request and reads its reply. Never throws: a transport
  // failure closes the connection (the next call reconnects) and returns status 0.
  boost::asio::awaitable<http_reply> request(std::string_view method, std::string_view target,
                                             std::string_view body = {},
                                             std::string_view bearer_token = {});

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace anquanli::bench
