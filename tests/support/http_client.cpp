#include "tests/support/http_client.hpp"

#include <poll.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "tests/support/wait_until.hpp"

namespace anquanli::test {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using request_message = http::request<http::string_body>;
using response_parser = http::response_parser<http::string_body>;

// A deadline for hangs, not a speed: a sanitizer build on a busy machine may take seconds.
constexpr std::chrono::milliseconds request_timeout = patient_deadline;
constexpr std::uint64_t response_body_limit = 64U * 1024U * 1024U;

// Starts one asynchronous operation with a handler and runs context until it completes, so the
// tcp_stream timeouts (which apply only to asynchronous operations) hold. Returns its error.
template <class Start>
beast::error_code run_operation(net::io_context& context, Start start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code error, auto&&...) { result = error; });
  context.restart();
  context.run();
  return result;
}

// True when error means the peer closed the connection (a keep-alive connection gone idle).
bool is_closed_connection(const beast::error_code& error) {
  return error == http::error::end_of_stream || error == net::error::eof ||
         error == net::error::connection_reset || error == net::error::broken_pipe ||
         error == net::error::connection_aborted;
}

// ASCII lower case, for header names.
std::string lower_case(std::string_view text) {
  std::string result{text};
  for (char& letter : result) {
    letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  }
  return result;
}

// A fresh response parser that accepts bodies up to response_body_limit.
response_parser& reset_parser(std::optional<response_parser>& parser) {
  parser.emplace();
  parser->body_limit(response_body_limit);
  return *parser;
}

// The HTTP/1.1 request: Host, User-Agent, the JSON body if any, then the caller's headers.
request_message make_request(unsigned short port, std::string_view method, std::string_view target,
                             std::optional<std::string> body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  request_message message;
  message.method_string(method);
  message.target(target);
  message.version(11);
  message.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  message.set(http::field::user_agent, "anquanli-test");
  if (body.has_value()) {
    message.set(http::field::content_type, "application/json");
    message.body() = std::move(*body);
  }
  message.prepare_payload();
  for (const auto& [name, value] : headers) {
    message.set(name, value);
  }
  return message;
}

// The response as tests see it: status, body, lower-cased header names.
http_response to_response(http::response<http::string_body>&& message) {
  http_response response;
  response.status = message.result_int();
  for (const auto& field : message) {
    std::string value{field.value()};
    auto [place, inserted] = response.headers.try_emplace(lower_case(field.name_string()), value);
    if (!inserted) {
      place->second += ", " + value;
    }
  }
  response.body = std::move(message.body());
  return response;
}

// The headers that carry a bearer token, or none for an empty token.
std::vector<std::pair<std::string, std::string>> bearer(std::string_view token) {
  if (token.empty()) {
    return {};
  }
  return {{"Authorization", "Bearer " + std::string{token}}};
}

// Throws std::runtime_error naming what failed, the address and the error.
[[noreturn]] void fail(std::string_view what, unsigned short port, const beast::error_code& error) {
  const std::string reason =
      error == beast::error::timeout ? std::string{"timed out after 10 s"} : error.message();
  throw std::runtime_error(std::string{what} + " (127.0.0.1:" + std::to_string(port) +
                           "): " + reason);
}

}  // namespace

boost::json::value http_response::json() const {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(body, error);
  if (error) {
    throw std::runtime_error("HTTP " + std::to_string(status) + " body is not JSON (" +
                             error.message() + "): " + body);
  }
  return value;
}

std::string http_response::header(std::string_view name) const {
  const auto found = headers.find(lower_case(name));
  return found == headers.end() ? std::string{} : found->second;
}

// One TCP connection with its own io_context, so every operation can run to completion here.
struct http_client::connection {
  net::io_context context;
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
  bool is_open = false;

  // Opens a new connection to 127.0.0.1:port (from `source` when not empty) before deadline;
  // throws std::runtime_error if not.
  void open(unsigned short port, monotonic_instant deadline, const std::string& source = {}) {
    close();
    stream.expires_at(deadline);
    if (!source.empty()) {
      stream.socket().open(tcp::v4());
      stream.socket().bind(tcp::endpoint{net::ip::make_address(source), 0});
    }
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    const beast::error_code error = run_operation(
        context, [&](auto handler) { stream.async_connect(endpoint, std::move(handler)); });
    if (error) {
      fail("cannot connect", port, error);
    }
    stream.socket().set_option(tcp::no_delay(true));
    is_open = true;
  }

