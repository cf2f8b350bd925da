// The regional office's API against the real server: who may see what, exact bulletin numbers,
// safe CSV, a real XLSX workbook, the trend, winners and question statistics.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>

#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string province_password = "province-secret-1";
const std::string city_password = "yinchuan-secret-1";

std::string admin_token(http_client& client, const std::string& username,
                        const std::string& password) {
  const auto login = client.post("/api/v1/admin/login",
                                 json::object{{"username", username}, {"password", password}});
  REQUIRE(login.status == 200);
  return std::string{login.json().at("token").as_string()};
}

struct office_fixture {
  server_fixture server{fixture_options{
      "2021-06-16T09:00:00+08:00", "",
      "[[prizes]]\nid = \"P1\"\nname = \"安全应急包\"\ntotal = 100\nprobability = 1.0\n"}};
  http_client client = server.client();
  std::string participant_token;

  void add_account(const std::string& command, const std::string& password) const {
    const auto [status, output] = server.admin(command, password + "\n");
    INFO(command << ": " << output);
    REQUIRE(status == 0);
  }

  office_fixture() {
    add_account("admins add --username province --region 640000", province_password);
    add_account("admins add --username yinchuan --region 640100", city_password);
    // A unit whose name would be a formula in a spreadsheet.
    std::ofstream(server.data_dir() / "formula-unit.csv")
        << "id,name,region_code,sector,headcount\nU9001,=1+1,640104,其他,10\n";
    REQUIRE(server.admin("units import '" + (server.data_dir() / "formula-unit.csv").string() + "'")
                .first == 0);
    participant_token = server.participant_in(client, "13933330001", "640104", "U9001");
    server.take_challenge(client, participant_token, 15);
    client.post("/api/v1/draws", json::object{}, participant_token);
    const std::string second = server.participant_in(client, "13933330002", "640104", "");
    server.take_challenge(client, second, 6);
    const std::string third = server.participant_in(client, "13933330003", "640202", "");
    server.take_challenge(client, third, 2);
  }
};

}  // namespace

TEST_CASE("every admin route refuses a missing - a participant's and an out-of-scope token",
          "[admin]") {
  office_fixture office;
  auto& client = office.client;
  const std::string city = admin_token(client, "yinchuan", city_password);
  for (const std::string route :
       {"/api/v1/admin/me", "/api/v1/admin/bulletin", "/api/v1/admin/daily",
        "/api/v1/admin/winners", "/api/v1/admin/questions/stats"}) {
    CAPTURE(route);
    CHECK(client.get(route).status == 401);
    CHECK(client.get(route, "made-up-token").status == 401);
    CHECK(client.get(route, office.participant_token).status == 403);
    CHECK(client.get(route + "?region=640200", city).status == 403);
    CHECK(client.get(route + "?region=640104", city).status == 200);
  }
  CHECK(client.get("/api/v1/admin/bulletin?from=2021-06-30&to=2021-06-01", city).status == 400);
  CHECK(client.get("/api/v1/admin/bulletin?format=docx", city).status == 400);
}

TEST_CASE("admin accounts lock after repeated wrong passwords", "[admin]") {
  office_fixture office;
  auto& client = office.client;
  for (int i = 0; i < 5; ++i) {
    CHECK(client
              .post("/api/v1/admin/login",
                    json::object{{"username", "province"}, {"password", "wrong"}})
              .status == 401);
  }
  const auto locked =
      client.post("/api/v1/admin/login",
                  json::object{{"username", "province"}, {"password", province_password}});
  CHECK(locked.status == 429);
  CHECK_FALSE(locked.header("retry-after").empty());
  CHECK(client.post("/api/v1/admin/login", json::object{{"username", "nobody"}, {"password", "x"}})
            .status == 401);
}

