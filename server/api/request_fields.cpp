#include "server/api/request_fields.hpp"

#include <utf8proc.h>
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <memory>

#include "question_bank/question_validation.hpp"

namespace anquanli {

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

std::string query_or(const api_request& request, std::string_view name,
                     const std::string& fallback) {
  const auto found = request.query.find(std::string{name});
  return found == request.query.end() || found->second.empty() ? fallback : found->second;
}

std::optional<std::string> normalized_text(std::string_view text, std::size_t max_code_points) {
  utf8proc_uint8_t* normalized = nullptr;
  // utf8proc_map refuses invalid UTF-8 (a negative result) and composes to NFC.
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &normalized,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) {
    return std::nullopt;
  }
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(normalized, &std::free);
  std::size_t count = 0;
  bool blank = true;
  for (utf8proc_ssize_t at = 0; at < length;) {
    utf8proc_int32_t point = 0;
    at += utf8proc_iterate(normalized + at, length - at, &point);
    switch (utf8proc_category(point)) {
      case UTF8PROC_CATEGORY_CC:  // controls
      case UTF8PROC_CATEGORY_CF:  // format: bidi overrides and isolates, zero-width, BOM…
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
      case UTF8PROC_CATEGORY_CO:  // private use
      case UTF8PROC_CATEGORY_CN:  // unassigned
      case UTF8PROC_CATEGORY_CS: return std::nullopt;
      case UTF8PROC_CATEGORY_ZS: break;
      default: blank = false;
    }
    ++count;
  }
  if (blank || count == 0 || count > max_code_points) {
    return std::nullopt;
  }
  return std::string{reinterpret_cast<const char*>(normalized), static_cast<std::size_t>(length)};
}

}  // namespace anquanli
