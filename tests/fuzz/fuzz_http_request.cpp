// Anyone on the internet can send the server bytes, so everything between the socket and a
// handler's database call must survive any input. This target repeats what a session does with
// them (server/http_server.cpp): Beast's request_parser with the configured header and body
// limits, request after request while the connection is kept alive; then Boost.URL's origin-form
// parse of the target, the router over the real route table (dummy handlers, never run), and the
// checks handlers make before touching storage: the JSON body, path ids, query values.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/route_patterns.hpp"
#include "question_bank/question_validation.hpp"
#include "server/api/request_fields.hpp"
#include "server/core/server_config.hpp"
#include "server/protocol/api_error.hpp"
#include "server/protocol/router.hpp"
#include "server/store/competition_store.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using anquanli::api_request;
using anquanli::parse_id;
using anquanli::string_field;
using anquanli::valid_name;

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

const anquanli::router& route_table() {
  static const anquanli::router table = [] {
    std::vector<anquanli::route> routes;
    for (const auto& [method, pattern] : anquanli::fuzz::route_patterns) {
      routes.push_back({std::string{method}, std::string{pattern},
                        [](api_request&) -> asio::awaitable<anquanli::api_response> {
                          co_return anquanli::api_response{};
                        }});
    }
    return anquanli::router(std::move(routes));
  }();
  return table;
}

// leaderboard_api.cpp's read_count: a decimal int in [0, maximum].
std::optional<int> read_count(const api_request& request, const std::string& name, int maximum) {
  const auto found = request.query.find(name);
  if (found == request.query.end()) {
    return 0;
  }
  int value = -1;
  const auto& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 0 || value > maximum) {
    return std::nullopt;
  }
  return value;
}

using refusal = std::optional<anquanli::api_response>;

refusal bad_request(std::string_view code) {
  return anquanli::error_response(400, code, "fuzz");
}

// The checks a handler makes on the request before it awaits storage (authentication aside):
// the refusal it answers with, or empty when the request would reach the store.
refusal check_request(const anquanli::route& found, api_request& request) {
  const std::string_view pattern = found.pattern;
  if (pattern.starts_with("/api/v1/attempts/") && !parse_id(request.path_parameters.at(0))) {
    return anquanli::error_response(404, "not_found", "fuzz");
  }
  if (pattern == "/api/v1/units") {
    if (request.query.contains("limit") && !parse_id(request.query["limit"])) {
      return bad_request("invalid_limit");
    }
    const std::string& text = request.query["q"];
    return anquanli::is_valid_utf8(text) && text.size() <= 100 ? refusal{}
                                                               : bad_request("invalid_query");
  }
  if (pattern.starts_with("/api/v1/leaderboards/")) {
    if (const auto day = request.query.find("day"); day != request.query.end()) {
      if (!anquanli::parse_day_key(day->second)) {
        return bad_request("invalid_day");
      }
    }
    for (const char* name : {"limit", "offset", "around"}) {
      if (!read_count(request, name, 1'000'000)) {
        return bad_request("invalid_count");
      }
    }
    return {};
  }
  if (pattern.starts_with("/api/v1/admin/") && found.method == "GET") {
    for (const char* name : {"from", "to"}) {
      if (const auto day = request.query.find(name); day != request.query.end()) {
        if (!anquanli::parse_day_key(day->second)) {
          return bad_request("invalid_period");
        }
      }
    }
    return {};
  }
  if (found.method != "POST" && found.method != "PUT") {
    return {};
  }
  const bool reads_body = pattern == "/api/v1/auth/code" || pattern == "/api/v1/auth/login" ||
                          pattern == "/api/v1/me" || pattern == "/api/v1/attempts/{id}/answers" ||
                          pattern == "/api/v1/admin/login";
  if (!reads_body) {
    return {};
  }
  const auto body = anquanli::parse_json_object(request.body);
  if (!body) {
    return bad_request("invalid_json");
  }
  if (pattern == "/api/v1/auth/code" || pattern == "/api/v1/auth/login") {
    const auto phone = string_field(*body, "phone");
    if (!phone || !anquanli::is_mobile_number(*phone)) {
      return bad_request("invalid_phone");
    }
    const auto code = string_field(*body, "code");
    if (pattern == "/api/v1/auth/login" && (!code || code->size() != 6)) {
      return anquanli::error_response(401, "invalid_code", "fuzz");
    }
    return {};
  }
  if (pattern == "/api/v1/me") {
    const auto name = string_field(*body, "name");
    const auto* unit = body->if_contains("unit_id");
    if (!name || !valid_name(*name)) {
      return bad_request("invalid_name");
    }
    if (!string_field(*body, "region")) {
      return bad_request("invalid_region");
    }
    if (unit != nullptr && !unit->is_null() && !unit->is_string()) {
      return bad_request("invalid_unit");
    }
    return {};
  }
  if (pattern == "/api/v1/admin/login") {
    const auto username = string_field(*body, "username");
    const auto password = string_field(*body, "password");
    return username && password && username->size() <= 64 && password->size() <= 256
               ? refusal{}
               : bad_request("invalid_request");
  }
  const auto* index = body->if_contains("index");
  const auto* choice = body->if_contains("choice");
  if (index == nullptr || !index->is_int64() || index->get_int64() < 0 ||
      index->get_int64() > 1000) {
    return bad_request("invalid_request");
  }
  if (choice == nullptr || !choice->is_array() || choice->get_array().size() > 8) {
    return bad_request("invalid_request");
  }
  std::vector<std::string> keys;
  for (const auto& key : choice->get_array()) {
    if (!key.is_string() || key.get_string().size() > 2) {
      return anquanli::error_response(*anquanli::error_for(anquanli::verdict::invalid_choice));
    }
    keys.emplace_back(key.get_string());
  }
  return {};
}