TEST_CASE("the bulletin's numbers match a direct count of the ledger", "[admin]") {
  office_fixture office;
  auto& client = office.client;
  const std::string province = admin_token(client, "province", province_password);
  const auto report =
      client.get("/api/v1/admin/bulletin?level=county&from=2021-06-16&to=2021-06-16", province)
          .json();
  sqlite_database database(office.server.data_dir() / "anquanli.db", open_mode::read_only);
  for (const auto& row : report.at("rows").as_array()) {
    auto count = database.prepare(
        "SELECT COUNT(DISTINCT participant_id), COUNT(*), IFNULL(SUM(points), 0) FROM "
        "points_ledger "
        "WHERE region_code = ?1 AND day = '2021-06-16'");
    count.bind(1, std::string_view{row.at("code").as_string()});
    count.step();
    CAPTURE(row);
    CHECK(row.at("participants").as_int64() == count.column_int64(0));
    CHECK(row.at("attempts").as_int64() == count.column_int64(1));
    CHECK(row.at("points").as_int64() == count.column_int64(2));
  }
  const auto& first = report.at("rows").at(0);
  CHECK(first.at("code").as_string() == "640104");
  CHECK(first.at("rank") == 1);
  CHECK(first.at("participants") == 2);
  CHECK(report.at("totals").at("participants") == 3);
  CHECK(report.at("totals").at("points") == 26 + 7 + 3);

  const auto cities = client.get("/api/v1/admin/bulletin?level=city", province).json();
  CHECK(cities.at("rows").at(0).at("code").as_string() == "640100");
  CHECK(cities.at("rows").at(1).at("code").as_string() == "640200");
  CHECK(cities.at("rows").at(1).at("rank") == 2);

  const auto units = client.get("/api/v1/admin/bulletin?level=unit&region=640104", province).json();
  CHECK(units.at("rows").at(0).at("code").as_string() == "U9001");
  CHECK(units.at("zero_participation").as_array().size() + 1 == units.at("rows").as_array().size());
}

TEST_CASE("bulletin exports: CSV is neutralised and the XLSX is a real workbook", "[admin]") {
  office_fixture office;
  auto& client = office.client;
  const std::string city = admin_token(client, "yinchuan", city_password);
  const auto csv = client.get("/api/v1/admin/bulletin?level=unit&format=csv&region=640104", city);
  CHECK(csv.status == 200);
  CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body.find(",'=1+1,") != std::string::npos);
  CHECK(csv.body.find(",=1+1,") == std::string::npos);
  CHECK(csv.header("content-disposition").find("attachment") != std::string::npos);

  const auto xlsx = client.get("/api/v1/admin/bulletin?level=county&format=xlsx", city);
  CHECK(xlsx.status == 200);
  CHECK(xlsx.body.rfind("PK\x03\x04", 0) == 0);
  CHECK(xlsx.body.find("xl/workbook.xml") != std::string::npos);
  CHECK(xlsx.body.find("xl/worksheets/sheet1.xml") != std::string::npos);

  const auto html = client.get("/api/v1/admin/bulletin?level=unit&format=html&region=640104", city);
  CHECK(html.header("content-type").find("text/html") == 0);
  CHECK(html.body.find("<script") == std::string::npos);

  const auto [status, output] =
      office.server.admin("bulletin --config '" + office.server.config_file().string() +
                          "' --level unit --format xlsx --out '" +
                          (office.server.data_dir() / "bulletin.xlsx").string() + "'");
  CHECK(status == 0);
  CHECK(output.find("wrote") != std::string::npos);
}

TEST_CASE("the trend - the winners with full phone numbers and the weakest questions", "[admin]") {
  office_fixture office;
  auto& client = office.client;
  const std::string province = admin_token(client, "province", province_password);
  const auto daily = client.get("/api/v1/admin/daily", province).json();
  REQUIRE(daily.at("items").as_array().size() == 1);
  CHECK(daily.at("items").at(0).at("day").as_string() == "2021-06-16");
  CHECK(daily.at("items").at(0).at("participants") == 3);
  CHECK(daily.at("items").at(0).at("new_participants") == 3);
  CHECK(daily.at("items").at(0).at("attempts") == 3);

  const auto winners = client.get("/api/v1/admin/winners", province).json();
  REQUIRE(winners.at("items").as_array().size() == 1);
  CHECK(winners.at("items").at(0).at("phone").as_string() == "13933330001");
  CHECK(winners.at("items").at(0).at("prize").as_string() == "安全应急包");
  const auto csv = client.get("/api/v1/admin/winners?format=csv", province);
  CHECK(csv.body.find("13933330001") != std::string::npos);
  CHECK(csv.body.find("'=1+1") != std::string::npos);

  const auto stats = client.get("/api/v1/admin/questions/stats", province).json();
  std::int64_t served = 0;
  double previous = 0.0;
  for (const auto& item : stats.at("items").as_array()) {
    served += item.at("served").as_int64();
    CHECK(item.at("correct_rate").as_double() >= previous);
    previous = item.at("correct_rate").as_double();
  }
  CHECK(served == 45);
}
