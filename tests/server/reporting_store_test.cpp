// The campaign's reporting forms below the HTTP layer: each field's checks as the routes apply
// them (bounded whole numbers, bounded text, phone, e-mail and date shapes, unknown and missing
// fields), and the store on a real SQLite file (drafts replaced, every submission a new version
// that is never changed, the late flag, who is expected to file in a subtree), and the export's
// 合计 row.
#include <catch2/catch.hpp>

#include "server/api/reporting_requests.hpp"
#include "server/core/server_config.hpp"
#include "server/report/reporting_render.hpp"
#include "server/store/admin_store.hpp"
#include "server/store/directory.hpp"
#include "server/store/reporting_store.hpp"
#include "server/store/schema.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;

namespace {

api_request form_request(std::string form, std::string body) {
  api_request request;
  request.method = "PUT";
  request.path = "/api/v1/admin/reporting/forms/" + form;
  request.path_parameters = {std::move(form)};
  request.body = std::move(body);
  return request;
}

// The wire code and the field the refusal names.
std::pair<std::string, std::string> refusal(const api_error& error) {
  const auto* field = error.extra.if_contains("field");
  return {std::string{describe(error.id).code},
          field != nullptr ? std::string{field->as_string()} : std::string{}};
}

const std::string complete_progress = R"({"fields":{
  "filer_name":"兴庆区安委办","contact_name":"张三","contact_phone":"0951-6012345",
  "filed_on":"2021-07-01","study_sessions":3,"study_participants":120,"documentary_viewers":800,
  "talk_events":5,"talk_participants":300,"media_reports":4,"media_articles":9,
  "practices_promoted":2,"practice_articles":3,"enterprise_events":12,
  "enterprise_participants":1500}})";

struct store_fixture {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db"};
  secrets keys{directory.path()};
  instant now = instant{std::chrono::milliseconds{1'623'805'200'000}};  // 2021-06-16 09:00 +08
  utc_offset offset{std::chrono::hours{8}};

  store_fixture() {
    apply_migrations(database, database_migrations());
    directory_store(database).upsert_regions({{"640000", "宁夏回族自治区", "", 1},
                                              {"640100", "银川市", "640000", 2},
                                              {"640104", "兴庆区", "640100", 3},
                                              {"640105", "西夏区", "640100", 3},
                                              {"640900", "宁东能源化工基地", "640000", 2}});
  }

  admin_account account(const std::string& username, const std::string& region) {
    admin_store admins(database, keys);
    REQUIRE(admins.save_admin(username, "hash", region, std::nullopt, now));
    auto row = database.prepare("SELECT id FROM admins WHERE username = ?1");
    row.bind(1, std::string_view{username});
    row.step();
    return admin_account{row.column_int64(0), username, region, "", std::nullopt};
  }
};

}  // namespace

TEST_CASE("a draft may be partial - a submission must be complete", "[reporting]") {
  const auto draft =
      parse_reporting_draft(form_request("progress", R"({"fields":{"study_sessions":3,
    "filer_name":"  兴庆区安委办 ","contact_phone":""}})"));
  REQUIRE(draft);
  CHECK(draft->values.size() == 2);  // the blank phone is left blank
  CHECK(draft->values.at("study_sessions") == "3");
  CHECK(draft->values.at("filer_name") == "兴庆区安委办");

  const auto incomplete =
      parse_reporting_submission(form_request("progress", R"({"fields":{"study_sessions":3}})"));
  REQUIRE_FALSE(incomplete);
  CHECK(refusal(incomplete.error()) ==
        std::pair<std::string, std::string>{"invalid_field", "filer_name"});
  CHECK(describe(incomplete.error().id).status == 400);

  const auto complete = parse_reporting_submission(form_request("progress", complete_progress));
  REQUIRE(complete);
  CHECK(complete->values.size() == 15);
}

