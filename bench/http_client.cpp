// The Beast side of the load generator's client: one stream, one buffer, one request at a time.
#include "bench/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "bench/loopback_source.hpp"

namespace anquanli::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto request_timeout = std::chrono::seconds{30};

}  // namespace

struct http_connection::state {
  tcp::endpoint endpoint;
  std::string source;  // the local address to connect from; empty: the system's choice
  std::string host_header;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bool connected = false;

  state(asio::any_io_executor executor, const std::string& host, std::uint16_t port,
        std::string source_address)
      : endpoint(asio::ip::make_address(host), port),
        source(std::move(source_address)),
        host_header(host + ":" + std::to_string(port)),
        stream(std::move(executor)) {}

  // Drops the connection; the next request reconnects.
  void close() {
    beast::error_code ignored;
    stream.socket().close(ignored);
    buffer.clear();
    connected = false;
  }

  // Connects unless connected; false when the connection cannot be made.
  asio::awaitable<bool> ensure_connected() {
    if (connected) {
      co_return true;
    }
    stream.expires_after(request_timeout);
    beast::error_code bind_error;
    bind_source(stream.socket(), endpoint, source, bind_error);
    if (bind_error) {
      close();
      co_return false;
    }
    auto [error] = co_await stream.async_connect(endpoint, use_tuple);
    if (error) {
      close();
      co_return false;
    }
    stream.socket().set_option(tcp::no_delay(true));
    connected = true;
    co_return true;
  }
};

http_connection::http_connection(asio::any_io_executor executor, const std::string& host,
                                 std::uint16_t port, const std::string& source)
    : state_(std::make_unique<state>(std::move(executor), host, port, source)) {}

http_connection::~http_connection() = default;

asio::awaitable<http_reply> http_connection::request(std::string_view method,
                                                     std::string_view target, std::string_view body,
                                                     std::string_view bearer_token) {
  state& self = *state_;
  if (!co_await self.ensure_connected()) {
    co_return http_reply{};
  }
  http::request<http::string_body> message{http::string_to_verb(method), target, 11};
  message.set(http::field::host, self.host_header);
  if (!bearer_token.empty()) {
    message.set(http::field::authorization, std::string{"Bearer "} + std::string{bearer_token});
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    message.set(http::field::content_type, "application/json");
    message.body() = std::string{body};
    message.prepare_payload();
  }
  self.stream.expires_after(request_timeout);
  auto [write_error, written] = co_await http::async_write(self.stream, message, use_tuple);
  http::response<http::string_body> response;
  beast::error_code read_error = write_error;
  if (!write_error) {
    std::tie(read_error, written) =
        co_await http::async_read(self.stream, self.buffer, response, use_tuple);
  }
  if (read_error) {
    self.close();
    co_return http_reply{};
  }
  if (!response.keep_alive()) {
    self.close();
  }
  co_return http_reply{response.result_int(), std::move(response.body())};
}

}  // namespace anquanli::bench
