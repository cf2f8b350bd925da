// The checks handlers make on what a client sent, before anything touches storage: the body as a
// JSON object, its string fields, path ids and participant names. They live apart from the
// handlers so that the HTTP fuzz target (tests/fuzz/fuzz_http_request.cpp) runs these very
// functions rather than copies of them.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anquanli {

// The body parsed as a JSON object; empty when it is not valid JSON or not an object.
std::optional<boost::json::object> parse_json_object(const std::string& body);

// The value of `key` when it is a string; empty when missing or of another type.
std::optional<std::string> string_field(const boost::json::object& object, std::string_view key);

// A positive decimal int64 with nothing around it (path ids, page sizes).
std::optional<std::int64_t> parse_id(const std::string& text);

// A participant's name: 1 to 32 code points of valid UTF-8, no control characters, not blank.
bool valid_name(std::string_view name);

}  // namespace anquanli