TEST_CASE("counts are bounded whole numbers - text is bounded and shaped", "[reporting]") {
  const auto refused = [](const std::string& form, const std::string& fields) {
    const auto result = parse_reporting_draft(form_request(form, R"({"fields":)" + fields + "}"));
    REQUIRE_FALSE(result);
    return std::pair{std::string{to_string(result.error().id)}, refusal(result.error()).second};
  };
  using p = std::pair<std::string, std::string>;
  CHECK(refused("progress", R"({"study_sessions":-1})") ==
        p{"reporting_count_invalid", "study_sessions"});
  CHECK(refused("progress", R"({"study_sessions":1.5})") ==
        p{"reporting_count_invalid", "study_sessions"});
  CHECK(refused("progress", R"({"study_sessions":"3"})") ==
        p{"reporting_count_invalid", "study_sessions"});
  CHECK(refused("progress", R"({"media_articles":10000001})") ==
        p{"reporting_count_invalid", "media_articles"});
  CHECK(refused("progress", R"({"media_articles":18446744073709551615})") ==
        p{"reporting_count_invalid", "media_articles"});
  CHECK(refused("progress", R"({"filer_name":")" + std::string(101, 'x') + R"("})") ==
        p{"reporting_text_invalid", "filer_name"});
  CHECK(refused("progress", R"({"filer_name":"a\u202eb"})") ==
        p{"reporting_text_invalid", "filer_name"});
  CHECK(refused("progress", R"({"contact_phone":"call me"})") ==
        p{"reporting_phone_invalid", "contact_phone"});
  CHECK(refused("progress", R"({"filed_on":"2021-02-30"})") ==
        p{"reporting_date_invalid", "filed_on"});
  CHECK(refused("progress", R"({"bogus":1})") == p{"reporting_unknown_field", ""});
  CHECK(refused("contacts", R"({"email":"not-an-address"})") ==
        p{"reporting_email_invalid", "email"});
  CHECK(refused("contacts", R"({"mobile":"09516012345"})") ==
        p{"reporting_phone_invalid", "mobile"});
  CHECK(refused("contacts", R"({"gender":"X"})") == p{"reporting_gender_invalid", "gender"});
  CHECK(refused("contacts", R"({"qq":"12ab"})") == p{"reporting_text_invalid", "qq"});

  CHECK(parse_reporting_draft(
      form_request("contacts", R"({"fields":{"office_phone":"0951-6012345-801",
    "fax":"09516012346","mobile":"13800138000","email":"li.si@nxaq.gov.cn","qq":"12345"}})")));
  const auto no_such_form = parse_reporting_draft(form_request("minutes", "{\"fields\":{}}"));
  REQUIRE_FALSE(no_such_form);
  CHECK(describe(no_such_form.error().id).status == 404);
  const auto no_fields = parse_reporting_draft(form_request("contacts", "{}"));
  REQUIRE_FALSE(no_fields);
  CHECK(no_fields.error().id == api_error_code::invalid_request);
  CHECK_FALSE(parse_reporting_draft(form_request("contacts", "[1]")));
}

TEST_CASE("drafts are replaced - submissions are new versions that are kept", "[reporting]") {
  store_fixture f;
  reporting_store store(f.database);
  const reporting_filer filer = store.filer_of(f.account("xingqing", "640104"));
  CHECK(filer.region_level == 3);
  CHECK(filer.organisation.empty());
  const auto kind = reporting_form_kind::progress;
  CHECK(store.load(filer, kind).versions.empty());

  store.save_draft(filer, kind, {{"study_sessions", "1"}}, "xingqing", f.now);
  store.save_draft(filer, kind, {{"study_sessions", "2"}}, "xingqing", f.now);
  CHECK(store.load(filer, kind).draft->values.at("study_sessions") == "2");

  const day_key due{std::chrono::year{2021} / std::chrono::July / 5};
  const auto first =
      store.submit(filer, kind, {{"study_sessions", "2"}}, "xingqing", due, f.offset, f.now);
  CHECK(first.version == 1);
  CHECK_FALSE(first.late);
  const instant after_due = f.now + std::chrono::days{20};  // 2021-07-06
  const auto second =
      store.submit(filer, kind, {{"study_sessions", "5"}}, "xingqing", due, f.offset, after_due);
  CHECK(second.version == 2);
  CHECK(second.late);

  const reporting_filing filing = store.load(filer, kind);
  REQUIRE(filing.versions.size() == 2);
  CHECK(filing.versions[0].values.at("study_sessions") == "2");
  CHECK(filing.versions[1].values.at("study_sessions") == "5");
  CHECK(store.load(filer, reporting_form_kind::contacts).versions.empty());
  // Stored versions cannot be changed.
  CHECK_THROWS(f.database.prepare("UPDATE reporting_submissions SET fields = '{}'").run());
}

