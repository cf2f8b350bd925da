#include "server/http/api_request_from_beast.hpp"

#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace anquanli {

namespace http = boost::beast::http;

std::optional<api_request> api_request_from_beast(const http::request<http::string_body>& raw,
                                                  const std::string& client_address) {
  auto target = boost::urls::parse_origin_form(raw.target());
  if (!target) {
    return std::nullopt;
  }
  api_request request;
  // HEAD is answered as GET without the body.
  request.method = raw.method() == http::verb::head ? "GET" : std::string{raw.method_string()};
  request.path = target->path();
  for (const auto& parameter : target->params()) {
    request.query[parameter.key] = parameter.value;
  }
  request.body = raw.body();
  request.client_address = client_address;
  request.if_none_match = std::string{raw[http::field::if_none_match]};
  const auto authorization = raw[http::field::authorization];
  if (authorization.starts_with("Bearer ")) {
    request.bearer_token = std::string{authorization.substr(7)};
  }
  return request;
}

}  // namespace anquanli
