// Turns a request as Beast parsed it into the handlers' view (server/protocol/api_types.hpp): the
// decoded path and query, the body, the bearer token and the client's address. The sessions and
// the HTTP fuzz target both call it, so the fuzzer reads requests exactly as the server does.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>

#include "server/protocol/api_types.hpp"

namespace anquanli {

// Empty when the target is not a valid origin-form path (then: 400 invalid_target).
[[nodiscard]] std::optional<api_request> api_request_from_beast(
    const boost::beast::http::request<boost::beast::http::string_body>& raw,
    const std::string& client_address);

}  // namespace anquanli
