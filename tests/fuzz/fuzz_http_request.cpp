// Anyone on the internet can send the server bytes, so everything between the socket and a
// handler's answer must survive any input. The input is one connection's worth of requests, read
// as a session reads them (server/http/http_server.cpp): Beast's request_parser with the
// configured header and body limits, request after request while the connection is kept alive.
// Every request then goes through the server's own code, never a copy of it: the session's
// conversion (api_request_from_beast), the router over the real route table (api_routes), the
// matched route's check, and its handler over the in-memory store of the handler tests
// (tests/support/fake_api.hpp). That store knows a participant and an office account whose
// tokens the corpus and the dictionary use, so the fuzzer gets past authentication too.
//
// A crash is also: a 405 whose Allow names the refused method, a route matched with the wrong
// method or captures, a check refusing with anything but a 4xx, a handler answering otherwise
// than its check refused (authentication aside), a 5xx, a JSON answer that is not JSON, or an
// exception escaping a handler (the server would answer 500 internal_error).
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/api_request_from_beast.hpp"
#include "tests/engine/test_rules.hpp"
#include "tests/support/fake_api.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using anquanli::api_error_code;
using anquanli::api_response;

// A blocking stream over the input, handing out at most `chunk` bytes a read, as a socket would.
class input_stream {
 public:
  input_stream(std::string_view data, std::size_t chunk) : data_(data), chunk_(chunk) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& error) {
    if (data_.empty()) {
      error = asio::error::eof;
      return 0;
    }
    error = {};
    const std::size_t copied =
        asio::buffer_copy(buffers, asio::buffer(data_.data(), std::min(chunk_, data_.size())));
    data_.remove_prefix(copied);
    return copied;
  }

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    boost::system::error_code error;
    const std::size_t copied = read_some(buffers, error);
    if (error) {
      throw boost::system::system_error{error};
    }
    return copied;
  }

 private:
  std::string_view data_;
  std::size_t chunk_;
};

void require(bool holds) {
  if (!holds) {
    std::abort();
  }
}

// A fresh API for each input, so that every input meets the same store: the sample directory
// and bank, a participant with a profile and three draws to use, and a provincial office account.
std::unique_ptr<anquanli::test::fake_api> fresh_api() {
  auto api = std::make_unique<anquanli::test::fake_api>(anquanli::test::june(16, 9));
  api->store.add_participant(
      {"13800138000", "fuzz-participant", "张三", "640104", std::string{"U0001"}, 3});
  api->store.add_admin({"province", "secret-password-1", "640000", "fuzz-office"});
  return api;
}

bool is_authentication_refusal(const api_response& reply) {
  for (const auto id : {api_error_code::unauthorized, api_error_code::admin_unauthorized,
                        api_error_code::not_an_admin}) {
    const api_response refusal = anquanli::error_response(id);
    if (reply.status == refusal.status && reply.body == refusal.body) {
      return true;
    }
  }
  return false;
}

void check_reply(const api_response& reply, const anquanli::route& found,
                 const std::optional<anquanli::api_error>& refused) {
  require(reply.status >= 200 && reply.status < 500);
  if (reply.content_type.starts_with("application/json")) {
    boost::system::error_code error;
    boost::json::parse(reply.body, error);
    require(!error);
  }
  if (refused) {
    const api_response expected = anquanli::error_response(*refused);
    const bool same = reply.status == expected.status && reply.body == expected.body;
    require(same || (found.auth != anquanli::auth_kind::none && is_authentication_refusal(reply)));
  }
}

// What a session does with one parsed request, from dispatch() to the handler's answer.
void answer(anquanli::test::fake_api& api, const http::request<http::string_body>& raw) {
  auto request = anquanli::api_request_from_beast(raw, "203.0.113.7");
  if (!request) {
    return;  // 400 invalid_target
  }
  const anquanli::route_match match = api.routes.match(request->method, request->path);
  if (match.found == nullptr) {
    // A 405's Allow list names the methods the path takes, never the one just refused.
    std::string_view allow = match.allow;
    while (!allow.empty()) {
      const auto comma = allow.find(", ");
      require(allow.substr(0, comma) != request->method);
      allow = comma == std::string_view::npos ? std::string_view{} : allow.substr(comma + 2);
    }
    return;
  }
  const anquanli::route& found = *match.found;
  const auto captures = std::count(found.pattern.begin(), found.pattern.end(), '{');
  require(found.method == request->method &&
          match.parameters.size() == static_cast<std::size_t>(captures));
  request->path_parameters = match.parameters;
  std::optional<anquanli::api_error> refused;
  if (found.check) {
    refused = found.check(*request);
    require(!refused || anquanli::describe(refused->id).status / 100 == 4);
  }
  check_reply(api.run(found, *request), found, refused);
}

// One connection's worth of requests, read as http_server.cpp's session() reads them.
void read_session(std::string_view input, std::size_t chunk, bool run_handlers) {
  static const anquanli::http_limits limits{};
  input_stream stream(input, chunk);
  beast::flat_buffer buffer;
  std::unique_ptr<anquanli::test::fake_api> api;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(limits.body_bytes);
    boost::system::error_code error;
    const std::size_t header_bytes = http::read_header(stream, buffer, parser, error);
    if (!error && header_bytes > limits.header_bytes) {
      return;  // 431, as the session counts the header section
    }
    if (!error && !parser.is_done()) {
      http::read(stream, buffer, parser, error);
    }
    if (error) {
      return;  // 431, 413, 400 or a closed connection: the session ends
    }
    const http::request<http::string_body> raw = parser.release();
    require(raw.body().size() <= limits.body_bytes);  // the body limit holds, chunked or not
    if (run_handlers) {
      if (!api) {
        api = fresh_api();
      }
      answer(*api, raw);
    }
    if (!raw.keep_alive()) {
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  read_session(input, input.size() + 1, true);  // the whole request in one read
  read_session(input, 7, false);                // and trickled in, as a slow client sends it
  return 0;
}