  // Closes the socket, if open, and drops any buffered bytes.
  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
    buffer.consume(buffer.size());
    is_open = false;
  }

  // True when an open connection may not be reused: the peer hung up or sent unasked bytes.
  bool is_stale() {
    pollfd descriptor{stream.socket().native_handle(), static_cast<short>(POLLIN | POLLRDHUP), 0};
    return buffer.size() != 0 || ::poll(&descriptor, 1, 0) != 0;
  }

  // Writes the request message before deadline.
  beast::error_code write(request_message& message, monotonic_instant deadline) {
    stream.expires_at(deadline);
    return run_operation(
        context, [&](auto handler) { http::async_write(stream, message, std::move(handler)); });
  }

  // Writes raw bytes before deadline.
  beast::error_code write(std::string_view bytes, monotonic_instant deadline) {
    stream.expires_at(deadline);
    return run_operation(context, [&](auto handler) {
      net::async_write(stream, net::buffer(bytes.data(), bytes.size()), std::move(handler));
    });
  }

  // Reads one response into parser before deadline.
  beast::error_code read(response_parser& parser, monotonic_instant deadline) {
    stream.expires_at(deadline);
    return run_operation(context, [&](auto handler) {
      http::async_read(stream, buffer, parser, std::move(handler));
    });
  }

  // Writes message, then reads its response into a fresh parser, before deadline.
  beast::error_code exchange(request_message& message, std::optional<response_parser>& parser,
                             monotonic_instant deadline) {
    parser.reset();
    beast::error_code error = write(message, deadline);
    if (error) {
      return error;
    }
    response_parser& fresh = reset_parser(parser);
    fresh.skip(message.method() == http::verb::head);  // a HEAD response has no body to read
    return read(fresh, deadline);
  }
};

http_client::http_client(unsigned short port, std::string source_address)
    : port_(port),
      source_address_(std::move(source_address)),
      connection_(std::make_unique<connection>()) {}

http_client::http_client(http_client&& other) noexcept = default;
http_client& http_client::operator=(http_client&& other) noexcept = default;
http_client::~http_client() = default;

http_response http_client::request(std::string_view method, std::string_view target,
                                   std::optional<std::string> body,
                                   std::vector<std::pair<std::string, std::string>> headers) {
  if (!connection_) {
    connection_ = std::make_unique<connection>();  // this client was moved from
  }
  request_message message = make_request(port_, method, target, std::move(body), headers);
  std::optional<response_parser> parser;
  auto deadline = monotonic_now() + request_timeout;
  const bool reused = connection_->is_open && !connection_->is_stale();
  if (!reused) {
    connection_->open(port_, deadline, source_address_);
  }
  beast::error_code error = connection_->exchange(message, parser, deadline);
  const bool answered = parser.has_value() && parser->got_some();
  if (error && reused && !answered && is_closed_connection(error)) {
    deadline = monotonic_now() + request_timeout;  // the server closed it just as we reused it
    connection_->open(port_, deadline, source_address_);
    error = connection_->exchange(message, parser, deadline);
  }
  if (error) {
    connection_->close();
    fail(std::string{method} + " " + std::string{target} + " failed", port_, error);
  }
  auto response = parser->release();
  if (!response.keep_alive()) {
    connection_->close();
  }
  return to_response(std::move(response));
}

http_response http_client::get(std::string_view target, std::string_view token) {
  return request("GET", target, std::nullopt, bearer(token));
}

http_response http_client::post(std::string_view target, const boost::json::value& body,
                                std::string_view token) {
  return request("POST", target, boost::json::serialize(body), bearer(token));
}

http_response http_client::put(std::string_view target, const boost::json::value& body,
                               std::string_view token) {
  return request("PUT", target, boost::json::serialize(body), bearer(token));
}

void http_client::disconnect() {
  if (connection_) {
    connection_->close();
  }
}

http_response http_client::send_raw(unsigned short port, std::string_view raw_bytes) {
  connection raw;
  const auto deadline = monotonic_now() + request_timeout;
  raw.open(port, deadline);
  const beast::error_code write_error = raw.write(raw_bytes, deadline);
  if (write_error && !is_closed_connection(write_error)) {
    fail("cannot send raw request", port, write_error);
  }
  std::optional<response_parser> parser;
  const beast::error_code read_error = raw.read(reset_parser(parser), deadline);
  if (read_error && !parser->got_some() && is_closed_connection(read_error)) {
    return http_response{};  // closed without a response: status 0
  }
  if (read_error) {
    fail("no response to raw request", port, read_error);
  }
  return to_response(parser->release());
}

}  // namespace anquanli::test
