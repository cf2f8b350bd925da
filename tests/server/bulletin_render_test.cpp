// The bulletin renderers on a small bulletin whose names try formula injection, CSV quoting and
// HTML injection. The CSV is read back with the importers' RFC 4180 reader, and the XLSX is
// opened with the tests' minimal zip reader (tests/support/xlsx_reader) to look inside its parts.
#include "server/report/bulletin_render.hpp"

#include "server/report/bulletin_document.hpp"
#include "server/report/bulletin_pdf.hpp"
#include "server/report/official_date.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "question_bank/csv_records.hpp"
#include "tests/support/temporary_directory.hpp"
#include "tests/support/xlsx_reader.hpp"

using namespace anquanli;
using namespace std::chrono_literals;

namespace {

bulletin_row make_row(int rank, std::string code, std::string name, std::int64_t participants) {
  bulletin_row row;
  row.rank = rank;
  row.code = std::move(code);
  row.name = std::move(name);
  row.parent_name = "银川市";
  row.participants = participants;
  row.participants_with_unit = participants;
  row.attempts = participants * 3;
  row.attempts_with_unit = participants * 3;
  row.points = participants * 40;
  return row;
}

// Units at level unit: one ordinary, four formula attempts, one needing quotes, one with HTML.
bulletin sample_bulletin() {
  bulletin report;
  report.title = "测测你的安全力 参与情况通报";
  report.scope_code = "640100";
  report.scope_name = "银川市";
  report.from = day_key{std::chrono::year{2021} / 6 / 1};
  report.to = day_key{std::chrono::year{2021} / 6 / 15};
  report.level = bulletin_level::unit;
  report.generated_at = instant{std::chrono::sys_days{std::chrono::year{2021} / 6 / 16} + 1h};
  report.rows.push_back(make_row(1, "U001", "宁夏示范化工有限公司", 40));
  report.rows.back().headcount = 320;
  report.rows.back().participation_rate = 0.125;
  report.rows.back().average_correct_rate = 0.8766;
  report.rows.push_back(make_row(2, "U002", "=1+1", 9));
  report.rows.push_back(make_row(2, "U003", "-2", 9));
  report.rows.push_back(make_row(4, "U004", "@x", 5));
  report.rows.push_back(make_row(5, "U005", "+x", 4));
  report.rows.push_back(make_row(6, "U006", "甲,\"乙\"公司", 3));
  report.rows.push_back(make_row(7, "U007", "<script>alert('x')</script>", 1));
  report.totals = make_row(0, "", "合计", 71);
  report.totals.parent_name.clear();
  report.totals.headcount = 320;
  report.totals.participation_rate = 0.221875;
  // The people without a unit, ranked by county: one name tries a formula, one HTML.
  report.totals.participants_public = 5;
  report.totals.attempts_public = 6;
  report.totals.participants += 5;
  report.totals.attempts += 6;
  report.public_participation.level = bulletin_level::county;
  report.public_participation.rows = {{1, "640104", "=兴庆区", "银川市", 4, 5, 60},
                                      {2, "640105", "<b>西夏区</b>", "银川市", 1, 1, 3}};
  report.public_participation.totals = {0, "", "合计", "", 5, 6, 63};
  report.zero_participation.push_back({"U100", "银川市\t某单位", "兴庆区", 12});
  report.zero_participation.push_back({"U101", "=HYPERLINK(\"http://x\")", "金凤区", 8});
  // A unit whose headcount is lower than its participants: capped, flagged and listed.
  report.rows[3].headcount = 2;
  report.rows[3].participation_rate = 1.0;
  report.rows[3].rate_capped = true;
  report.headcount_problems.push_back({"U004", "@x", "兴庆区", 2, 5});
  return report;
}

// Points TMPDIR at a directory for the lifetime of this object.
class scoped_tmpdir {
 public:
  explicit scoped_tmpdir(const std::filesystem::path& dir) {
    if (const char* old = std::getenv("TMPDIR"); old != nullptr) {
      previous_ = old;
    }
    ::setenv("TMPDIR", dir.c_str(), 1);
  }
  scoped_tmpdir(const scoped_tmpdir&) = delete;
  scoped_tmpdir& operator=(const scoped_tmpdir&) = delete;
  ~scoped_tmpdir() {
    if (previous_) {
      ::setenv("TMPDIR", previous_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }

 private:
  std::optional<std::string> previous_;
};

}  // namespace

TEST_CASE("the CSV starts with a BOM and the Chinese header", "[bulletin]") {
  const std::string csv = bulletin_csv(sample_bulletin());
  CHECK(csv.rfind("\xEF\xBB\xBF排名,编码,单位,上级地区,参与人数,参与人次,积分,职工人数,参与率,"
                  "平均正确率,疑似机器答题,干部职工参与人数,干部职工参与人次,社会公众参与人数,"
                  "社会公众参与人次,参与率已封顶,任务数,完成率,上次排名,排名变化,新增人数\r\n",
                  0) == 0);
  bulletin by_county = sample_bulletin();
  by_county.level = bulletin_level::county;
  CHECK(bulletin_csv(by_county).rfind("\xEF\xBB\xBF排名,编码,地区,", 0) == 0);
}

TEST_CASE("CSV cells that could start a formula get a leading quote", "[bulletin]") {
  const std::string csv = bulletin_csv(sample_bulletin());
  CHECK(csv.find("\r\n2,U002,'=1+1,银川市,9,27,360,,,,0,9,27,0,0,,,,,,\r\n") != std::string::npos);
  CHECK(csv.find(",'-2,") != std::string::npos);
  CHECK(csv.find(",'@x,") != std::string::npos);
  CHECK(csv.find(",'+x,") != std::string::npos);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
  CHECK(csv.find(",=") == std::string::npos);
  CHECK(csv.find(",-") == std::string::npos);
}

TEST_CASE("CSV quoting follows RFC 4180 and reads back cell for cell", "[bulletin]") {
  const std::string csv = bulletin_csv(sample_bulletin());
  CHECK(csv.find(",\"甲,\"\"乙\"\"公司\",") != std::string::npos);
  CHECK(csv.find("\n\n") == std::string::npos);  // every line ends in CRLF
  const csv_read read = read_csv(csv);
  REQUIRE_FALSE(read.error_line);
  // Empty lines are no records: ranking, 未参与单位, 社会公众参与情况, 职工人数异常的单位.
  REQUIRE(read.records.size() == (1 + 7 + 1) + (1 + 1 + 2) + (1 + 1 + 2 + 1) + (1 + 1 + 1));
  CHECK(read.records[2].fields[2] == "'=1+1");
  CHECK(read.records[6].fields[2] == "甲,\"乙\"公司");
  CHECK(read.records[7].fields[2] == "<script>alert('x')</script>");
  CHECK(read.records[11].fields ==
        std::vector<std::string>{"U100", "银川市\t某单位", "兴庆区", "12"});
  CHECK(read.records[12].fields[1] == "'=HYPERLINK(\"http://x\")");
  CHECK(read.records[14].fields == std::vector<std::string>{"排名", "编码", "地区", "上级地区",
                                                            "社会公众参与人数", "社会公众参与人次",
                                                            "社会公众积分"});
  CHECK(read.records[15].fields ==
        std::vector<std::string>{"1", "640104", "'=兴庆区", "银川市", "4", "5", "60"});
  CHECK(read.records[17].fields == std::vector<std::string>{"合计", "", "", "", "5", "6", "63"});
  CHECK(read.records[19].fields ==
        std::vector<std::string>{"编码", "单位", "所在地区", "职工人数", "干部职工参与人数"});
  CHECK(read.records[20].fields == std::vector<std::string>{"U004", "'@x", "兴庆区", "2", "5"});
}

TEST_CASE("the CSV has percentages a totals row and the zero participation section", "[bulletin]") {
  const std::string csv = bulletin_csv(sample_bulletin());
  CHECK(csv.find("\r\n1,U001,宁夏示范化工有限公司,银川市,40,120,1600,320,12.5%,87.7%,0,40,120,0,0,"
                 ",,,,,\r\n") != std::string::npos);
  CHECK(csv.find("\r\n4,U004,'@x,银川市,5,15,200,2,100.0%,,0,5,15,0,0,是,,,,,\r\n") !=
        std::string::npos);
  CHECK(csv.find("\r\n合计,,,,76,219,2840,320,22.2%,,0,71,213,5,6,,,,,,\r\n") != std::string::npos);
  CHECK(csv.find("\r\n\r\n未参与单位\r\n编码,单位,所在地区,职工人数\r\nU100,") !=
        std::string::npos);
  CHECK(csv.substr(csv.size() - 2) == "\r\n");
}

TEST_CASE("a tab or CR at the start of a CSV cell is neutralised too", "[bulletin]") {
  bulletin report = sample_bulletin();
  report.rows[0].name = "\tcmd";
  report.rows[1].name = "\rcmd";
  const std::string csv = bulletin_csv(report);
  CHECK(csv.find(",'\tcmd,") != std::string::npos);
  CHECK(csv.find(",\"'\rcmd\",") != std::string::npos);
}

TEST_CASE("the XLSX is a zip with every sheet and names as shared strings", "[bulletin]") {
  const test::temporary_directory dir;
  const scoped_tmpdir tmpdir(dir.path());
  const std::string xlsx = bulletin_xlsx(sample_bulletin());
  CHECK(std::filesystem::is_empty(dir.path()));  // the temporary file is gone
  REQUIRE(xlsx.rfind("PK\x03\x04", 0) == 0);
  CHECK(xlsx.find("xl/workbook.xml") != std::string::npos);
  CHECK(xlsx.find("xl/worksheets/sheet1.xml") != std::string::npos);
  CHECK(xlsx.find("xl/worksheets/sheet2.xml") != std::string::npos);
  const auto workbook = test::zip_entry(xlsx, "xl/workbook.xml");
  REQUIRE(workbook);
  CHECK(workbook->find("name=\"通报\"") != std::string::npos);
  CHECK(workbook->find("name=\"未参与单位\"") != std::string::npos);
  CHECK(workbook->find("name=\"社会公众\"") != std::string::npos);
  CHECK(workbook->find("name=\"职工人数异常\"") != std::string::npos);
  const auto strings = test::zip_entry(xlsx, "xl/sharedStrings.xml");
  REQUIRE(strings);
  CHECK(strings->find("宁夏示范化工有限公司") != std::string::npos);
  CHECK(strings->find("<t>=1+1</t>") != std::string::npos);
  CHECK(strings->find("统计期间：2021-06-01 至 2021-06-15") != std::string::npos);
  CHECK(strings->find("生成时间：2021年6月16日 09:00") != std::string::npos);
  CHECK(strings->find("<t>=兴庆区</t>") != std::string::npos);
  CHECK(strings->find("<t>干部职工参与人数</t>") != std::string::npos);
  CHECK(strings->find("<t>参与率已封顶</t>") != std::string::npos);
  const auto sheet = test::zip_entry(xlsx, "xl/worksheets/sheet1.xml");
  REQUIRE(sheet);
  CHECK(sheet->find("<f>") == std::string::npos);  // no formulas at all
  CHECK(sheet->find("<mergeCell ref=\"A1:U1\"/>") != std::string::npos);
  CHECK(sheet->find("state=\"frozen\"") != std::string::npos);
}

TEST_CASE("a libxlsxwriter error throws and still removes the temporary file", "[bulletin]") {
  const test::temporary_directory dir;
  const scoped_tmpdir tmpdir(dir.path());
  bulletin report = sample_bulletin();
  report.rows[0].name.assign(40000, 'x');  // beyond Excel's 32767 characters a cell
  CHECK_THROWS_AS(bulletin_xlsx(report), std::runtime_error);
  CHECK(std::filesystem::is_empty(dir.path()));
  const scoped_tmpdir missing(dir.path() / "missing");
  CHECK_THROWS_AS(bulletin_xlsx(sample_bulletin()), std::runtime_error);
}

TEST_CASE("the HTML page escapes names and carries no script or inline style", "[bulletin]") {
  const std::string html = bulletin_document_html(
      make_bulletin_document({sample_bulletin()}, bulletin_issue{}, "测测你的安全力", true));
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("<link rel=\"stylesheet\" href=\"/print.css\">") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("甲,&quot;乙&quot;公司") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<style") == std::string::npos);
  CHECK(html.find("style=") == std::string::npos);
  CHECK(html.find("<time datetime=\"2021-06-01\">6月1日</time>至") != std::string::npos);
  CHECK(html.find("<time datetime=\"2021-06-16T09:00:00+08:00\">") != std::string::npos);
  CHECK(html.find("<tfoot>\n<tr><th scope=\"row\">合计</th>") != std::string::npos);
  CHECK(html.find("<td>12.5%</td>") != std::string::npos);
  CHECK(html.find("<h2>未参与单位</h2>") != std::string::npos);
  CHECK(html.find("<td>U101</td>") != std::string::npos);
  CHECK(html.find("<h2>社会公众参与情况</h2>") != std::string::npos);
  CHECK(html.find("<td>&lt;b&gt;西夏区&lt;/b&gt;</td>") != std::string::npos);
  CHECK(html.find("<h2>职工人数异常的单位</h2>") != std::string::npos);
  CHECK(html.find("<td>100.0%</td>") != std::string::npos);
  CHECK(html.find("<td>是</td>") != std::string::npos);
  CHECK(html.substr(html.size() - 8) == "</html>\n");
}

TEST_CASE("the JSON has every field with null for unknown rates", "[bulletin]") {
  const boost::json::value value = bulletin_json(sample_bulletin());
  const auto& body = value.as_object();
  CHECK(body.at("title") == "测测你的安全力 参与情况通报");
  CHECK(body.at("scope") == boost::json::object{{"code", "640100"}, {"name", "银川市"}});
  CHECK(body.at("from") == "2021-06-01");
  CHECK(body.at("to") == "2021-06-15");
  CHECK(body.at("level") == "unit");
  CHECK(body.at("generated_at") == "2021-06-16T09:00:00+08:00");
  const auto& rows = body.at("rows").as_array();
  REQUIRE(rows.size() == 7);
  CHECK(rows[0].at("rank") == 1);
  CHECK(rows[0].at("parent") == "银川市");
  CHECK(rows[0].at("headcount") == 320);
  CHECK(rows[0].at("participation_rate") == 0.125);
  CHECK(rows[1].at("name") == "=1+1");  // JSON carries the names as they are
  CHECK(rows[1].at("headcount").is_null());
  CHECK(rows[1].at("participation_rate").is_null());
  CHECK(rows[1].at("average_correct_rate").is_null());
  const auto& totals = body.at("totals").as_object();
  CHECK_FALSE(totals.contains("rank"));
  CHECK(totals.at("average_correct_rate").is_null());
  CHECK(totals.at("participants_with_unit") == 71);
  CHECK(totals.at("participants_public") == 5);
  CHECK(totals.at("participants") == 76);
  CHECK(rows[3].at("rate_capped") == true);
  CHECK(rows[3].at("participation_rate") == 1.0);
  CHECK(rows[0].at("rate_capped") == false);
  const auto& open = body.at("public").as_object();
  CHECK(open.at("level") == "county");
  CHECK(open.at("rows").as_array()[0] == boost::json::object{{"rank", 1},
                                                             {"code", "640104"},
                                                             {"name", "=兴庆区"},
                                                             {"parent", "银川市"},
                                                             {"participants_public", 4},
                                                             {"attempts_public", 5},
                                                             {"points_public", 60}});
  CHECK(open.at("totals").at("participants_public") == 5);
  CHECK(body.at("headcount_problems").as_array()[0] ==
        boost::json::object{{"id", "U004"},
                            {"name", "@x"},
                            {"region", "兴庆区"},
                            {"headcount", 2},
                            {"participants_with_unit", 5}});
  CHECK(body.at("zero_participation").as_array()[1] ==
        boost::json::object{{"id", "U101"},
                            {"name", "=HYPERLINK(\"http://x\")"},
                            {"region", "金凤区"},
                            {"headcount", 8}});
}

TEST_CASE("dates as an official document writes them", "[bulletin]") {
  const auto day = [](const char* text) { return parse_day_key(text).value(); };
  CHECK(official_date(day("2021-06-16")) == "二〇二一年六月十六日");
  CHECK(official_date(day("2021-10-01")) == "二〇二一年十月一日");
  CHECK(official_date(day("2020-12-31")) == "二〇二〇年十二月三十一日");
  CHECK(official_date(day("2021-06-20")) == "二〇二一年六月二十日");
  CHECK(official_date(day("2021-06-10")) == "二〇二一年六月十日");
  const instant morning = parse_rfc3339("2021-06-16T09:42:00+08:00").value();
  CHECK(as_of_text(day("2021-06-15"), morning, china_standard_time) == "6月15日24时");
  CHECK(as_of_text(day("2021-06-16"), morning, china_standard_time) == "6月16日9时");
  CHECK(as_of_text(day("2021-06-30"), morning, china_standard_time) == "6月16日9时");
  CHECK(readable_moment(morning, china_standard_time) == "2021年6月16日 09:42");
}

TEST_CASE("the issued document shows every level from the first below its scope", "[bulletin]") {
  using enum bulletin_level;
  CHECK(document_levels(1, unit) == std::vector<bulletin_level>{city, county, unit});
  CHECK(document_levels(1, city) == std::vector<bulletin_level>{city});
  CHECK(document_levels(2, unit) == std::vector<bulletin_level>{county, unit});
  CHECK(document_levels(2, city) == std::vector<bulletin_level>{city});
  CHECK(document_levels(3, county) == std::vector<bulletin_level>{county});
  CHECK(document_levels(3, unit) == std::vector<bulletin_level>{unit});
}

TEST_CASE("the issued document's title, summary, signature and circulation columns", "[bulletin]") {
  bulletin_issue issue;
  issue.issuer = "宁夏回族自治区安全生产委员会办公室";
  issue.copy_to = {"各市安委办"};
  const bulletin_document document =
      make_bulletin_document({sample_bulletin()}, issue, "测测你的安全力", false);
  CHECK(document.title == "关于“测测你的安全力”网络竞赛参与情况的通报（截至6月15日24时）");
  CHECK(document.issued_on == "二〇二一年六月十六日");
  CHECK(document.summary.rfind("截至6月15日24时，银川市共有", 0) == 0);
  const std::string html = bulletin_document_html(document);
  CHECK(html.find("<p class=\"issuer\">宁夏回族自治区安全生产委员会办公室</p>") !=
        std::string::npos);
  CHECK(html.find("抄送：各市安委办。") != std::string::npos);
  CHECK(html.find("疑似机器答题") == std::string::npos);
  CHECK(html.find("<th scope=\"col\">编码</th>") == std::string::npos);
  CHECK(html.find("职工人数异常的单位") == std::string::npos);
  const std::string pdf = bulletin_document_pdf(document);
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(pdf.size() > 1000);
}

TEST_CASE("a PDF of hundreds of units runs over pages, each with the table's header",
          "[bulletin]") {
  bulletin report = sample_bulletin();
  report.rows.clear();
  for (int at = 1; at <= 400; ++at) {
    report.rows.push_back(make_row(at, "U" + std::to_string(1000 + at),
                                   "第" + std::to_string(at) + "号示范单位", 400 - at));
  }
  const std::string pdf = bulletin_document_pdf(
      make_bulletin_document({report}, bulletin_issue{}, "测测你的安全力", false));
  const test::temporary_directory dir;
  const auto file = dir.path() / "long.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  const auto text_file = dir.path() / "long.txt";
  REQUIRE(std::system(
              ("pdftotext -layout '" + file.string() + "' '" + text_file.string() + "'").c_str()) ==
          0);
  std::ifstream in(text_file);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto pages = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\f'));
  CHECK(pages >= 5);
  std::size_t headers = 0;
  for (auto at = text.find("上级地区"); at != std::string::npos;
       at = text.find("上级地区", at + 1)) {
    ++headers;
  }
  CHECK(headers >=
        pages);  // the header row again on every page of the ranking (and its public table)
  CHECK(text.find("第400号示范单位") != std::string::npos);
}
