// Frozen bulletins against the real server (issue 17): a snapshot serves the numbers it was taken
// with in every format, after more challenges and after a restart; its movement is against the
// previous snapshot of its series; accounts see only their subtree's (and sector's) snapshots;
// bad requests get catalogue errors.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "tests/server/server_fixture.hpp"
#include "tests/support/xlsx_reader.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string password = "snapshot-secret-1";

struct snapshot_fixture {
  server_fixture server{fixture_options{}};
  http_client client = server.client();
  std::string province;
  int next_phone = 0;

  snapshot_fixture() {
    for (const char* account :
         {"province --region 640000", "yinchuan --region 640100", "shizuishan --region 640200",
          "mines --region 640000 --sector 矿山"}) {
      const auto [status, output] =
          server.admin(std::string{"admins add --username "} + account, password + "\n");
      INFO(output);
      REQUIRE(status == 0);
    }
    province = token("province");
  }

  std::string token(const std::string& username) {
    const auto login = client.post("/api/v1/admin/login",
                                   json::object{{"username", username}, {"password", password}});
    REQUIRE(login.status == 200);
    return std::string{login.json().at("token").as_string()};
  }

  // `count` new participants of a unit in `region` each finish a challenge.
  void challenges_in(const std::string& region, int count) {
    const std::string unit = unit_ids(client, region, 1).at(0);
    for (int i = 0; i < count; ++i) {
      const std::string phone = "1393333" + std::to_string(1000 + next_phone++);
      const std::string participant = server.participant_in(client, phone, region, unit);
      server.take_challenge(client, participant, 10);
    }
  }

  json::object take(const json::object& body, const std::string& as) {
    const auto created = client.post("/api/v1/admin/bulletins", body, as);
    INFO(created.body);
    REQUIRE(created.status == 201);
    const json::object snapshot = created.json().as_object();
    CHECK(created.header("Location") ==
          "/api/v1/admin/bulletins/" + std::to_string(snapshot.at("id").as_int64()));
    return snapshot;
  }

  http_response download(std::int64_t id, const std::string& format, const std::string& as) {
    return client.get("/api/v1/admin/bulletins/" + std::to_string(id) + "?format=" + format, as);
  }
};

// The text of a PDF, through poppler's pdftotext (a reader the server does not use).
std::string pdf_text(const std::filesystem::path& directory, const std::string& bytes) {
  const auto pdf = directory / "snapshot.pdf";
  const auto text = directory / "snapshot.txt";
  std::ofstream(pdf, std::ios::binary) << bytes;
  const std::string command = "pdftotext -layout '" + pdf.string() + "' '" + text.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(text);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const json::object& row_with_code(const json::object& report, std::string_view code) {
  for (const auto& row : report.at("rows").as_array()) {
    if (row.at("code").as_string() == code) {
      return row.as_object();
    }
  }
  FAIL("no row " << code);
  throw std::logic_error("unreachable");
}

struct every_format {
  std::string json;
  std::string csv;
  std::vector<std::vector<std::string>> xlsx;
  std::string html;
  std::string pdf;
};

every_format read_every_format(snapshot_fixture& fixture, std::int64_t id) {
  every_format formats;
  for (const std::string format : {"json", "csv", "xlsx", "html", "pdf"}) {
    const auto response = fixture.download(id, format, fixture.province);
    INFO(format << ": " << response.body.substr(0, 300));
    REQUIRE(response.status == 200);
    if (format == "json") {
      formats.json = response.body;
    } else if (format == "csv") {
      formats.csv = response.body;
    } else if (format == "xlsx") {
      formats.xlsx = xlsx_sheet_cells(response.body, 1);
    } else if (format == "html") {
      formats.html = response.body;
    } else {
      CHECK(response.body.rfind("%PDF-", 0) == 0);
      formats.pdf = pdf_text(fixture.server.data_dir(), response.body);
    }
  }
  return formats;
}

}  // namespace

