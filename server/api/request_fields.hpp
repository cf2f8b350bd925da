// The small checks every route's parse_ function is made of: the body as a JSON object, its
// string fields, path ids, page sizes, query values and participant names. The HTTP fuzz target
// runs the routes' parse_ functions (through the route table), and so these.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/protocol/api_types.hpp"

namespace anquanli {

// The body parsed as a JSON object; empty when it is not valid JSON or not an object.
std::optional<boost::json::object> parse_json_object(const std::string& body);

// The value of `key` when it is a string; empty when missing or of another type.
std::optional<std::string> string_field(const boost::json::object& object, std::string_view key);

// A positive decimal int64 with nothing around it (path ids, page sizes).
std::optional<std::int64_t> parse_id(std::string_view text);

// The query parameter `name` as an integer in [0, maximum]; `fallback` when absent; empty when
// present but not such a number.
std::optional<int> read_count(const api_request& request, std::string_view name, int fallback,
                              int maximum);

// The query parameter `name`, or `fallback` when it is absent or empty.
std::string query_or(const api_request& request, std::string_view name,
                     const std::string& fallback);

// Free text from a participant (a name today), as it will be stored: valid UTF-8 normalised to
// NFC, 1 to `max_code_points` code points, not blank, and free of every character that could make
// what a clerk reads differ from what was typed — control characters, bidi overrides and
// isolates, zero-width and other format characters, line and paragraph separators, private-use
// and unassigned code points. Empty when the text is refused.
std::optional<std::string> normalized_text(std::string_view text, std::size_t max_code_points);

// A participant's name: normalized_text of at most 32 code points.
inline std::optional<std::string> normalized_name(std::string_view name) {
  return normalized_text(name, 32);
}

}  // namespace anquanli
