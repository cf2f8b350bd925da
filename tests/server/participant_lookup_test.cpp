// The office's participant lookup against the real server (issue 17): found, not found and out of
// scope answer alike, a correction moves a participant's later challenges only (the earlier
// day's bulletin, ledger rows and per-day totals stay), each person counts once in a period that
// spans the correction, and every lookup and correction is in the audit log.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "server/store/ledger_totals.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string province_password = "province-secret-1";
const std::string city_password = "yinchuan-secret-1";
const std::string other_city_password = "shizuishan-secret-1";
const std::string phone = "13955550001";
const std::string lookup_route = "/api/v1/admin/participants?phone=";

std::string admin_token(http_client& client, const std::string& username,
                        const std::string& password) {
  const auto login = client.post("/api/v1/admin/login",
                                 json::object{{"username", username}, {"password", password}});
  REQUIRE(login.status == 200);
  return std::string{login.json().at("token").as_string()};
}

std::string error_of(const http_response& response) {
  return std::string{response.json().at("error").at("code").as_string()};
}

// Participants, attempts and points per unit of 兴庆区 in the period, by unit id.
std::map<std::string, std::vector<std::int64_t>> unit_rows(http_client& client,
                                                           const std::string& token,
                                                           const std::string& from,
                                                           const std::string& to) {
  const auto report = client.get(
      "/api/v1/admin/bulletin?level=unit&region=640104&from=" + from + "&to=" + to, token);
  REQUIRE(report.status == 200);
  std::map<std::string, std::vector<std::int64_t>> rows;
  const auto body = report.json();
  for (const auto& row : body.at("rows").as_array()) {
    rows[std::string{row.at("code").as_string()}] = {
        row.at("participants").to_number<std::int64_t>(),
        row.at("attempts").to_number<std::int64_t>(), row.at("points").to_number<std::int64_t>()};
  }
  return rows;
}

// Every row of the per-day totals, as text.
std::vector<std::string> day_totals(sqlite_database& database) {
  std::vector<std::string> rows;
  auto select = database.prepare(
      "SELECT day || ' ' || region_code || ' ' || unit_id || ' ' || participants || ' ' || "
      "new_participants || ' ' || attempts || ' ' || points FROM ledger_day_totals ORDER BY 1");
  while (select.step() == step_result::row) {
    rows.push_back(select.column_text(0));
  }
  return rows;
}

struct lookup_fixture {
  server_fixture server;
  http_client client = server.client();
  std::vector<std::string> units;
  std::string token;  // the participant's

  void add_account(const std::string& command, const std::string& password) const {
    const auto [status, output] = server.admin(command, password + "\n");
    INFO(command << ": " << output);
    REQUIRE(status == 0);
  }

  explicit lookup_fixture(fixture_options options = {}) : server(std::move(options)) {
    add_account("admins add --username province --region 640000", province_password);
    add_account("admins add --username yinchuan --region 640100", city_password);
    add_account("admins add --username shizuishan --region 640200", other_city_password);
    units = unit_ids(client, "640104", 2);
    REQUIRE(units.size() == 2);
    // Someone else makes 2021-06-16 the first ledger day.
    const std::string other = server.participant_in(client, "13955550009", "640202", "");
    server.take_challenge(client, other, 3);
    token = server.participant_in(client, phone, "640104", units[0]);
    server.take_challenge(client, token, 10);
  }

  void next_day(const std::string& day) {
    server.stop();
    server.start(day + "T09:00:00+08:00");
    client = server.client();
    token = server.sign_in(client, phone);  // a day later the participant's token has expired
  }
};

}  // namespace

TEST_CASE("the office finds a participant by phone inside its scope only", "[admin][lookup]") {
  lookup_fixture fixture;
  auto& client = fixture.client;
  const std::string province = admin_token(client, "province", province_password);
  const std::string city = admin_token(client, "yinchuan", city_password);
  const std::string other_city = admin_token(client, "shizuishan", other_city_password);

  const auto found = client.get(lookup_route + phone, city);
  REQUIRE(found.status == 200);
  const auto body = found.json();
  CHECK(body.at("participant").at("phone").as_string() == "139****0001");
  CHECK(body.at("participant").at("region").at("code").as_string() == "640104");
  CHECK(body.at("participant").at("unit").at("id").as_string() == fixture.units[0]);
  REQUIRE(body.at("challenges").as_array().size() == 1);
  const auto& challenge = body.at("challenges").at(0);
  CHECK(challenge.at("day").as_string() == "2021-06-16");
  CHECK(challenge.at("correct") == 10);
  CHECK(challenge.at("unit").at("id").as_string() == fixture.units[0]);
  CHECK(body.at("corrections").as_array().empty());
  CHECK(client.get(lookup_route + phone, province).status == 200);

  // Out of scope answers exactly as an unknown number does.
  const auto hidden = client.get(lookup_route + phone, other_city);
  const auto unknown = client.get(lookup_route + "13955550077", city);
  CHECK(hidden.status == 404);
  CHECK(unknown.status == 404);
  CHECK(hidden.body == unknown.body);

  CHECK(error_of(client.get(lookup_route + "12345", city)) == "invalid_phone");
  CHECK(error_of(client.get("/api/v1/admin/participants", city)) == "invalid_phone");
  CHECK(client.get(lookup_route + phone).status == 401);
  CHECK(client.get(lookup_route + phone, fixture.token).status == 403);

  const auto audit = client.get("/api/v1/admin/audit", province).json();
  int lookups = 0;
  bool out_of_scope = false;
  for (const auto& entry : audit.at("items").as_array()) {
    if (entry.at("action").as_string() == "participant_lookup") {
      ++lookups;
      out_of_scope |= entry.at("detail").as_string().find("out_of_scope") != std::string::npos;
      CHECK(entry.at("detail").as_string().find(phone) == std::string::npos);
    }
  }
  CHECK(lookups == 4);  // found twice, out of scope, unknown (bad numbers are refused before)
  CHECK(out_of_scope);
}