TEST_CASE("a snapshot serves the numbers it was taken with - in every format - forever",
          "[snapshots]") {
  snapshot_fixture fixture;
  fixture.challenges_in("640104", 2);
  fixture.challenges_in("640202", 1);
  const auto snapshot =
      fixture.take(json::object{{"level", "county"}, {"rank_by", "rate"}, {"to", "2021-06-16"}},
                   fixture.province);
  const std::int64_t id = snapshot.at("id").as_int64();
  CHECK(snapshot.at("participants") == 3);
  CHECK(snapshot.at("previous_id").is_null());
  CHECK(snapshot.at("created_by") == "province");
  const every_format before = read_every_format(fixture, id);
  const auto frozen = json::parse(before.json).as_object();
  CHECK(frozen.at("snapshot").at("id") == id);
  CHECK(frozen.at("rank_by") == "rate");
  CHECK(frozen.at("totals").at("participants") == 3);
  CHECK(before.html.find("兴庆区") != std::string::npos);
  CHECK(before.pdf.find("测测你的安全力") != std::string::npos);

  fixture.challenges_in("640104", 2);
  const auto live =
      fixture.client
          .get("/api/v1/admin/bulletin?level=county&rank_by=rate&to=2021-06-16", fixture.province)
          .json();
  REQUIRE(live.at("totals").at("participants") == 5);  // the numbers moved on

  const every_format after = read_every_format(fixture, id);
  CHECK(after.json == before.json);
  CHECK(after.csv == before.csv);
  CHECK(after.xlsx == before.xlsx);
  CHECK(after.html == before.html);
  CHECK(after.pdf == before.pdf);

  // Stored, not remembered: a restarted server serves the same.
  fixture.server.stop();
  fixture.server.start();
  fixture.client = fixture.server.client();
  fixture.province = fixture.token("province");
  CHECK(fixture.download(id, "json", fixture.province).body == before.json);
}

TEST_CASE("each snapshot's rank movement is against the previous snapshot of its series",
          "[snapshots]") {
  snapshot_fixture fixture;
  fixture.challenges_in("640104", 2);
  fixture.challenges_in("640105", 1);
  const json::object body{{"level", "county"}, {"region", "640100"}};
  const auto first = fixture.take(body, fixture.province);
  const auto first_report =
      fixture.download(first.at("id").as_int64(), "json", fixture.province).json().as_object();
  CHECK(first_report.at("compared_snapshot").is_null());
  CHECK(row_with_code(first_report, "640105").at("previous_rank").is_null());
  CHECK(row_with_code(first_report, "640104").at("rank") == 1);

  fixture.challenges_in("640105", 2);
  const auto second = fixture.take(body, fixture.province);
  CHECK(second.at("previous_id") == first.at("id"));
  const auto report =
      fixture.download(second.at("id").as_int64(), "json", fixture.province).json().as_object();
  CHECK(report.at("compared_snapshot").at("id") == first.at("id"));
  const auto& risen = row_with_code(report, "640105");
  CHECK(risen.at("rank") == 1);
  CHECK(risen.at("previous_rank") == 2);
  CHECK(risen.at("rank_change") == 1);
  CHECK(risen.at("new_participants") == 2);
  const auto& fallen = row_with_code(report, "640104");
  CHECK(fallen.at("rank_change") == -1);
  CHECK(fallen.at("new_participants") == 0);
  CHECK(report.at("totals").at("new_participants") == 2);
  const auto html = fixture.download(second.at("id").as_int64(), "html", fixture.province).body;
  CHECK(html.find("的通报相比，新增参与2人") != std::string::npos);

  // Another ranking is another series.
  const auto by_points =
      fixture.take(json::object{{"level", "county"}, {"region", "640100"}, {"rank_by", "points"}},
                   fixture.province);
  CHECK(by_points.at("previous_id").is_null());
}

