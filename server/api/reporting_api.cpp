#include "server/api/reporting_api.hpp"

#include <boost/json.hpp>

#include "server/api/office_scope.hpp"
#include "server/report/reporting_render.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string_view kind_name(reporting_field_kind kind) {
  switch (kind) {
    case reporting_field_kind::count: return "count";
    case reporting_field_kind::text: return "text";
    case reporting_field_kind::phone: return "phone";
    case reporting_field_kind::mobile: return "mobile";
    case reporting_field_kind::email: return "email";
    case reporting_field_kind::date: return "date";
    case reporting_field_kind::gender: return "gender";
    case reporting_field_kind::digits: return "digits";
  }
  return "text";
}

json::array fields_json(const reporting_form& form) {
  json::array fields;
  for (const reporting_field& field : form.fields) {
    json::object one{{"key", field.key},
                     {"label", field.label},
                     {"kind", kind_name(field.kind)},
                     {"required", field.required},
                     {"group", field.group}};
    if (field.kind == reporting_field_kind::count) {
      one["max"] = reporting_count_max;
    } else {
      one["max_length"] = field.max_length;
    }
    fields.push_back(std::move(one));
  }
  return fields;
}

json::object values_json(const reporting_values& values) {
  json::object object;
  for (const auto& [key, value] : values) {
    object[key] = value;
  }
  return object;
}

json::object filer_json(const reporting_filer& filer) {
  return json::object{
      {"region", json::object{{"code", filer.region_code}, {"name", filer.region_name}}},
      {"organisation",
       filer.organisation.empty() ? json::value(nullptr) : json::value(filer.organisation)},
      {"name", filer.display_name()}};
}

json::object submission_json(const reporting_submission& made, utc_offset offset) {
  return json::object{{"version", made.version},
                      {"fields", values_json(made.values)},
                      {"submitted_by", made.submitted_by},
                      {"submitted_at", format_rfc3339(made.submitted_at, offset)},
                      {"late", made.late}};
}

json::object draft_json(const reporting_draft& draft, utc_offset offset) {
  return json::object{{"fields", values_json(draft.values)},
                      {"saved_by", draft.saved_by},
                      {"saved_at", format_rfc3339(draft.saved_at, offset)}};
}

std::string_view state_of(const reporting_status_row& row) {
  if (row.latest) {
    return row.latest->late ? "late" : "submitted";
  }
  return row.draft_saved_at ? "draft" : "not_started";
}

json::object status_item(const reporting_status_row& row, utc_offset offset) {
  json::object item = filer_json(row.filer);
  item["level"] = row.filer.region_level;
  item["state"] = state_of(row);
  item["state_text"] = reporting_state_text(row);
  item["version"] = row.latest ? json::value(row.latest->version) : json::value(nullptr);
  item["submitted_at"] = row.latest ? json::value(format_rfc3339(row.latest->submitted_at, offset))
                                    : json::value(nullptr);
  item["submitted_by"] = row.latest ? json::value(row.latest->submitted_by) : json::value(nullptr);
  item["draft_saved_at"] = row.draft_saved_at
                               ? json::value(format_rfc3339(*row.draft_saved_at, offset))
                               : json::value(nullptr);
  return item;
}

// How many filers are in each state, and for 附件1 the counts summed over the latest versions.
json::object summary_json(reporting_form_kind kind, const std::vector<reporting_status_row>& rows) {
  std::map<std::string_view, std::int64_t> states{
      {"submitted", 0}, {"late", 0}, {"draft", 0}, {"not_started", 0}};
  for (const reporting_status_row& row : rows) {
    ++states[state_of(row)];
  }
  json::object summary{{"expected", rows.size()}};
  for (const auto& [state, count] : states) {
    summary[state] = count;
  }
  if (kind == reporting_form_kind::progress) {
    json::object totals;
    for (const reporting_field& field : reporting_form_of(kind).fields) {
      if (field.kind != reporting_field_kind::count) {
        continue;
      }
      std::int64_t sum = 0;
      for (const reporting_status_row& row : rows) {
        sum += row.latest ? reporting_count(row.latest->values, field.key) : 0;
      }
      totals[field.key] = sum;
    }
    summary["totals"] = std::move(totals);
  }
  return summary;
}

api_response download(std::string body, std::string type, const std::string& filename) {
  api_response response{200, std::move(body), std::move(type), {}};
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

}  // namespace

day_key reporting_api::due_of(reporting_form_kind form) const {
  return form == reporting_form_kind::progress ? services_.config.reporting.progress_due
                                               : services_.config.reporting.contacts_due;
}

