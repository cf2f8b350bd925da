// Every figure of the office's documents, recomputed from SQL on a fixture with both populations
// and compared with what the real server exports: the bulletin in JSON, CSV, XLSX and HTML and
// the daily trend. The fixture has a county whose public (participants without a unit)
// outnumber its units' headcount, and a unit whose headcount is lower than its participants.
// docs/figures.md must list exactly the figures of server/store/bulletin_figures.hpp.
#include "server/store/bulletin_figures.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "question_bank/csv_records.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/xlsx_reader.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

const std::string office_password = "figures-secret-1";
constexpr int questions_per_attempt = 15;

// The figure whose label is `label`, or empty.
std::string_view figure_named(std::string_view label) {
  for (const bulletin_figure& figure : bulletin_figures) {
    if (figure.label == label) {
      return figure.name;
    }
  }
  return {};
}

// The figures of a selection of the points ledger, straight from SQL and independently of
// bulletin_query: each person's population comes from the participants table, a region's
// subtree from a recursive query over the regions, the headcount from the units table.
class ledger_sql {
 public:
  explicit ledger_sql(const std::filesystem::path& data_dir)
      : database_(data_dir / "anquanli.db", open_mode::read_only) {}

  // `kind` is "region" (the code's whole subtree) or "unit".
  json::object figures(const std::string& kind, const std::string& code, const std::string& from,
                       const std::string& to) {
    sqlite_statement row = database_.prepare(
        "WITH RECURSIVE subtree(code) AS (SELECT ?1 UNION ALL SELECT r.code FROM regions r "
        "JOIN subtree s ON r.parent_code = s.code), "
        "picked AS (SELECT l.*, p.unit_id AS person_unit FROM points_ledger l JOIN participants p "
        "ON p.id = l.participant_id WHERE l.competition_id = 'test-2021' AND l.day BETWEEN ?2 "
        "AND ?3 AND ((?4 = 'unit' AND p.unit_id = ?1) OR (?4 = 'region' AND l.region_code IN "
        "(SELECT code FROM subtree)))) "
        "SELECT COUNT(DISTINCT participant_id), "
        "COUNT(DISTINCT CASE WHEN person_unit IS NOT NULL THEN participant_id END), "
        "COUNT(DISTINCT CASE WHEN person_unit IS NULL THEN participant_id END), "
        "COUNT(*), IFNULL(SUM(person_unit IS NOT NULL), 0), IFNULL(SUM(person_unit IS NULL), 0), "
        "IFNULL(SUM(points), 0), IFNULL(SUM(CASE WHEN person_unit IS NULL THEN points END), 0), "
        "IFNULL(SUM(correct), 0), IFNULL(SUM(flagged), 0), "
        "(SELECT IFNULL(SUM(headcount), 0) FROM units WHERE (?4 = 'unit' AND id = ?1) OR "
        "(?4 = 'region' AND region_code IN (SELECT code FROM subtree))) FROM picked");
    row.bind(1, std::string_view{code})
        .bind(2, std::string_view{from})
        .bind(3, std::string_view{to})
        .bind(4, std::string_view{kind});
    REQUIRE(row.step() == step_result::row);
    json::object out;
    out["participants"] = row.column_int64(0);
    out["participants_with_unit"] = row.column_int64(1);
    out["participants_public"] = row.column_int64(2);
    out["attempts"] = row.column_int64(3);
    out["attempts_with_unit"] = row.column_int64(4);
    out["attempts_public"] = row.column_int64(5);
    out["points"] = row.column_int64(6);
    out["points_public"] = row.column_int64(7);
    out["flagged_attempts"] = row.column_int64(9);
    const std::int64_t attempts = row.column_int64(3);
    out["average_correct_rate"] =
        attempts == 0 ? json::value(nullptr)
                      : json::value(static_cast<double>(row.column_int64(8)) /
                                    static_cast<double>(attempts * questions_per_attempt));
    const std::int64_t headcount = row.column_int64(10);
    const std::int64_t with_unit = row.column_int64(1);
    out["headcount"] = headcount == 0 ? json::value(nullptr) : json::value(headcount);
    out["participation_rate"] =
        headcount == 0 ? json::value(nullptr)
                       : json::value(static_cast<double>(std::min(with_unit, headcount)) /
                                     static_cast<double>(headcount));
    out["rate_capped"] = headcount > 0 && with_unit > headcount;
    // Without targets and a comparison day (their own test case checks them).
    for (const char* absent :
         {"target", "target_rate", "previous_rank", "rank_change", "new_participants"}) {
      out[absent] = nullptr;
    }
    return out;
  }