TEST_CASE("snapshots are visible to their region's subtree and sector only", "[snapshots]") {
  snapshot_fixture fixture;
  fixture.challenges_in("640104", 1);
  const std::string yinchuan = fixture.token("yinchuan");
  const std::string shizuishan = fixture.token("shizuishan");
  const std::string mines = fixture.token("mines");
  const auto province_one = fixture.take(json::object{}, fixture.province);
  const auto city_one = fixture.take(json::object{{"level", "unit"}}, yinchuan);
  CHECK(city_one.at("region").at("code") == "640100");
  const auto mines_one = fixture.take(json::object{{"level", "unit"}}, mines);
  CHECK(mines_one.at("sector") == "矿山");

  const auto ids_for = [&](const std::string& token) {
    std::vector<std::int64_t> ids;
    const auto listed = fixture.client.get("/api/v1/admin/bulletins", token);
    REQUIRE(listed.status == 200);
    const json::value body = listed.json();
    for (const auto& item : body.at("items").as_array()) {
      ids.push_back(item.at("id").as_int64());
    }
    return ids;
  };
  const auto province_id = province_one.at("id").as_int64();
  const auto city_id = city_one.at("id").as_int64();
  const auto mines_id = mines_one.at("id").as_int64();
  CHECK(ids_for(fixture.province) == std::vector<std::int64_t>{mines_id, city_id, province_id});
  CHECK(ids_for(yinchuan) == std::vector<std::int64_t>{city_id});
  CHECK(ids_for(shizuishan).empty());
  CHECK(ids_for(mines) == std::vector<std::int64_t>{mines_id});

  CHECK(fixture.download(city_id, "json", yinchuan).status == 200);
  CHECK(fixture.download(city_id, "csv", fixture.province).status == 200);
  for (const auto& [id, token] :
       {std::pair{province_id, yinchuan}, std::pair{city_id, shizuishan}, std::pair{city_id, mines},
        std::pair{std::int64_t{9999}, yinchuan}}) {
    const auto refused = fixture.download(id, "json", token);
    CHECK(refused.status == 404);
    CHECK(refused.json().at("error").at("code") == "not_found");
  }
  const auto page = fixture.client.get("/api/v1/admin/bulletins?limit=1", fixture.province).json();
  CHECK(page.at("items").as_array().size() == 1);

  const auto audit = fixture.client.get("/api/v1/admin/audit", fixture.province).json();
  int taken = 0;
  for (const auto& entry : audit.at("items").as_array()) {
    taken += entry.at("action") == "bulletin_snapshot" ? 1 : 0;
  }
  CHECK(taken == 3);
}

TEST_CASE("bad snapshot requests get catalogue errors", "[snapshots]") {
  snapshot_fixture fixture;
  const std::string yinchuan = fixture.token("yinchuan");
  const auto code_of = [&](const http_response& response) {
    INFO(response.body);
    return std::string{response.json().at("error").at("code").as_string()};
  };
  const auto post = [&](const json::value& body, const std::string& token) {
    return fixture.client.post("/api/v1/admin/bulletins", body, token);
  };
  CHECK(code_of(post(json::object{{"level", "street"}}, fixture.province)) == "invalid_request");
  CHECK(code_of(post(json::object{{"rank_by", "luck"}}, fixture.province)) == "invalid_request");
  CHECK(code_of(post(json::object{{"title", 7}}, fixture.province)) == "invalid_request");
  CHECK(code_of(post(json::object{{"title", std::string(101, 'x')}}, fixture.province)) ==
        "invalid_request");
  CHECK(code_of(post(json::object{{"from", "2021-06-16"}, {"to", "2021-06-15"}},
                     fixture.province)) == "invalid_period");
  CHECK(code_of(post(json::object{{"to", "6月16日"}}, fixture.province)) == "invalid_period");
  CHECK(code_of(post(json::object{{"region", "640200"}}, yinchuan)) == "forbidden");
  CHECK(code_of(post(json::object{{"region", "999999"}}, fixture.province)) == "invalid_region");
  CHECK(post(json::array{}, fixture.province).status == 400);
  CHECK(post(json::object{}, "").status == 401);
  CHECK(code_of(fixture.client.get("/api/v1/admin/bulletins?limit=0", fixture.province)) ==
        "invalid_limit");
  CHECK(code_of(fixture.client.get("/api/v1/admin/bulletins/abc", fixture.province)) ==
        "not_found");
  const auto id = fixture.take(json::object{}, fixture.province).at("id").as_int64();
  CHECK(code_of(fixture.download(id, "docx", fixture.province)) == "invalid_request");
}