asio::awaitable<api_response> reporting_api::get_form(api_request& request,
                                                      const admin_account& admin) {
  const auto ref = parse_reporting_form_ref(request);
  if (!ref) {
    co_return error_response(ref.error());
  }
  const auto filing = co_await services_.store.reporting_filing_of(admin, ref->form);
  const utc_offset offset = services_.config.competition.offset;
  const reporting_form& form = reporting_form_of(ref->form);
  json::array versions;
  for (const reporting_submission& made : filing.versions) {
    versions.push_back(submission_json(made, offset));
  }
  co_return json_response(
      200, json::object{{"form", to_string(ref->form)},
                        {"title", form.title},
                        {"due", to_string(due_of(ref->form))},
                        {"filer", filer_json(filing.filer)},
                        {"fields", fields_json(form)},
                        {"draft", filing.draft ? json::value(draft_json(*filing.draft, offset))
                                               : json::value(nullptr)},
                        {"versions", std::move(versions)}});
}

asio::awaitable<api_response> reporting_api::save_draft(api_request& request,
                                                        const admin_account& admin) {
  auto command = parse_reporting_draft(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto draft = co_await services_.store.save_reporting_draft(
      admin, command->form, std::move(command->values), services_.clock.now());
  co_return json_response(
      200, json::object{{"form", to_string(command->form)},
                        {"draft", draft_json(draft, services_.config.competition.offset)}});
}

asio::awaitable<api_response> reporting_api::submit(api_request& request,
                                                    const admin_account& admin) {
  auto command = parse_reporting_submission(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto made = co_await services_.store.submit_reporting(
      admin, command->form, std::move(command->values), due_of(command->form),
      request.client_address, services_.clock.now());
  json::object body = submission_json(made, services_.config.competition.offset);
  body["form"] = to_string(command->form);
  body["due"] = to_string(due_of(command->form));
  co_return json_response(201, body);
}

asio::awaitable<parsed<std::string>> reporting_api::overview_scope(const reporting_query& query,
                                                                   const admin_account& admin) {
  const auto filer = co_await services_.store.reporting_filer_of(admin);
  if (!filer.organisation.empty()) {
    co_return api_error_code::reporting_filer_only;
  }
  const auto places = co_await services_.store.directory();
  co_return visible_to(*places, query.region_code.value_or(admin.region_code), admin);
}

asio::awaitable<api_response> reporting_api::status(api_request& request,
                                                    const admin_account& admin) {
  const auto query = parse_reporting_status(request);
  if (!query) {
    co_return error_response(query.error());
  }
  const auto scope = co_await overview_scope(*query, admin);
  if (!scope) {
    co_return error_response(scope.error());
  }
  const auto rows = co_await services_.store.reporting_overview(*scope, query->form);
  json::array items;
  for (const reporting_status_row& row : rows) {
    items.push_back(status_item(row, services_.config.competition.offset));
  }
  co_return json_response(200, json::object{{"form", to_string(query->form)},
                                            {"region", *scope},
                                            {"due", to_string(due_of(query->form))},
                                            {"summary", summary_json(query->form, rows)},
                                            {"items", std::move(items)}});
}

asio::awaitable<api_response> reporting_api::export_forms(api_request& request,
                                                          const admin_account& admin) {
  const auto query = parse_reporting_export(request);
  if (!query) {
    co_return error_response(query.error());
  }
  const auto scope = co_await overview_scope(*query, admin);
  if (!scope) {
    co_return error_response(scope.error());
  }
  const auto rows = co_await services_.store.reporting_overview(*scope, query->form);
  // The contacts carry names and phone numbers: who took which list is recorded. (Arguments are
  // named before the co_await: GCC 12 destroys temporaries built inside one twice.)
  std::string action = "reporting_export";
  std::string detail = std::string{to_string(query->form)} + " " + *scope + " " + query->format;
  co_await services_.store.audit(admin, std::move(action), request.client_address,
                                 std::move(detail), services_.clock.now());
  const reporting_sheet sheet =
      make_reporting_sheet(query->form, rows, services_.config.competition.offset);
  const std::string filename =
      "reporting-" + std::string{to_string(query->form)} + "-" + *scope + "." + query->format;
  if (query->format == "csv") {
    co_return download(reporting_csv(sheet), "text/csv; charset=utf-8", filename);
  }
  co_return download(reporting_xlsx(sheet),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename);
}

}  // namespace anquanli
