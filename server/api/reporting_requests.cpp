#include "server/api/reporting_requests.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <variant>

#include "server/api/request_fields.hpp"

namespace anquanli {

namespace json = boost::json;

namespace {

api_error_code code_of(reporting_problem_kind kind) {
  using enum reporting_problem_kind;
  switch (kind) {
    case unknown_field: return api_error_code::reporting_unknown_field;
    case missing: return api_error_code::reporting_field_missing;
    case bad_count: return api_error_code::reporting_count_invalid;
    case bad_text: return api_error_code::reporting_text_invalid;
    case bad_phone: return api_error_code::reporting_phone_invalid;
    case bad_email: return api_error_code::reporting_email_invalid;
    case bad_date: return api_error_code::reporting_date_invalid;
    case bad_gender: return api_error_code::reporting_gender_invalid;
  }
  return api_error_code::reporting_text_invalid;
}

// One member of "fields" as the text kept for it; none for blank; a problem when malformed.
using field_text = std::variant<std::optional<std::string>, reporting_problem_kind>;

field_text text_of(const reporting_field& field, const json::value& value) {
  if (value.is_null()) {
    return std::optional<std::string>{};
  }
  if (field.kind == reporting_field_kind::count) {
    // A whole number only: 1.5, "3", true and numbers beyond int64 are refused.
    if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > reporting_count_max) {
      return reporting_problem_kind::bad_count;
    }
    return std::optional{std::to_string(value.as_int64())};
  }
  if (!value.is_string()) {
    return reporting_problem_kind::bad_text;
  }
  const std::string_view typed = value.as_string();
  const auto first = typed.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return std::optional<std::string>{};
  }
  // Spaces around a value are a slip of the keyboard, not part of it.
  const std::string_view text = typed.substr(first, typed.find_last_not_of(" \t") - first + 1);
  auto normalized = normalized_text(text, field.max_length);
  if (!normalized) {
    return reporting_problem_kind::bad_text;
  }
  return normalized;
}

parsed<reporting_values_command> parse_values(const api_request& request, bool complete) {
  const auto ref = parse_reporting_form_ref(request);
  if (!ref) {
    return ref.error();
  }
  const auto body = parse_json_object(request.body);
  if (!body) {
    return api_error_code::invalid_json;
  }
  const auto* fields = body->if_contains("fields");
  if (fields == nullptr || !fields->is_object()) {
    return error_with(api_error_code::invalid_request, "fields");
  }
  const reporting_form& form = reporting_form_of(ref->form);
  reporting_values_command command{ref->form, {}};
  for (const auto& [key, value] : fields->as_object()) {
    const reporting_field* field =
        find_reporting_field(form, std::string_view{key.data(), key.size()});
    if (field == nullptr) {
      return reporting_error(
          ref->form, {reporting_problem_kind::unknown_field, std::string(key.data(), key.size())});
    }
    const field_text text = text_of(*field, value);
    if (const auto* problem = std::get_if<reporting_problem_kind>(&text)) {
      return reporting_error(ref->form, {*problem, std::string(key.data(), key.size())});
    }
    if (const auto& kept = std::get<std::optional<std::string>>(text)) {
      command.values.emplace(std::string(key.data(), key.size()), *kept);
    }
  }
  if (const auto problem = check_reporting_values(form, command.values, complete)) {
    return reporting_error(ref->form, *problem);
  }
  return command;
}

parsed<reporting_query> parse_query(const api_request& request, bool with_format) {
  const auto form = parse_reporting_form_kind(query_or(request, "form", ""));
  if (!form) {
    return error_with(api_error_code::invalid_reporting_request, "form");
  }
  reporting_query query{*form, std::nullopt,
                        with_format ? query_or(request, "format", "xlsx") : std::string{"json"}};
  if (with_format && query.format != "xlsx" && query.format != "csv") {
    return error_with(api_error_code::invalid_reporting_request, "format");
  }
  const std::string region = query_or(request, "region", "");
  if (!region.empty()) {
    if (region.size() > 32) {
      return api_error_code::invalid_region;
    }
    query.region_code = region;
  }
  return query;
}

}  // namespace

parsed<reporting_form_ref> parse_reporting_form_ref(const api_request& request) {
  if (request.path_parameters.empty()) {
    return api_error_code::invalid_reporting_form;
  }
  const auto form = parse_reporting_form_kind(request.path_parameters.front());
  if (!form) {
    return api_error_code::invalid_reporting_form;
  }
  return reporting_form_ref{*form};
}

parsed<reporting_values_command> parse_reporting_draft(const api_request& request) {
  return parse_values(request, false);
}

parsed<reporting_values_command> parse_reporting_submission(const api_request& request) {
  return parse_values(request, true);
}

parsed<reporting_query> parse_reporting_status(const api_request& request) {
  return parse_query(request, false);
}

parsed<reporting_query> parse_reporting_export(const api_request& request) {
  return parse_query(request, true);
}

api_error reporting_error(reporting_form_kind form, const reporting_problem& problem) {
  const reporting_field* field = find_reporting_field(reporting_form_of(form), problem.field);
  // An unknown key is the client's text: named only when it looks like a key.
  const bool key_like = problem.field.size() <= 64 &&
                        std::all_of(problem.field.begin(), problem.field.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
                        });
  std::string detail = field != nullptr ? std::string{field->label} + "（" + problem.field + "）"
                       : key_like       ? problem.field
                                        : std::string{};
  api_error error{code_of(problem.kind), std::move(detail), {}, {}};
  if (field != nullptr) {
    error.extra["field"] = problem.field;
  }
  return error;
}

}  // namespace anquanli