TEST_CASE("a correction moves later challenges only, and the bulletins stay consistent",
          "[admin][lookup]") {
  lookup_fixture fixture;
  const auto first_day =
      unit_rows(fixture.client, admin_token(fixture.client, "province", province_password),
                "2021-06-16", "2021-06-16");
  INFO("units " << fixture.units[0] << " " << fixture.units[1] << "; rows " << first_day.size());
  REQUIRE(first_day.contains(fixture.units[0]));
  CHECK(first_day.at(fixture.units[0]).at(0) == 1);

  fixture.next_day("2021-06-17");  // office tokens, too, are a day old: sign in again
  auto& client = fixture.client;
  const std::string province = admin_token(client, "province", province_password);
  const std::string city = admin_token(client, "yinchuan", city_password);
  const std::string other_city = admin_token(client, "shizuishan", other_city_password);
  const std::int64_t id =
      client.get(lookup_route + phone, city).json().at("participant").at("id").as_int64();
  const std::string route = "/api/v1/admin/participants/" + std::to_string(id) + "/correction";
  const json::object move{{"unit", fixture.units[1]}, {"reason", "热线来电：单位选错"}};

  CHECK(error_of(client.post(route, json::object{{"unit", fixture.units[1]}}, city)) ==
        "invalid_correction");
  CHECK(error_of(client.post(route, json::object{{"reason", "x"}}, city)) == "invalid_correction");
  CHECK(error_of(client.post(route, json::object{{"unit", "NO-SUCH"}, {"reason", "x"}}, city)) ==
        "invalid_unit");
  CHECK(error_of(client.post(route, json::object{{"region", "640000"}, {"reason", "x"}}, city)) ==
        "forbidden");
  CHECK(error_of(client.post(route, json::object{{"region", "640202"}, {"reason", "x"}}, city)) ==
        "forbidden");
  CHECK(error_of(client.post(route, json::object{{"region", "640100"}, {"reason", "x"}}, city)) ==
        "invalid_region");  // not a leaf: participants belong to a county
  CHECK(error_of(client.post(route, json::object{{"unit", fixture.units[0]}, {"reason", "x"}},
                             city)) == "invalid_correction");  // no change
  CHECK(client.post(route, move, other_city).status == 404);
  CHECK(client.post("/api/v1/admin/participants/999999/correction", move, city).status == 404);
  CHECK(client.post("/api/v1/admin/participants/abc/correction", move, city).status == 404);
  CHECK(error_of(client.post(route, json::object{}, city)) == "invalid_correction");

  const auto corrected = client.post(route, move, city);
  REQUIRE(corrected.status == 200);
  const auto body = corrected.json();
  CHECK(body.at("participant").at("unit").at("id").as_string() == fixture.units[1]);
  REQUIRE(body.at("corrections").as_array().size() == 1);
  CHECK(body.at("corrections").at(0).at("from").at("unit").at("id").as_string() ==
        fixture.units[0]);
  CHECK(body.at("corrections").at(0).at("reason").as_string() == "热线来电：单位选错");
  CHECK(body.at("corrections").at(0).at("by").as_string() == "yinchuan");
  // The earlier challenge stays where it was earned.
  CHECK(body.at("challenges").at(0).at("unit").at("id").as_string() == fixture.units[0]);
  CHECK(unit_rows(client, province, "2021-06-16", "2021-06-16") == first_day);

  fixture.server.take_challenge(client, fixture.token, 12);
  const auto after = client.get(lookup_route + phone, city).json();
  REQUIRE(after.at("challenges").as_array().size() == 2);
  CHECK(after.at("challenges").at(0).at("day").as_string() == "2021-06-17");
  CHECK(after.at("challenges").at(0).at("unit").at("id").as_string() == fixture.units[1]);
  CHECK(after.at("challenges").at(1).at("unit").at("id").as_string() == fixture.units[0]);
  CHECK(unit_rows(client, province, "2021-06-16", "2021-06-16") == first_day);
  const auto second_day = unit_rows(client, province, "2021-06-17", "2021-06-17");
  CHECK(second_day.at(fixture.units[1]).at(0) == 1);
  CHECK((!second_day.contains(fixture.units[0]) || second_day.at(fixture.units[0]).at(0) == 0));

  // Over the whole window the person counts once, where they first took part; their points and
  // attempts stay where they were earned.
  const auto window = unit_rows(client, province, "2021-06-16", "2021-06-17");
  CHECK(window.at(fixture.units[0]).at(0) == 1);
  CHECK(window.at(fixture.units[0]).at(1) == 1);
  CHECK(window.at(fixture.units[1]).at(0) == 0);
  CHECK(window.at(fixture.units[1]).at(1) == 1);
  const auto county =
      client.get("/api/v1/admin/bulletin?level=county&from=2021-06-16&to=2021-06-17", province)
          .json();
  CHECK(county.at("totals").at("participants") == 2);
  CHECK(county.at("totals").at("attempts") == 3);

  sqlite_database database(fixture.server.data_dir() / "anquanli.db", open_mode::read_only);
  auto ledger = database.prepare(
      "SELECT COUNT(*), COUNT(DISTINCT unit_id) FROM points_ledger WHERE participant_id = ?1");
  ledger.bind(1, id);
  REQUIRE(ledger.step() == step_result::row);
  CHECK(ledger.column_int(0) == 2);
  CHECK(ledger.column_int(1) == 2);

  const auto audit = client.get("/api/v1/admin/audit", province).json();
  bool audited = false;
  for (const auto& entry : audit.at("items").as_array()) {
    audited |= entry.at("action").as_string() == "participant_correction" &&
               entry.at("username").as_string() == "yinchuan";
  }
  CHECK(audited);
}

