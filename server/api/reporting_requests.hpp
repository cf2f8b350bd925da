// The parse_ functions of the campaign's reporting forms (docs/api-office.md). A form's values
// arrive as {"fields": {key: value}}: counts as JSON whole numbers, everything else as strings
// (normalised like every text a person types); null or a blank string leaves a field blank. The
// form's own definition (server/store/reporting_form.hpp) then checks every value; a draft may be
// incomplete, a submission may not.
#pragma once

#include <optional>
#include <string>

#include "server/protocol/parsed.hpp"
#include "server/store/reporting_form.hpp"

namespace anquanli {

// /api/v1/admin/reporting/forms/{form}
struct reporting_form_ref {
  reporting_form_kind form = reporting_form_kind::contacts;
};
[[nodiscard]] parsed<reporting_form_ref> parse_reporting_form_ref(const api_request& request);

// PUT …/forms/{form} (a draft) and POST …/forms/{form}/submit (complete)
struct reporting_values_command {
  reporting_form_kind form = reporting_form_kind::contacts;
  reporting_values values;
};
[[nodiscard]] parsed<reporting_values_command> parse_reporting_draft(const api_request& request);
[[nodiscard]] parsed<reporting_values_command> parse_reporting_submission(
    const api_request& request);

// GET /api/v1/admin/reporting/status?form=&region= and …/export?form=&format=&region=
struct reporting_query {
  reporting_form_kind form = reporting_form_kind::contacts;
  std::optional<std::string> region_code;  // none: the account's own region
  std::string format = "json";             // export: xlsx | csv
};
[[nodiscard]] parsed<reporting_query> parse_reporting_status(const api_request& request);
[[nodiscard]] parsed<reporting_query> parse_reporting_export(const api_request& request);

// The catalogue error for a problem of a form's values: the field's label and key as detail, and
// the key as `field` beside the error.
[[nodiscard]] api_error reporting_error(reporting_form_kind form, const reporting_problem& problem);

}  // namespace anquanli