TEST_CASE("every region below the top and every named organisation is expected to file",
          "[reporting]") {
  store_fixture f;
  reporting_store store(f.database);
  f.account("province", "640000");
  f.account("xixia", "640105");
  f.account("jiaoyu", "640000");
  REQUIRE(store.set_organisation("jiaoyu", "自治区教育厅"));
  CHECK_FALSE(store.set_organisation("nobody", "x"));
  const auto education = store.filer_of(f.account("jiaoyu2", "640000"));
  CHECK(education.organisation.empty());  // a new account has no organisation until given one

  const day_key due{std::chrono::year{2021} / std::chrono::July / 5};
  const reporting_filer xixia = store.filer_of(f.account("xixia", "640105"));
  store.submit(xixia, reporting_form_kind::progress, {{"study_sessions", "4"}}, "xixia", due,
               f.offset, f.now);

  const auto everyone = store.overview("640000", reporting_form_kind::progress);
  std::vector<std::string> names;
  for (const auto& row : everyone) {
    names.push_back(row.filer.display_name());
  }
  CHECK(names ==
        std::vector<std::string>{"自治区教育厅", "银川市", "兴庆区", "西夏区", "宁东能源化工基地"});
  const auto city = store.overview("640100", reporting_form_kind::progress);
  REQUIRE(city.size() == 3);
  CHECK(city[2].latest->version == 1);
  CHECK_FALSE(city[1].latest);

  const reporting_sheet sheet =
      make_reporting_sheet(reporting_form_kind::progress, everyone, f.offset);
  REQUIRE(sheet.totals);
  CHECK((*sheet.totals)[0] == "合计");
  CHECK((*sheet.totals)[3] == "已报送 1 / 共 5");
  CHECK((*sheet.totals)[6 + 4] == "4");  // study_sessions follows the four header fields
  CHECK(sheet.rows[3][3] == "已报送");
  CHECK(sheet.rows[2][3] == "未填报");
}

TEST_CASE("[reporting] due days default to the notice's in the competition's year", "[reporting]") {
  const auto defaults = parse_server_config(
      "[competition]\nstarts_on = \"2022-06-01\"\n"
      "ends_on = \"2022-06-30\"\n");
  REQUIRE(defaults.problems.empty());
  CHECK(to_string(defaults.config.reporting.contacts_due) == "2022-05-31");
  CHECK(to_string(defaults.config.reporting.progress_due) == "2022-07-05");
  const auto set = parse_server_config(
      "[reporting]\ncontacts_due = \"2021-06-02\"\nprogress_due = \"2021-07-10\"\n");
  REQUIRE(set.problems.empty());
  CHECK(to_string(set.config.reporting.contacts_due) == "2021-06-02");
  CHECK(to_string(set.config.reporting.progress_due) == "2021-07-10");
  const auto wrong = parse_server_config("[reporting]\nprogress_due = \"7月5日\"\n");
  REQUIRE(wrong.problems.size() == 1);
  CHECK(wrong.problems.front() == "'reporting.progress_due' must be YYYY-MM-DD");
  CHECK_FALSE(parse_server_config("[reporting]\ndue = \"2021-07-10\"\n").problems.empty());
}