// to_api_request() and dispatch() of http_server.cpp, up to the handler's first await.
void handle(const http::request<http::string_body>& raw) {
  auto target = boost::urls::parse_origin_form(raw.target());
  if (!target) {
    return;  // 400 bad_request
  }
  api_request request;
  request.method = raw.method() == http::verb::head ? "GET" : std::string{raw.method_string()};
  request.path = target->path();
  for (const auto& parameter : target->params()) {
    request.query[parameter.key] = parameter.value;
  }
  request.body = raw.body();
  request.if_none_match = std::string{raw[http::field::if_none_match]};
  const auto authorization = raw[http::field::authorization];
  if (authorization.starts_with("Bearer ")) {
    request.bearer_token = std::string{authorization.substr(7)};
  }

  const anquanli::route_match match = route_table().match(request.method, request.path);
  if (match.found == nullptr) {
    // A 405's Allow list names the methods the path takes, never the one just refused.
    std::string_view allow = match.allow;
    while (!allow.empty()) {
      const auto comma = allow.find(", ");
      if (allow.substr(0, comma) == request.method) {
        std::abort();
      }
      allow = comma == std::string_view::npos ? std::string_view{} : allow.substr(comma + 2);
    }
    return;
  }
  const auto captures = std::count(match.found->pattern.begin(), match.found->pattern.end(), '{');
  if (match.found->method != request.method ||
      match.parameters.size() != static_cast<std::size_t>(captures)) {
    std::abort();
  }
  request.path_parameters = match.parameters;
  if (const refusal refused = check_request(*match.found, request)) {
    if (refused->status < 400 || !json::parse(refused->body).is_object()) {
      std::abort();
    }
  }
}

// One connection's worth of requests, read as http_server.cpp's session() reads them.
void read_session(std::string_view input, std::size_t chunk, bool run_handlers) {
  static const anquanli::http_limits limits{};
  input_stream stream(input, chunk);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(limits.body_bytes);
    boost::system::error_code error;
    http::read_header(stream, buffer, parser, error);
    if (!error && !parser.is_done()) {
      http::read(stream, buffer, parser, error);
    }
    if (error) {
      return;  // 431, 413, 400 or a closed connection: the session ends
    }
    const http::request<http::string_body> raw = parser.release();
    if (raw.body().size() > limits.body_bytes) {
      std::abort();  // the body limit must hold, chunked or not
    }
    if (run_handlers) {
      handle(raw);
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