  // The trend of a region's subtree, one object per day with a counted attempt.
  std::map<std::string, json::object> daily(const std::string& code, const std::string& from,
                                            const std::string& to) {
    sqlite_statement rows = database_.prepare(
        "WITH RECURSIVE subtree(code) AS (SELECT ?1 UNION ALL SELECT r.code FROM regions r "
        "JOIN subtree s ON r.parent_code = s.code), "
        "scoped AS (SELECT l.*, p.unit_id AS person_unit FROM points_ledger l JOIN participants p "
        "ON p.id = l.participant_id WHERE l.competition_id = 'test-2021' AND l.region_code IN "
        "(SELECT code FROM subtree)), "
        "firsts AS (SELECT participant_id, MIN(day) AS first_day FROM scoped GROUP BY "
        "participant_id) "
        "SELECT day, COUNT(DISTINCT participant_id), "
        "COUNT(DISTINCT CASE WHEN person_unit IS NOT NULL THEN participant_id END), "
        "COUNT(DISTINCT CASE WHEN person_unit IS NULL THEN participant_id END), COUNT(*), "
        "SUM(points), (SELECT COUNT(*) FROM firsts f WHERE f.first_day = s.day) "
        "FROM scoped s WHERE day BETWEEN ?2 AND ?3 GROUP BY day");
    rows.bind(1, std::string_view{code})
        .bind(2, std::string_view{from})
        .bind(3, std::string_view{to});
    std::map<std::string, json::object> days;
    while (rows.step() == step_result::row) {
      days[rows.column_text(0)] = json::object{{"participants", rows.column_int64(1)},
                                               {"participants_with_unit", rows.column_int64(2)},
                                               {"participants_public", rows.column_int64(3)},
                                               {"attempts", rows.column_int64(4)},
                                               {"points", rows.column_int64(5)},
                                               {"new_participants", rows.column_int64(6)}};
    }
    return days;
  }

 private:
  sqlite_database database_;
};

// The figures an export shows, compared with the SQL's; records every figure compared.
class figure_checker {
 public:
  // A JSON object: each key that names a figure equals the SQL's value.
  void json_row(const json::object& row, const json::object& expected) {
    for (const auto& [key, value] : row) {
      if (figure_label(key).empty()) {
        continue;
      }
      INFO("figure " << std::string_view{key} << " of " << json::serialize(row));
      REQUIRE(expected.contains(key));
      const json::value& want = expected.at(key);
      if (want.is_double() && value.is_number()) {
        CHECK(value.to_number<double>() == Approx(want.as_double()));
      } else {
        CHECK(value == want);
      }
      seen_.insert(std::string{key});
    }
  }

  // A row of text cells under `headers` (CSV, HTML; `missing` is how they show null).
  void text_row(const std::vector<std::string>& headers, const std::vector<std::string>& cells,
                const json::object& expected, std::string_view missing) {
    REQUIRE(cells.size() == headers.size());
    for (std::size_t column = 0; column < headers.size(); ++column) {
      const std::string_view figure = figure_named(headers[column]);
      if (figure.empty()) {
        continue;
      }
      INFO("column " << headers[column]);
      CHECK(cells[column] == text_of(expected.at(figure), missing));
    }
  }

  // An XLSX row: numbers as stored, a null as an empty cell, a flag as 是 or nothing.
  static void xlsx_row(const std::vector<std::string>& headers, std::vector<std::string> cells,
                       const json::object& expected) {
    cells.resize(headers.size());
    for (std::size_t column = 0; column < headers.size(); ++column) {
      const std::string_view figure = figure_named(headers[column]);
      if (figure.empty()) {
        continue;
      }
      INFO("column " << headers[column] << " holds '" << cells[column] << "'");
      const json::value& want = expected.at(figure);
      if (want.is_null()) {
        CHECK(cells[column].empty());
      } else if (want.is_bool()) {
        CHECK(cells[column] == (want.as_bool() ? "是" : ""));
      } else {
        REQUIRE_FALSE(cells[column].empty());
        CHECK(std::stod(cells[column]) == Approx(want.to_number<double>()));
      }
    }
  }

  [[nodiscard]] const std::set<std::string>& seen() const { return seen_; }

 private:
  // The cell text of a value: counts as digits, rates as "33.3%", flags as 是 or nothing.
  static std::string text_of(const json::value& value, std::string_view missing) {
    if (value.is_null()) {
      return std::string{missing};
    }
    if (value.is_bool()) {
      return value.as_bool() ? "是" : "";
    }
    if (value.is_double()) {
      std::array<char, 32> buffer{};
      std::snprintf(buffer.data(), buffer.size(), "%.1f%%", value.as_double() * 100.0);
      return buffer.data();
    }
    return std::to_string(value.as_int64());
  }

  std::set<std::string> seen_;
};

