#include "server/store/reporting_store.hpp"

#include <boost/json.hpp>

namespace anquanli {

namespace json = boost::json;

namespace {

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

instant from_millis(std::int64_t value) {
  return instant{std::chrono::milliseconds{value}};
}

std::string values_json(const reporting_values& values) {
  json::object object;
  for (const auto& [key, value] : values) {
    object[key] = value;
  }
  return json::serialize(object);
}

// Stored by values_json, so always an object of strings; anything else is skipped.
reporting_values values_of(const std::string& text) {
  reporting_values values;
  boost::system::error_code error;
  const json::value parsed = json::parse(text, error);
  if (error || !parsed.is_object()) {
    return values;
  }
  for (const auto& [key, value] : parsed.as_object()) {
    if (value.is_string()) {
      values.emplace(std::string(key.data(), key.size()), std::string(value.as_string()));
    }
  }
  return values;
}

sqlite_statement& bind_filer(sqlite_statement& statement, const reporting_filer& filer,
                             reporting_form_kind form) {
  return statement.bind(1, std::string_view{filer.region_code})
      .bind(2, std::string_view{filer.organisation})
      .bind(3, to_string(form));
}

}  // namespace

bool reporting_store::set_organisation(std::string_view username,
                                       const std::optional<std::string>& organisation) {
  sqlite_statement id = database_.prepare("SELECT id FROM admins WHERE username = ?1");
  id.bind(1, username);
  if (id.step() != step_result::row) {
    return false;
  }
  const std::int64_t admin_id = id.column_int64(0);
  if (!organisation) {
    database_.prepare("DELETE FROM reporting_organisations WHERE admin_id = ?1")
        .bind(1, admin_id)
        .run();
    return true;
  }
  database_
      .prepare(
          "INSERT INTO reporting_organisations (admin_id, organisation) VALUES (?1, ?2) "
          "ON CONFLICT (admin_id) DO UPDATE SET organisation = ?2")
      .bind(1, admin_id)
      .bind(2, std::string_view{*organisation})
      .run();
  return true;
}

reporting_filer reporting_store::filer_of(const admin_account& account) {
  reporting_filer filer{account.region_code, account.region_name, 0, {}};
  sqlite_statement level = database_.prepare("SELECT level FROM regions WHERE code = ?1");
  level.bind(1, std::string_view{account.region_code});
  if (level.step() == step_result::row) {
    filer.region_level = level.column_int(0);
  }
  sqlite_statement organisation =
      database_.prepare("SELECT organisation FROM reporting_organisations WHERE admin_id = ?1");
  organisation.bind(1, account.id);
  if (organisation.step() == step_result::row) {
    filer.organisation = organisation.column_text(0);
  }
  return filer;
}

std::optional<reporting_draft> reporting_store::read_draft(const reporting_filer& filer,
                                                           reporting_form_kind form) {
  sqlite_statement draft = database_.prepare(
      "SELECT fields, saved_by, saved_at FROM reporting_drafts WHERE region_code = ?1 AND "
      "organisation = ?2 AND form = ?3");
  bind_filer(draft, filer, form);
  if (draft.step() != step_result::row) {
    return std::nullopt;
  }
  return reporting_draft{values_of(draft.column_text(0)), draft.column_text(1),
                         from_millis(draft.column_int64(2))};
}

std::vector<reporting_submission> reporting_store::read_versions(const reporting_filer& filer,
                                                                 reporting_form_kind form,
                                                                 bool latest_only) {
  // Newest first when only the latest is wanted; oldest first otherwise.
  sqlite_statement rows = database_.prepare(
      latest_only
          ? "SELECT version, fields, submitted_by, submitted_at, late FROM reporting_submissions "
            "WHERE region_code = ?1 AND organisation = ?2 AND form = ?3 ORDER BY version DESC "
            "LIMIT 1"
          : "SELECT version, fields, submitted_by, submitted_at, late FROM reporting_submissions "
            "WHERE region_code = ?1 AND organisation = ?2 AND form = ?3 ORDER BY version");
  bind_filer(rows, filer, form);
  std::vector<reporting_submission> versions;
  while (rows.step() == step_result::row) {
    versions.push_back({rows.column_int64(0), values_of(rows.column_text(1)), rows.column_text(2),
                        from_millis(rows.column_int64(3)), rows.column_int64(4) != 0});
  }
  return versions;
}

reporting_filing reporting_store::load(const reporting_filer& filer, reporting_form_kind form) {
  return reporting_filing{filer, read_draft(filer, form), read_versions(filer, form, false)};
}

reporting_draft reporting_store::save_draft(const reporting_filer& filer, reporting_form_kind form,
                                            const reporting_values& values,
                                            std::string_view username, instant now) {
  sqlite_statement save = database_.prepare(
      "INSERT INTO reporting_drafts (region_code, organisation, form, fields, saved_by, saved_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (region_code, organisation, form) DO UPDATE "
      "SET fields = ?4, saved_by = ?5, saved_at = ?6");
  bind_filer(save, filer, form).bind(4, values_json(values)).bind(5, username).bind(6, millis(now));
  save.run();
  return reporting_draft{values, std::string{username}, now};
}

reporting_submission reporting_store::submit(const reporting_filer& filer, reporting_form_kind form,
                                             const reporting_values& values,
                                             std::string_view username, day_key due,
                                             utc_offset offset, instant now) {
  sqlite_statement next = database_.prepare(
      "SELECT COALESCE(MAX(version), 0) + 1 FROM reporting_submissions WHERE region_code = ?1 "
      "AND organisation = ?2 AND form = ?3");
  bind_filer(next, filer, form);
  next.step();
  reporting_submission made{next.column_int64(0), values, std::string{username}, now,
                            day_key_of(now, offset) > due};
  sqlite_statement insert = database_.prepare(
      "INSERT INTO reporting_submissions (region_code, organisation, form, version, fields, "
      "submitted_by, submitted_at, late) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  bind_filer(insert, filer, form)
      .bind(4, made.version)
      .bind(5, values_json(values))
      .bind(6, username)
      .bind(7, millis(now))
      .bind(8, made.late ? 1 : 0);
  insert.run();
  return made;
}

std::vector<reporting_filer> reporting_store::expected_filers(std::string_view scope) {
  sqlite_statement rows = database_.prepare(
      "WITH RECURSIVE subtree (code) AS (SELECT ?1 UNION ALL SELECT r.code FROM regions r JOIN "
      "subtree s ON r.parent_code = s.code) "
      "SELECT r.code, r.name, r.level, '' FROM regions r JOIN subtree s ON s.code = r.code "
      "WHERE r.parent_code IS NOT NULL "
      "UNION SELECT r.code, r.name, r.level, o.organisation FROM reporting_organisations o "
      "JOIN admins a ON a.id = o.admin_id JOIN regions r ON r.code = a.region_code "
      "JOIN subtree s ON s.code = r.code "
      "ORDER BY 1, 4");
  rows.bind(1, scope);
  std::vector<reporting_filer> filers;
  while (rows.step() == step_result::row) {
    filers.push_back(
        {rows.column_text(0), rows.column_text(1), rows.column_int(2), rows.column_text(3)});
  }
  return filers;
}

std::vector<reporting_status_row> reporting_store::overview(std::string_view scope,
                                                            reporting_form_kind form) {
  std::vector<reporting_status_row> result;
  for (reporting_filer& filer : expected_filers(scope)) {
    reporting_status_row row{std::move(filer), std::nullopt, std::nullopt};
    if (auto draft = read_draft(row.filer, form)) {
      row.draft_saved_at = draft->saved_at;
    }
    auto latest = read_versions(row.filer, form, true);
    if (!latest.empty()) {
      row.latest = std::move(latest.front());
    }
    result.push_back(std::move(row));
  }
  return result;
}

}  // namespace anquanli
