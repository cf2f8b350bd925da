// The campaign's reporting forms against the real server: a county files both annex forms (a
// draft, then versions that are all kept), the province sees who has and has not filed and
// exports the counts summed across its subtree (XLSX and CSV), a county sees only its own, a
// member unit's account files for itself only, and bad input is refused with catalogue errors.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/server/server_fixture.hpp"
#include "tests/support/xlsx_reader.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string password = "reporting-secret-1";

json::object progress(std::int64_t sessions, std::int64_t participants) {
  return json::object{{"fields", json::object{{"filer_name", "兴庆区安委办"},
                                              {"contact_name", "张三"},
                                              {"contact_phone", "0951-6012345"},
                                              {"filed_on", "2021-06-16"},
                                              {"study_sessions", sessions},
                                              {"study_participants", participants},
                                              {"documentary_viewers", 800},
                                              {"talk_events", 5},
                                              {"talk_participants", 300},
                                              {"media_reports", 4},
                                              {"media_articles", 9},
                                              {"practices_promoted", 2},
                                              {"practice_articles", 3},
                                              {"enterprise_events", 12},
                                              {"enterprise_participants", 1500}}}};
}

const json::object contacts{{"fields", json::object{{"name", "李四"},
                                                    {"gender", "女"},
                                                    {"position", "科长"},
                                                    {"office_phone", "0951-6012345"},
                                                    {"mobile", "13800138000"},
                                                    {"email", "lisi@example.cn"},
                                                    {"organisation", "兴庆区应急管理局"},
                                                    {"address", "银川市兴庆区某路 1 号"}}}};

struct reporting_fixture {
  server_fixture server;
  http_client client = server.client();
  std::string province;
  std::string xingqing;
  std::string xixia;
  std::string education;

  std::string account(const std::string& arguments, const std::string& username) {
    const auto [status, output] =
        server.admin("admins add --username " + username + " " + arguments, password + "\n");
    INFO(output);
    REQUIRE(status == 0);
    const auto login = client.post("/api/v1/admin/login",
                                   json::object{{"username", username}, {"password", password}});
    REQUIRE(login.status == 200);
    return std::string{login.json().at("token").as_string()};
  }

  reporting_fixture() {
    province = account("--region 640000", "province");
    xingqing = account("--region 640104", "xingqing");
    xixia = account("--region 640105", "xixia");
    education = account("--region 640000 --organisation 自治区教育厅", "jiaoyu");
  }
};

const json::object* find_item(const json::value& status, std::string_view name) {
  for (const auto& item : status.at("items").as_array()) {
    if (item.at("name").as_string() == name) {
      return &item.as_object();
    }
  }
  return nullptr;
}

std::string code_of(const http_response& response) {
  return std::string{response.json().at("error").at("code").as_string()};
}

}  // namespace

