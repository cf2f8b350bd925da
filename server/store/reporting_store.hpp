// Where the campaign's reporting forms (reporting_form.hpp) are kept. A filer is a region's
// office (a city, a county, 宁东) or a named member unit of the 安委会 filed under a region (an
// office account given an organisation by `anquanli-admin admins add … --organisation`). Each
// filer has at most one draft per form, overwritten by each save; every submission is a new
// version row that is never changed, with who submitted it, when, and whether it came after the
// form's deadline. Synchronous: the durable store runs reads on its readers, changes on the writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/day_key.hpp"
#include "engine/instant.hpp"
#include "server/store/admin_store.hpp"
#include "server/store/reporting_form.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

struct reporting_filer {
  std::string region_code;
  std::string region_name;
  int region_level = 0;
  std::string organisation;  // empty: the region's own office

  // What the exports call it: the organisation, else the region.
  [[nodiscard]] const std::string& display_name() const {
    return organisation.empty() ? region_name : organisation;
  }
};

struct reporting_draft {
  reporting_values values;
  std::string saved_by;
  instant saved_at{};
};

struct reporting_submission {
  std::int64_t version = 0;  // 1, 2, … per filer and form
  reporting_values values;
  std::string submitted_by;
  instant submitted_at{};
  bool late = false;  // submitted after the form's due day (local time)
};

// One filer's form: the draft being edited and every submitted version, oldest first.
struct reporting_filing {
  reporting_filer filer;
  std::optional<reporting_draft> draft;
  std::vector<reporting_submission> versions;
};

// One expected filer's state, for the status list and the exports.
struct reporting_status_row {
  reporting_filer filer;
  std::optional<instant> draft_saved_at;
  std::optional<reporting_submission> latest;  // the newest version
};

class reporting_store {
 public:
  explicit reporting_store(sqlite_database& database) : database_(database) {}

  // Files the account's forms in the name of `organisation` (none: its region's office). False
  // when there is no such account.
  bool set_organisation(std::string_view username, const std::optional<std::string>& organisation);
  // The filer an office account files as.
  [[nodiscard]] reporting_filer filer_of(const admin_account& account);

  [[nodiscard]] reporting_filing load(const reporting_filer& filer, reporting_form_kind form);
  // Replaces the filer's draft of the form.
  reporting_draft save_draft(const reporting_filer& filer, reporting_form_kind form,
                             const reporting_values& values, std::string_view username,
                             instant now);
  // Adds the next version; late when now's local day is after `due`. The draft stays.
  reporting_submission submit(const reporting_filer& filer, reporting_form_kind form,
                              const reporting_values& values, std::string_view username,
                              day_key due, utc_offset offset, instant now);

  // Every filer expected in `scope`'s subtree: each region below the top one (cities, counties,
  // 宁东) and each named organisation filed under a region of the subtree, by region code then
  // organisation, with the state of their form.
  [[nodiscard]] std::vector<reporting_status_row> overview(std::string_view scope,
                                                           reporting_form_kind form);

 private:
  [[nodiscard]] std::vector<reporting_filer> expected_filers(std::string_view scope);
  [[nodiscard]] std::optional<reporting_draft> read_draft(const reporting_filer& filer,
                                                          reporting_form_kind form);
  [[nodiscard]] std::vector<reporting_submission> read_versions(const reporting_filer& filer,
                                                                reporting_form_kind form,
                                                                bool latest_only);

  sqlite_database& database_;
};

}  // namespace anquanli