TEST_CASE("a period that starts after the first ledger day counts a moved person once",
          "[admin][lookup]") {
  lookup_fixture fixture;
  fixture.next_day("2021-06-17");
  auto& client = fixture.client;
  const std::string province = admin_token(client, "province", province_password);
  fixture.server.take_challenge(client, fixture.token, 8);
  const std::int64_t id =
      client.get(lookup_route + phone, province).json().at("participant").at("id").as_int64();
  const auto moved = client.post(
      "/api/v1/admin/participants/" + std::to_string(id) + "/correction",
      json::object{{"region", "640105"}, {"unit", nullptr}, {"reason", "搬到西夏区"}}, province);
  REQUIRE(moved.status == 200);
  CHECK(moved.json().at("participant").at("unit").is_null());
  fixture.next_day("2021-06-18");
  fixture.server.take_challenge(fixture.client, fixture.token, 9);
  const std::string office = admin_token(fixture.client, "province", province_password);

  // 06-17..06-18 neither starts at the first ledger day nor is one day: counted over the ledger.
  const auto report = fixture.client
                          .get(
                              "/api/v1/admin/bulletin?level=county&region=640100&from=2021-06-17&"
                              "to=2021-06-18",
                              office)
                          .json();
  CHECK(report.at("totals").at("participants") == 1);
  CHECK(report.at("totals").at("attempts") == 2);
  std::int64_t people = 0;
  for (const auto& row : report.at("rows").as_array()) {
    people += row.at("participants").as_int64();
  }
  CHECK(people == 1);

  // The per-day totals kept attempt by attempt are what a rebuild from the ledger computes.
  fixture.server.stop();
  sqlite_database database(fixture.server.data_dir() / "anquanli.db");
  const auto kept = day_totals(database);
  CHECK(kept.size() == 4);  // 640202 and 640104 on 06-16, 640104 on 06-17, 640105 on 06-18
  rebuild_ledger_totals(database);
  CHECK(day_totals(database) == kept);
}

TEST_CASE("a correction between two challenges of one day counts the person once that day",
          "[admin][lookup]") {
  fixture_options options;
  options.extra_competition = "attempts_per_day = 2";
  lookup_fixture fixture(options);
  auto& client = fixture.client;
  const std::string city = admin_token(client, "yinchuan", city_password);
  const std::int64_t id =
      client.get(lookup_route + phone, city).json().at("participant").at("id").as_int64();
  REQUIRE(client
              .post("/api/v1/admin/participants/" + std::to_string(id) + "/correction",
                    json::object{{"unit", fixture.units[1]}, {"reason", "当天更正"}}, city)
              .status == 200);
  fixture.server.take_challenge(client, fixture.token, 5);

  const auto day = unit_rows(client, city, "2021-06-16", "2021-06-16");
  CHECK(day.at(fixture.units[0]) == std::vector<std::int64_t>{1, 1, day.at(fixture.units[0])[2]});
  CHECK(day.at(fixture.units[1])[0] == 0);
  CHECK(day.at(fixture.units[1])[1] == 1);
  const auto county =
      client
          .get("/api/v1/admin/bulletin?level=county&region=640100&from=2021-06-16&to=2021-06-16",
               city)
          .json();
  CHECK(county.at("totals").at("participants") == 1);
  CHECK(county.at("totals").at("attempts") == 2);

  fixture.server.stop();
  sqlite_database database(fixture.server.data_dir() / "anquanli.db");
  const auto kept = day_totals(database);
  rebuild_ledger_totals(database);
  CHECK(day_totals(database) == kept);
}