TEST_CASE("a county files both forms - the province sees and sums them", "[reporting]") {
  reporting_fixture f;
  auto& client = f.client;
  const std::string form = "/api/v1/admin/reporting/forms/progress";

  const auto empty = client.get(form, f.xingqing);
  REQUIRE(empty.status == 200);
  CHECK(empty.json().at("due").as_string() == "2021-07-05");
  CHECK(empty.json().at("draft").is_null());
  CHECK(empty.json().at("versions").as_array().empty());
  CHECK(empty.json().at("fields").as_array().size() == 15);
  CHECK(empty.json().at("filer").at("name").as_string() == "兴庆区");

  // A draft, then two submissions: both versions stay readable.
  const auto draft =
      client.put(form, json::object{{"fields", json::object{{"study_sessions", 1}}}}, f.xingqing);
  REQUIRE(draft.status == 200);
  CHECK(client.get(form, f.xingqing).json().at("draft").at("fields").at("study_sessions") == "1");
  const auto first = client.post(form + "/submit", progress(3, 120), f.xingqing);
  REQUIRE(first.status == 201);
  CHECK(first.json().at("version") == 1);
  CHECK(first.json().at("late") == false);
  const auto second = client.post(form + "/submit", progress(4, 150), f.xingqing);
  REQUIRE(second.status == 201);
  CHECK(second.json().at("version") == 2);
  const auto versions = client.get(form, f.xingqing).json().at("versions").as_array();
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].at("fields").at("study_sessions") == "3");
  CHECK(versions[1].at("fields").at("study_sessions") == "4");
  CHECK(versions[1].at("submitted_by") == "xingqing");

  // 附件2 is due on 5月31日: filed on 6月16日, it is kept and flagged late.
  const auto contact =
      client.post("/api/v1/admin/reporting/forms/contacts/submit", contacts, f.xingqing);
  REQUIRE(contact.status == 201);
  CHECK(contact.json().at("late") == true);

  REQUIRE(client.post(form + "/submit", progress(6, 200), f.xixia).status == 201);

  const auto status = client.get("/api/v1/admin/reporting/status?form=progress", f.province);
  REQUIRE(status.status == 200);
  const auto body = status.json();
  CHECK(find_item(body, "兴庆区")->at("state") == "submitted");
  CHECK(find_item(body, "兴庆区")->at("version") == 2);
  CHECK(find_item(body, "西夏区")->at("state") == "submitted");
  CHECK(find_item(body, "金凤区")->at("state") == "not_started");
  CHECK(find_item(body, "宁东能源化工基地")->at("state") == "not_started");
  CHECK(find_item(body, "自治区教育厅")->at("state") == "not_started");
  CHECK(body.at("summary").at("submitted") == 2);
  CHECK(body.at("summary").at("totals").at("study_sessions") == 10);  // 4 + 6, not 3
  CHECK(body.at("summary").at("totals").at("study_participants") == 350);

  // The XLSX: title, 活动项目, headers, one row per filer, 合计 last.
  const auto xlsx =
      client.get("/api/v1/admin/reporting/export?form=progress&format=xlsx", f.province);
  REQUIRE(xlsx.status == 200);
  const auto cells = xlsx_sheet_cells(xlsx.body, 1);
  CHECK(cells[0][0] == "全区“安全生产月”活动进展情况统计表");
  CHECK(cells[1][6] == "填报单位");  // the header fields span both header rows
  CHECK(cells[1][10] == "学习习近平总书记关于安全生产重要论述");
  CHECK(cells[2][10] == "理论学习中心组学习（次）");
  const auto& totals = cells.back();
  CHECK(totals[0] == "合计");
  CHECK(totals[10] == "10");
  CHECK(totals[11] == "350");
  CHECK(totals[20] == "3000");  // enterprise_participants: 1500 + 1500

  const auto csv =
      client.get("/api/v1/admin/reporting/export?form=progress&format=csv", f.province);
  REQUIRE(csv.status == 200);
  CHECK(csv.header("content-type").starts_with("text/csv"));
  std::istringstream lines(csv.body);
  std::string line;
  std::string last;
  while (std::getline(lines, line)) {
    if (!line.empty()) {
      last = line;
    }
  }
  CHECK(last.starts_with("合计,,,已报送 2 / 共 "));
  CHECK(last.find(",10,350,1600,10,600,8,18,4,6,24,3000") != std::string::npos);

  const auto contacts_csv =
      client.get("/api/v1/admin/reporting/export?form=contacts&format=csv", f.province);
  REQUIRE(contacts_csv.status == 200);
  CHECK(contacts_csv.body.find("李四") != std::string::npos);
  CHECK(contacts_csv.body.find("逾期报送") != std::string::npos);

  // Submissions and exports are in the audit log.
  const auto audit = client.get("/api/v1/admin/audit", f.province).json();
  int submits = 0;
  for (const auto& entry : audit.at("items").as_array()) {
    submits += entry.at("action") == "reporting_submit" ? 1 : 0;
  }
  CHECK(submits == 4);
}

