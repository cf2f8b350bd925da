#include "server/api/request_fields.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "question_bank/question_validation.hpp"

namespace anquanli {

namespace {

constexpr std::size_t max_name_code_points = 32;

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

}  // namespace

std::optional<boost::json::object> parse_json_object(const std::string& body) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(body, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

std::optional<std::string> string_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  return std::string{value->get_string()};
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> read_count(const api_request& request, std::string_view name, int fallback,
                              int maximum) {
  const auto found = request.query.find(std::string{name});
  if (found == request.query.end()) {
    return fallback;
  }
  int value = -1;
  const auto& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 0 || value > maximum) {
    return std::nullopt;
  }
  return value;
}

std::string query_or(const api_request& request, std::string_view name, std::string fallback) {
  const auto found = request.query.find(std::string{name});
  return found == request.query.end() || found->second.empty() ? fallback : found->second;
}

bool valid_name(std::string_view name) {
  const std::size_t length = code_points(name);
  return length >= 1 && length <= max_name_code_points && is_valid_utf8(name) &&
         std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }) &&
         name.find_first_not_of(' ') != std::string_view::npos;
}

}  // namespace anquanli
