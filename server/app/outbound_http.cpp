#include "server/app/outbound_http.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

namespace anquanli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t max_response_bytes = std::uint64_t{1024} * 1024;

struct target_parts {
  bool tls = false;
  std::string host;
  std::string port;
  std::string host_header;
  std::string target;
};

std::optional<target_parts> split_url(const std::string& url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") ||
      parsed->host().empty()) {
    return std::nullopt;
  }
  target_parts parts;
  parts.tls = parsed->scheme() == "https";
  parts.host = parsed->host();
  parts.port = parsed->has_port() ? std::string{parsed->port()} : (parts.tls ? "443" : "80");
  parts.host_header = std::string{parsed->encoded_host_and_port()};
  parts.target = std::string{parsed->encoded_target()};
  if (parts.target.empty()) {
    parts.target = "/";
  }
  return parts;
}

outbound_response failed(std::string why, const boost::system::error_code& error) {
  return {0, {}, error == beast::error::timeout ? "timeout" : std::move(why)};
}

http::request<http::string_body> to_message(const outbound_request& request,
                                            const target_parts& parts) {
  http::request<http::string_body> message{http::string_to_verb(request.method), parts.target, 11};
  message.set(http::field::host, parts.host_header);
  for (const auto& [name, value] : request.headers) {
    message.set(name, value);
  }
  message.set(http::field::connection, "close");
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

// Writes the request and reads the response on a connected (and, for TLS, handshaken) stream.
template <class Stream>
asio::awaitable<outbound_response> exchange(Stream& stream,
                                            const http::request<http::string_body>& message) {
  auto [write_error, written] = co_await http::async_write(stream, message, use_tuple);
  if (write_error) {
    co_return failed("write", write_error);
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_response_bytes);
  auto [read_error, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
  if (read_error) {
    co_return failed("read", read_error);
  }
  co_return outbound_response{parser.get().result_int(), std::move(parser.get().body()), {}};
}

bool is_address(const std::string& host) {
  boost::system::error_code error;
  asio::ip::make_address(host, error);
  return !error;
}

}  // namespace

outbound_http::outbound_http(const std::string& ca_file, std::chrono::milliseconds timeout)
    : tls_(asio::ssl::context::tls_client), timeout_(timeout) {
  tls_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  tls_.set_verify_mode(asio::ssl::verify_peer);
  boost::system::error_code error;
  if (ca_file.empty()) {
    tls_.set_default_verify_paths(error);
  } else {
    tls_.load_verify_file(ca_file, error);
  }
  if (error) {
    throw std::runtime_error("cannot load CA certificates" +
                             (ca_file.empty() ? std::string{} : " from " + ca_file) + ": " +
                             error.message());
  }
}

asio::awaitable<outbound_response> outbound_http::send(outbound_request request) {
  const auto parts = split_url(request.url);
  if (!parts) {
    co_return outbound_response{0, {}, "bad_url"};
  }
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [resolve_error, endpoints] =
      co_await resolver.async_resolve(parts->host, parts->port, use_tuple);
  if (resolve_error) {
    co_return failed("resolve", resolve_error);
  }
  const auto message = to_message(request, *parts);
  if (!parts->tls) {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout_);
    auto [connect_error, peer] = co_await stream.async_connect(endpoints, use_tuple);
    if (connect_error) {
      co_return failed("connect", connect_error);
    }
    co_return co_await exchange(stream, message);
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls_);
  beast::get_lowest_layer(stream).expires_after(timeout_);
  // SNI names a host, never an address (RFC 6066); the check below covers both.
  if (!is_address(parts->host)) {
    SSL_set_tlsext_host_name(stream.native_handle(), parts->host.c_str());
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(parts->host));
  auto [connect_error, peer] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_tuple);
  if (connect_error) {
    co_return failed("connect", connect_error);
  }
  auto [handshake_error] =
      co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (handshake_error) {
    co_return failed("tls", handshake_error);
  }
  outbound_response response = co_await exchange(stream, message);
  // The answer is in; a peer that closes without close_notify changes nothing.
  co_await stream.async_shutdown(use_tuple);
  co_return response;
}

asio::awaitable<outbound_response> outbound_http::send_with_retries(
    const std::function<outbound_request()>& build, int attempts) {
  auto executor = co_await asio::this_coro::executor;
  std::chrono::milliseconds backoff{500};
  outbound_response response;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    response = co_await send(build());
    if (response.status != 0 && response.status < 500) {
      co_return response;
    }
    if (attempt < attempts) {
      asio::steady_timer pause(executor, backoff);
      co_await pause.async_wait(use_tuple);
      backoff *= 2;
    }
  }
  co_return response;
}

}  // namespace anquanli