TEST_CASE("a county sees only its own forms - a member unit files for itself", "[reporting]") {
  reporting_fixture f;
  auto& client = f.client;
  REQUIRE(client.post("/api/v1/admin/reporting/forms/progress/submit", progress(6, 200), f.xixia)
              .status == 201);

  // Another county's status or export is forbidden; its own status lists only itself.
  CHECK(
      client.get("/api/v1/admin/reporting/status?form=progress&region=640105", f.xingqing).status ==
      403);
  CHECK(
      client.get("/api/v1/admin/reporting/export?form=progress&region=640105", f.xingqing).status ==
      403);
  const auto own = client.get("/api/v1/admin/reporting/status?form=progress", f.xingqing);
  REQUIRE(own.status == 200);
  REQUIRE(own.json().at("items").as_array().size() == 1);
  CHECK(own.json().at("items").as_array()[0].at("name") == "兴庆区");
  // Its form is its own: the other county's submission is not there.
  CHECK(client.get("/api/v1/admin/reporting/forms/progress", f.xingqing)
            .json()
            .at("versions")
            .as_array()
            .empty());

  const auto [listed, listing] = f.server.admin("admins list");
  CHECK(listed == 0);
  CHECK(listing.find("jiaoyu\t640000\t宁夏回族自治区\tactive\t自治区教育厅\n") !=
        std::string::npos);
  CHECK(listing.find("xixia\t640105\t西夏区\tactive\n") != std::string::npos);

  const auto unit = client.get("/api/v1/admin/reporting/forms/contacts", f.education);
  REQUIRE(unit.status == 200);
  CHECK(unit.json().at("filer").at("name") == "自治区教育厅");
  REQUIRE(
      client.post("/api/v1/admin/reporting/forms/contacts/submit", contacts, f.education).status ==
      201);
  const auto refused = client.get("/api/v1/admin/reporting/status?form=contacts", f.education);
  CHECK(refused.status == 403);
  CHECK(code_of(refused) == "forbidden");
  const auto seen = client.get("/api/v1/admin/reporting/status?form=contacts", f.province).json();
  CHECK(find_item(seen, "自治区教育厅")->at("state") == "late");
  CHECK(find_item(seen, "银川市")->at("state") == "not_started");
}

TEST_CASE("bad reporting input is refused with catalogue errors", "[reporting]") {
  reporting_fixture f;
  auto& client = f.client;
  const std::string submit = "/api/v1/admin/reporting/forms/progress/submit";
  json::object negative = progress(-1, 1);
  const auto below = client.post(submit, negative, f.xingqing);
  CHECK(below.status == 400);
  CHECK(code_of(below) == "invalid_field");
  CHECK(below.json().at("field") == "study_sessions");
  const auto incomplete = client.post(
      submit, json::object{{"fields", json::object{{"study_sessions", 1}}}}, f.xingqing);
  CHECK(incomplete.status == 400);
  CHECK(incomplete.json().at("field") == "filer_name");
  const auto bad_mail =
      client.put("/api/v1/admin/reporting/forms/contacts",
                 json::object{{"fields", json::object{{"email", "lisi-at-example"}}}}, f.xingqing);
  CHECK(bad_mail.status == 400);
  CHECK(bad_mail.json().at("field") == "email");
  CHECK(client.get("/api/v1/admin/reporting/forms/minutes", f.xingqing).status == 404);
  CHECK(client.get("/api/v1/admin/reporting/status?form=minutes", f.province).status == 400);
  CHECK(client.get("/api/v1/admin/reporting/export?form=progress&format=pdf", f.province).status ==
        400);
  CHECK(
      client.get("/api/v1/admin/reporting/status?form=progress&region=999999", f.province).status ==
      400);
  CHECK(client.get("/api/v1/admin/reporting/forms/progress").status == 401);
  const auto raw =
      client.request("PUT", "/api/v1/admin/reporting/forms/progress", std::string{"not json"},
                     {{"Authorization", "Bearer " + f.xingqing}});
  CHECK(raw.status == 400);
  // Nothing was stored by any of these.
  const auto form = client.get("/api/v1/admin/reporting/forms/progress", f.xingqing).json();
  CHECK(form.at("draft").is_null());
  CHECK(form.at("versions").as_array().empty());
}