// The records of a CSV section: from the record after `title` (the header) to the 合计 row.
std::vector<csv_record> csv_section(const csv_read& read, std::size_t header_at) {
  std::vector<csv_record> section;
  for (std::size_t at = header_at; at < read.records.size(); ++at) {
    section.push_back(read.records[at]);
    if (read.records[at].fields.at(0) == "合计") {
      break;
    }
  }
  return section;
}

std::size_t csv_record_after(const csv_read& read, std::string_view title) {
  for (std::size_t at = 0; at < read.records.size(); ++at) {
    if (read.records[at].fields.size() == 1 && read.records[at].fields[0] == title) {
      return at + 1;
    }
  }
  FAIL("no CSV section " << title);
  return 0;
}

// The cells of every <tr> of the HTML page's `index`th table, header cells included.
std::vector<std::vector<std::string>> html_table(const std::string& html, std::size_t index) {
  std::size_t at = 0;
  for (std::size_t skipped = 0; skipped <= index; ++skipped) {
    at = html.find("<table>", at);
    REQUIRE(at != std::string::npos);
    at += 7;
  }
  const std::string table = html.substr(at, html.find("</table>", at) - at);
  static const std::regex row_pattern("<tr>(.*?)</tr>");
  static const std::regex cell_pattern("<t[hd][^>]*>(.*?)</t[hd]>");
  std::vector<std::vector<std::string>> rows;
  for (auto row = std::sregex_iterator(table.begin(), table.end(), row_pattern);
       row != std::sregex_iterator(); ++row) {
    const std::string content = (*row)[1].str();
    std::vector<std::string> cells;
    for (auto cell = std::sregex_iterator(content.begin(), content.end(), cell_pattern);
         cell != std::sregex_iterator(); ++cell) {
      cells.push_back((*cell)[1].str());
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

struct figures_fixture {
  server_fixture server;
  http_client client = server.client();
  std::string office;

  explicit figures_fixture(fixture_options options = {}) : server(std::move(options)) {
    // 测试甲县: one unit of 3 people, 1 of them taking part, and 5 people without a unit.
    // 测试乙县: one unit whose imported headcount (1) is lower than its 2 participants.
    std::ofstream(server.data_dir() / "regions.csv")
        << "code,name,parent_code\n640198,测试甲县,640100\n640199,测试乙县,640100\n";
    REQUIRE(server.admin("regions import '" + (server.data_dir() / "regions.csv").string() + "'")
                .first == 0);
    std::ofstream(server.data_dir() / "units.csv")
        << "id,name,region_code,sector,headcount\nU9801,甲县示范企业,640198,其他,3\n"
           "U9901,乙县示范企业,640199,其他,1\n";
    REQUIRE(
        server.admin("units import '" + (server.data_dir() / "units.csv").string() + "'").first ==
        0);
    REQUIRE(server.admin("admins add --username office --region 640000", office_password + "\n")
                .first == 0);
    play("13900000001", "640198", "U9801", 15);
    play("13900000002", "640198", "", 10);
    play("13900000003", "640198", "", 5);
    play("13900000004", "640198", "", 0);
    play("13900000005", "640198", "", 15);
    play("13900000006", "640199", "U9901", 12);
    play("13900000007", "640199", "U9901", 3);
    play("13900000008", "640199", "", 7);
    play("13900000009", "640104", unit_ids(client, "640104", 1).at(0), 9);
    // A second day: two of them again, and one more person without a unit.
    server.stop();
    server.start("2021-06-17T09:00:00+08:00");
    client = server.client();
    server.take_challenge(client, server.sign_in(client, "13900000001"), 12);
    server.take_challenge(client, server.sign_in(client, "13900000002"), 4);
    play("13900000010", "640198", "", 6);
    const auto login = client.post(
        "/api/v1/admin/login", json::object{{"username", "office"}, {"password", office_password}});
    REQUIRE(login.status == 200);
    office = std::string{login.json().at("token").as_string()};
  }

  void play(const std::string& phone, const std::string& region, const std::string& unit,
            int correct) {
    server.take_challenge(client, server.participant_in(client, phone, region, unit), correct);
  }

  json::value get_json(const std::string& path) {
    const auto response = client.get(path, office);
    REQUIRE(response.status == 200);
    return response.json();
  }
};

const std::string from = "2021-06-16";
const std::string to = "2021-06-17";

std::string bulletin_path(const std::string& region, const std::string& level,
                          const std::string& format, const std::string& first = from,
                          const std::string& last = to) {
  return "/api/v1/admin/bulletin?region=" + region + "&level=" + level + "&format=" + format +
         "&from=" + first + "&to=" + last;
}

// The JSON bulletin's rows, public rows and totals against SQL over its period, ranks included.
void check_json_bulletin(const json::object& report, ledger_sql& sql, figure_checker& checker) {
  const std::string first{report.at("from").as_string()};
  const std::string last{report.at("to").as_string()};
  const std::string kind = report.at("level") == "unit" ? "unit" : "region";
  const auto& rows = report.at("rows").as_array();
  for (const auto& row : rows) {
    const auto expected = sql.figures(kind, std::string{row.at("code").as_string()}, first, last);
    checker.json_row(row.as_object(), expected);
    const auto above = std::count_if(rows.begin(), rows.end(), [&](const json::value& other) {
      return other.at("participants_with_unit").as_int64() >
             expected.at("participants_with_unit").as_int64();
    });
    CHECK(row.at("rank").as_int64() == above + 1);
    const json::value& rate = row.at("participation_rate");
    CHECK((rate.is_null() || rate.to_number<double>() <= 1.0));
  }
  const auto& open = report.at("public").as_object();
  const auto& public_rows = open.at("rows").as_array();
  for (const auto& row : public_rows) {
    const auto expected =
        sql.figures("region", std::string{row.at("code").as_string()}, first, last);
    checker.json_row(row.as_object(), expected);
    const auto above =
        std::count_if(public_rows.begin(), public_rows.end(), [&](const json::value& other) {
          return other.at("participants_public").as_int64() >
                 expected.at("participants_public").as_int64();
        });
    CHECK(row.at("rank").as_int64() == above + 1);
  }
  // The totals are the whole scope: both populations, whatever the level.
  const auto scope =
      sql.figures("region", std::string{report.at("scope").at("code").as_string()}, first, last);
  checker.json_row(report.at("totals").as_object(), scope);
  checker.json_row(open.at("totals").as_object(), scope);
}

const json::object& row_with_code(const json::value& rows, std::string_view code) {
  for (const auto& row : rows.as_array()) {
    if (row.at("code").as_string() == code) {
      return row.as_object();
    }
  }
  FAIL("no row " << code);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("docs/figures.md defines exactly the figures the code exports", "[figures]") {
  std::ifstream in(std::string{ANQUANLI_SOURCE_DIR} + "/docs/figures.md");
  REQUIRE(in);
  // Rows of the table: | `name` | label | `formula` | counted |
  static const std::regex row_pattern(R"(^\| `([a-z_]+)` \| ([^|]+) \| `([^`]+)` \| ([^|]+) \|$)");
  std::vector<std::array<std::string, 4>> documented;
  std::string line;
  while (std::getline(in, line)) {
    std::smatch match;
    if (std::regex_match(line, match, row_pattern)) {
      documented.push_back({match[1], match[2], match[3], match[4]});
    }
  }
  REQUIRE(documented.size() == bulletin_figures.size());
  for (std::size_t at = 0; at < documented.size(); ++at) {
    const bulletin_figure& figure = bulletin_figures.at(at);
    CAPTURE(figure.name);
    CHECK(documented[at][0] == figure.name);
    CHECK(documented[at][1] == figure.label);
    CHECK(documented[at][2] == figure.formula);
    CHECK(documented[at][3] == figure.counted);
  }
}

TEST_CASE("every figure of the bulletin and the trend is what SQL counts - in every format",
          "[figures]") {
  figures_fixture fixture;
  ledger_sql sql(fixture.server.data_dir());
  figure_checker checker;

  SECTION("JSON at every level, the public ranking and the daily trend") {
    for (const auto& [region, level] : std::vector<std::pair<std::string, std::string>>{
             {"640000", "city"}, {"640100", "county"}, {"640198", "unit"}, {"640199", "unit"}}) {
      CAPTURE(region, level);
      const auto report = fixture.get_json(bulletin_path(region, level, "json")).as_object();
      check_json_bulletin(report, sql, checker);
    }
    const auto trend =
        fixture.get_json("/api/v1/admin/daily?region=640100&from=" + from + "&to=" + to);
    const auto days = sql.daily("640100", from, to);
    REQUIRE(trend.at("items").as_array().size() == 2);
    for (const auto& item : trend.at("items").as_array()) {
      checker.json_row(item.as_object(), days.at(std::string{item.at("day").as_string()}));
    }
    for (const bulletin_figure& figure : bulletin_figures) {
      CAPTURE(figure.name);
      CHECK(checker.seen().contains(std::string{figure.name}));
    }
  }

  // The per-day totals serve a period that starts at the first ledger day and a single day; any
  // other period counts distinct people over the ledger (ledger_totals.hpp). All three agree with
  // SQL over the ledger.
  SECTION("periods from the start, of one day and from the middle count people alike") {
    for (const auto& [first, last] :
         std::vector<std::pair<std::string, std::string>>{{"2021-06-01", "2021-06-17"},
                                                          {"2021-06-17", "2021-06-17"},
                                                          {"2021-06-17", "2021-06-18"},
                                                          {"2021-06-16", "2021-06-16"}}) {
      for (const auto& [region, level] : std::vector<std::pair<std::string, std::string>>{
               {"640000", "city"}, {"640100", "county"}, {"640198", "unit"}}) {
        CAPTURE(first, last, region, level);
        const auto report =
            fixture.get_json(bulletin_path(region, level, "json", first, last)).as_object();
        REQUIRE(report.at("from").as_string() == first);
        check_json_bulletin(report, sql, checker);
      }
    }
  }

  SECTION("the county whose public outnumber its headcount, and the unit short of its own") {
    const auto report = fixture.get_json(bulletin_path("640100", "county", "json"));
    const auto& crowded = row_with_code(report.at("rows"), "640198");
    CHECK(crowded.at("participants_with_unit") == 1);
    CHECK(crowded.at("participants_public") == 5);
    CHECK(crowded.at("participants") == 6);
    CHECK(crowded.at("headcount") == 3);
    CHECK(crowded.at("participation_rate").as_double() == Approx(1.0 / 3.0));
    CHECK(crowded.at("rate_capped") == false);
    CHECK(row_with_code(report.at("public").at("rows"), "640198").at("participants_public") == 5);
    const auto& short_unit = row_with_code(report.at("rows"), "640199");
    CHECK(short_unit.at("participation_rate").as_double() == 1.0);
    CHECK(short_unit.at("rate_capped") == true);
    CHECK(report.at("headcount_problems") ==
          json::array{json::object{{"id", "U9901"},
                                   {"name", "乙县示范企业"},
                                   {"region", "测试乙县"},
                                   {"headcount", 1},
                                   {"participants_with_unit", 2}}});
  }

  SECTION("CSV, HTML and XLSX show the JSON's figures, cell for cell") {
    const auto report = fixture.get_json(bulletin_path("640100", "county", "json")).as_object();
    const auto& rows = report.at("rows").as_array();
    const auto& public_rows = report.at("public").at("rows").as_array();
    const auto scope = sql.figures("region", "640100", from, to);
    auto expected = [&](const json::value& row) {
      return sql.figures("region", std::string{row.at("code").as_string()}, from, to);
    };

    const auto csv_body =
        fixture.client.get(bulletin_path("640100", "county", "csv"), fixture.office);
    const csv_read csv = read_csv(csv_body.body);
    REQUIRE_FALSE(csv.error_line);
    const auto ranking = csv_section(csv, 0);
    REQUIRE(ranking.size() == rows.size() + 2);
    for (std::size_t at = 0; at < rows.size(); ++at) {
      CHECK(ranking[at + 1].fields[1] == rows[at].at("code").as_string());
      checker.text_row(ranking[0].fields, ranking[at + 1].fields, expected(rows[at]), "");
    }
    checker.text_row(ranking[0].fields, ranking.back().fields, scope, "");
    const auto open = csv_section(csv, csv_record_after(csv, "社会公众参与情况"));
    REQUIRE(open.size() == public_rows.size() + 2);
    for (std::size_t at = 0; at < public_rows.size(); ++at) {
      checker.text_row(open[0].fields, open[at + 1].fields, expected(public_rows[at]), "");
    }
    const auto problems = csv.records.at(csv_record_after(csv, "职工人数异常的单位") + 1).fields;
    CHECK(problems == std::vector<std::string>{"U9901", "乙县示范企业", "测试乙县", "1", "2"});

    const std::string html =
        fixture.client
            .get(bulletin_path("640100", "county", "html") + "&detail=full", fixture.office)
            .body;
    const auto html_ranking = html_table(html, 0);
    REQUIRE(html_ranking.size() == rows.size() + 2);
    for (std::size_t at = 0; at < rows.size(); ++at) {
      CHECK(html_ranking[at + 1][1] == rows[at].at("code").as_string());
      checker.text_row(html_ranking[0], html_ranking[at + 1], expected(rows[at]), "—");
    }
    checker.text_row(html_ranking[0], html_ranking.back(), scope, "—");
    const auto html_public = html_table(html, 1);
    REQUIRE(html_public.size() == public_rows.size() + 2);
    for (std::size_t at = 0; at < public_rows.size(); ++at) {
      checker.text_row(html_public[0], html_public[at + 1], expected(public_rows[at]), "—");
    }
    CHECK(html.find("<td>U9901</td><td>乙县示范企业</td><td>测试乙县</td><td>1</td><td>2</td>") !=
          std::string::npos);

    const std::string xlsx =
        fixture.client.get(bulletin_path("640100", "county", "xlsx"), fixture.office).body;
    const auto sheet = xlsx_sheet_cells(xlsx, 1);
    const auto header = std::find_if(sheet.begin(), sheet.end(), [](const auto& cells) {
      return !cells.empty() && cells[0] == "排名";
    });
    REQUIRE(header != sheet.end());
    REQUIRE(static_cast<std::size_t>(sheet.end() - header) == rows.size() + 2);
    for (std::size_t at = 0; at < rows.size(); ++at) {
      const auto& cells = *(header + static_cast<std::ptrdiff_t>(at) + 1);
      CHECK(cells.at(1) == rows[at].at("code").as_string());
      figure_checker::xlsx_row(*header, cells, expected(rows[at]));
    }
    figure_checker::xlsx_row(*header, sheet.back(), scope);
    const auto open_sheet = xlsx_sheet_cells(xlsx, 3);
    REQUIRE(open_sheet.size() == public_rows.size() + 2);
    for (std::size_t at = 0; at < public_rows.size(); ++at) {
      figure_checker::xlsx_row(open_sheet[0], open_sheet[at + 1], expected(public_rows[at]));
    }
    const auto problem_sheet = xlsx_sheet_cells(xlsx, 4);
    REQUIRE(problem_sheet.size() == 2);
    CHECK(problem_sheet[1].at(0) == "U9901");
  }
}

namespace {

// A row's value under rank_by=rate: its completion rate when it has a target, else its 参与率.
std::optional<double> rate_value_of(const json::value& row) {
  for (const char* key : {"target_rate", "participation_rate"}) {
    if (!row.at(key).is_null()) {
      return row.at(key).to_number<double>();
    }
  }
  return std::nullopt;
}

// Every row's rank is 1 + the rows with a higher rate; a row without one is unranked (0).
void check_rate_ranks(const json::array& rows) {
  for (const auto& row : rows) {
    CAPTURE(json::serialize(row));
    const auto value = rate_value_of(row);
    if (!value) {
      CHECK(row.at("rank") == 0);
      continue;
    }
    const auto above = std::count_if(rows.begin(), rows.end(), [&](const json::value& other) {
      const auto theirs = rate_value_of(other);
      return theirs && *theirs > *value;
    });
    CHECK(row.at("rank").as_int64() == above + 1);
  }
}

}  // namespace

TEST_CASE("targets, ranking by rate and a comparison day: the same numbers in every format",
          "[figures]") {
  figures_fixture fixture;
  const auto targets_file = fixture.server.data_dir() / "targets.csv";
  const auto import = [&](const std::string& content, const std::string& flags = "") {
    std::ofstream(targets_file) << content;
    return fixture.server.admin("targets import " + flags + " '" + targets_file.string() + "'");
  };
  const auto county_bulletin = [&](const std::string& extra) {
    return fixture.get_json(bulletin_path("640100", "county", "json") + extra).as_object();
  };

  // A bad file changes nothing, and names every bad line.
  const auto [bad_status, bad_output] =
      import("region_code,target\n640198,4\n649999,5\n640199,x\n640198,3\n640100,0\n");
  CHECK(bad_status != 0);
  for (const char* line :
       {"targets.csv:3:", "targets.csv:4:", "targets.csv:5:", "targets.csv:6:"}) {
    CHECK(bad_output.find(line) != std::string::npos);
  }
  CHECK(bad_output.find("targets.csv:2:") == std::string::npos);
  CHECK(import("region_code,target\n640198,4\n", "--dry-run").first == 0);
  CHECK(row_with_code(county_bulletin("").at("rows"), "640198").at("target").is_null());

  REQUIRE(import("region_code,target\n640198,4\n640199,10\n640100,20\n").first == 0);
  const std::string ranked = "&rank_by=rate&compare_to=2021-06-16";
  const auto report = county_bulletin(ranked);
  CHECK(report.at("rank_by") == "rate");
  CHECK(report.at("compare_to") == "2021-06-16");
  const auto& rows = report.at("rows").as_array();
  const auto& crowded = row_with_code(report.at("rows"), "640198");
  CHECK(crowded.at("target") == 4);
  CHECK(crowded.at("target_rate").as_double() == Approx(6.0 / 4.0));
  CHECK(crowded.at("new_participants") == 1);  // 13900000010 joined on the second day
  const auto& short_unit = row_with_code(report.at("rows"), "640199");
  CHECK(short_unit.at("target_rate").as_double() == Approx(0.3));
  CHECK(short_unit.at("new_participants") == 0);
  check_rate_ranks(rows);
  CHECK(rows.at(0).at("code") == "640198");
  CHECK(report.at("totals").at("target") == 20);
  CHECK(report.at("totals").at("target_rate").as_double() ==
        Approx(report.at("totals").at("participants").to_number<double>() / 20.0));

  // Movement: each row against the same bulletin up to the comparison day.
  const auto earlier = fixture.get_json(
      bulletin_path("640100", "county", "json", from, "2021-06-16") + "&rank_by=rate");
  for (const auto& row : rows) {
    const auto& then = row_with_code(earlier.at("rows"), row.at("code").as_string());
    CAPTURE(json::serialize(row), json::serialize(then));
    if (then.at("rank") == 0) {
      CHECK(row.at("previous_rank").is_null());
      continue;
    }
    CHECK(row.at("previous_rank") == then.at("rank"));
    if (row.at("rank") != 0) {
      CHECK(row.at("rank_change").as_int64() ==
            then.at("rank").as_int64() - row.at("rank").as_int64());
    }
    CHECK(row.at("new_participants").as_int64() ==
          row.at("participants").as_int64() - then.at("participants").as_int64());
  }

  // CSV, HTML and XLSX: the JSON's rows, in its order, cell for cell.
  figure_checker checker;
  const auto path = [&](const std::string& format) {
    return bulletin_path("640100", "county", format) + ranked;
  };
  const csv_read csv = read_csv(fixture.client.get(path("csv"), fixture.office).body);
  REQUIRE_FALSE(csv.error_line);
  const auto csv_rows = csv_section(csv, 0);
  REQUIRE(csv_rows.size() == rows.size() + 2);
  const auto html_rows =
      html_table(fixture.client.get(path("html") + "&detail=full", fixture.office).body, 0);
  REQUIRE(html_rows.size() == rows.size() + 2);
  const auto sheet = xlsx_sheet_cells(fixture.client.get(path("xlsx"), fixture.office).body, 1);
  const auto header = std::find_if(sheet.begin(), sheet.end(), [](const auto& cells) {
    return !cells.empty() && cells[0] == "排名";
  });
  REQUIRE(static_cast<std::size_t>(sheet.end() - header) == rows.size() + 2);
  for (std::size_t at = 0; at < rows.size(); ++at) {
    const auto& row = rows[at].as_object();
    CHECK(csv_rows[at + 1].fields[1] == row.at("code").as_string());
    checker.text_row(csv_rows[0].fields, csv_rows[at + 1].fields, row, "");
    checker.text_row(html_rows[0], html_rows[at + 1], row, "—");
    figure_checker::xlsx_row(*header, *(header + static_cast<std::ptrdiff_t>(at) + 1), row);
  }
  checker.text_row(csv_rows[0].fields, csv_rows.back().fields, report.at("totals").as_object(), "");

  // Bad options are the catalogue's 400.
  for (const char* bad : {"&rank_by=speed", "&compare_to=2021-06-17", "&compare_to=2021-05-01",
                          "&compare_to=yesterday"}) {
    CAPTURE(bad);
    CHECK(fixture.client.get(bulletin_path("640100", "county", "json") + bad, fixture.office)
              .status == 400);
  }
}

TEST_CASE("a sector's bulletin counts only that sector's units", "[figures]") {
  figures_fixture fixture;
  // Both test units are of sector 其他 (so are some demo units of 640104); people without a
  // unit belong to no sector.
  const std::string other = "&sector=%E5%85%B6%E4%BB%96";
  const auto all = fixture.get_json(bulletin_path("640100", "county", "json")).as_object();
  const auto sector =
      fixture.get_json(bulletin_path("640100", "county", "json") + other).as_object();
  CHECK(sector.at("sector") == "其他");
  const auto& crowded = row_with_code(sector.at("rows"), "640198");
  CHECK(crowded.at("participants_with_unit") == 1);
  CHECK(crowded.at("participants_public") == 0);
  CHECK(crowded.at("headcount") == 3);
  CHECK(row_with_code(sector.at("rows"), "640199").at("participants_with_unit") == 2);
  CHECK(sector.at("public").at("totals").at("participants_public") == 0);
  std::int64_t with_unit = 0;
  for (const auto& row : sector.at("rows").as_array()) {
    with_unit += row.at("participants_with_unit").as_int64();
    CHECK(row.at("participants_with_unit").as_int64() <=
          row_with_code(all.at("rows"), row.at("code").as_string())
              .at("participants_with_unit")
              .as_int64());
  }
  CHECK(sector.at("totals").at("participants") == with_unit);
  CHECK(all.at("totals").at("participants").as_int64() > with_unit);
  const auto units = fixture.get_json(bulletin_path("640198", "unit", "json") + other).as_object();
  REQUIRE(units.at("rows").as_array().size() == 1);
  CHECK(units.at("rows").at(0).at("code") == "U9801");
  const auto none = fixture
                        .get_json(bulletin_path("640198", "unit", "json") +
                                  "&sector=%E7%9F%BF%E5%B1%B1")  // 矿山: no such unit there
                        .as_object();
  CHECK(none.at("rows").as_array().empty());
  CHECK(none.at("totals").at("participants") == 0);
}

namespace {

// The text of a PDF, through poppler's pdftotext (a reader the server does not use).
std::string pdf_text(const std::filesystem::path& directory, const std::string& bytes) {
  const auto pdf = directory / "bulletin.pdf";
  const auto text = directory / "bulletin.txt";
  std::ofstream(pdf, std::ios::binary) << bytes;
  const std::string command = "pdftotext -layout '" + pdf.string() + "' '" + text.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream in(text);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fixture_options issuing_office() {
  fixture_options options;
  options.extra_tables = R"(
[bulletin]
issuer = "宁夏回族自治区安全生产委员会办公室"
copy_to = ["应急管理部宣传教育中心", "各市安委办"]
)";
  return options;
}

}  // namespace

TEST_CASE("the issued bulletin: title, summary, every level, issuer and date, as HTML and PDF",
          "[figures]") {
  figures_fixture fixture(issuing_office());
  const auto report = fixture.get_json(bulletin_path("640000", "county", "json")).as_object();
  const std::string title = "关于“测测你的安全力”网络竞赛参与情况的通报（截至6月17日9时）";

  const auto html = fixture.client.get(bulletin_path("640000", "county", "html"), fixture.office);
  REQUIRE(html.status == 200);
  CHECK(html.body.find("<h1>" + title + "</h1>") != std::string::npos);
  CHECK(html.body.find("宁夏回族自治区共有" +
                       std::to_string(report.at("totals").at("participants").as_int64()) +
                       "人参与竞赛") != std::string::npos);
  CHECK(html.body.find("各市参与情况") != std::string::npos);            // the cities first,
  CHECK(html.body.find("各县（市、区）参与情况") != std::string::npos);  // then the counties
  CHECK(html.body.find("宁夏回族自治区安全生产委员会办公室") != std::string::npos);
  CHECK(html.body.find("二〇二一年六月十七日") != std::string::npos);
  CHECK(html.body.find("抄送：应急管理部宣传教育中心，各市安委办。") != std::string::npos);
  // The circulation form: no codes, no internal columns.
  CHECK(html.body.find("640198") == std::string::npos);
  CHECK(html.body.find("疑似机器答题") == std::string::npos);
  const auto full = fixture.client.get(bulletin_path("640000", "county", "html") + "&detail=full",
                                       fixture.office);
  CHECK(full.body.find("<td>640198</td>") != std::string::npos);
  CHECK(full.body.find("疑似机器答题") != std::string::npos);

  const auto pdf = fixture.client.get(bulletin_path("640000", "county", "pdf"), fixture.office);
  REQUIRE(pdf.status == 200);
  CHECK(pdf.body.rfind("%PDF-", 0) == 0);
  CHECK(pdf.header("Content-Type") == "application/pdf");
  CHECK(pdf.header("Content-Disposition").find("-county.pdf\"") != std::string::npos);
  const std::string text = pdf_text(fixture.server.data_dir(), pdf.body);
  CHECK(text.find("测测你的安全力") != std::string::npos);
  CHECK(text.find("截至6月17日9时") != std::string::npos);
  CHECK(text.find("二〇二一年六月十七日") != std::string::npos);
  // Every county's participants as the JSON has them, on the county's line.
  for (const auto& row : report.at("rows").as_array()) {
    const std::string name{row.at("name").as_string()};
    const auto line_at = text.find(name);
    REQUIRE(line_at != std::string::npos);
    const std::string line = text.substr(line_at, text.find('\n', line_at) - line_at);
    CAPTURE(line);
    CHECK(line.find(" " + std::to_string(row.at("participants").as_int64()) + " ") !=
          std::string::npos);
  }
}

TEST_CASE("a sector-scoped account sees only its sector's bulletin", "[figures]") {
  figures_fixture fixture;
  REQUIRE(fixture.server
              .admin("admins add --username mines --region 640100 --sector 矿山",
                     office_password + "\n")
              .first == 0);
  const auto login = fixture.client.post(
      "/api/v1/admin/login", json::object{{"username", "mines"}, {"password", office_password}});
  REQUIRE(login.status == 200);
  const std::string mines{login.json().at("token").as_string()};
  const auto me = fixture.client.get("/api/v1/admin/me", mines);
  REQUIRE(me.status == 200);
  CHECK(me.json().at("sector") == "矿山");
  CHECK(fixture.get_json("/api/v1/admin/me").at("sector").is_null());
  // Its bulletin is of 矿山 whatever sector= asks for: no test unit is of that sector.
  for (const std::string asked : {"", "&sector=%E5%85%B6%E4%BB%96"}) {
    const auto response =
        fixture.client.get(bulletin_path("640198", "unit", "json") + asked, mines);
    REQUIRE(response.status == 200);
    const auto report = response.json().as_object();
    CHECK(report.at("sector") == "矿山");
    CHECK(report.at("rows").as_array().empty());
    CHECK(report.at("totals").at("participants") == 0);
  }
  // The unscoped account still sees the unit.
  CHECK(fixture.get_json(bulletin_path("640198", "unit", "json")).at("rows").as_array().size() ==
        1);
}
