// Issue 7, row "injection": hostile text in every field a phone or the operator can send (SQL
// fragments, markup, spreadsheet formulas, control characters, NUL, invalid UTF-8, a lone
// surrogate, 10,000 characters) must be stored verbatim or refused with a clean 4xx and a JSON
// error, never executed and never a crash. The office's CSV exports must never start a cell with
// = + - @ TAB or CR, and its HTML must never carry the hostile markup raw. Everything runs against
// the real server binary and the real admin tool, because the bugs this hunts live in the seams
// between parsing, SQL, storage and rendering.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <set>

#include "question_bank/question_validation.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

// One hostile value: `raw` is the bytes a file or a query string carries, `literal` the JSON text
// a request body or a JSON Lines file carries. For the lone surrogate the literal is the \ud800
// escape, which has no UTF-8 form; `raw` is then its CESU-8 bytes.
struct hostile_value {
  std::string label;
  std::string raw;
  std::string literal;
};

hostile_value plain(std::string label, std::string raw) {
  std::string literal = json::serialize(json::string(raw));
  return {std::move(label), std::move(raw), std::move(literal)};
}

const std::vector<hostile_value>& hostile_values() {
  static const std::vector<hostile_value> values = {
      plain("sql quote", "'; DROP TABLE participants; --"),
      plain("sql or", "\" OR 1=1 --"),
      plain("sql union", "x' UNION SELECT phone_sealed FROM participants --"),
      plain("script", "<script>alert(1)</script>"),
      plain("formula", "=HYPERLINK(\"http://x\")"),
      plain("plus", "+1"),
      plain("minus", "-1"),
      plain("at", "@SUM(1)"),
      plain("tab formula", "\t=1"),
      plain("cr formula", "\r=1"),
      plain("header break", "a\r\nSet-Cookie: x=1"),
      plain("control characters", "\x01\x1b\x7f"),
      plain("nul", std::string("a\0b", 3)),
      {"invalid utf-8", "\xff\xfe", "\"\xff\xfe\""},
      {"overlong utf-8", "\xc0\xaf", "\"\xc0\xaf\""},
      {"lone surrogate", "\xed\xa0\x80", "\"\\ud800\""},
      plain("10000 characters", std::string(10000, 'A')),
  };
  return values;
}

// Sends one request; a dropped connection or a timeout comes back as status 0.
http_response send(http_client& client, std::string_view method, const std::string& target,
                   std::optional<std::string> body = std::nullopt, const std::string& token = "") {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  try {
    return client.request(method, target, std::move(body), std::move(headers));
  } catch (const std::exception&) {
    client.disconnect();
    return {};
  }
}

// The error.code of a JSON error body, or "" when the body is not one.
std::string error_code_of(const http_response& response) {
  boost::system::error_code error;
  const json::value body = json::parse(response.body, error);
  const auto* object = error ? nullptr : body.if_object();
  const auto* failure = object == nullptr ? nullptr : object->if_contains("error");
  const auto* code = failure == nullptr || !failure->is_object()
                         ? nullptr
                         : failure->get_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string{code->get_string()} : "";
}

// A clean answer: one of the expected statuses (never a 500 or a dropped connection), and an error
// is a JSON body with an error code.
void check_clean(const http_response& response, const std::set<unsigned>& allowed) {
  INFO("status " << response.status << " body " << response.body.substr(0, 300));
  CHECK(allowed.contains(response.status));
  if (response.status >= 400) {
    CHECK_FALSE(error_code_of(response).empty());
  }
}

std::int64_t count_rows(const server_fixture& server, const std::string& sql) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare(sql);
  statement.step();
  return statement.column_int64(0);
}

// The text of the first column of a one-parameter query, or nothing when there is no row.
std::optional<std::string> stored_text(const server_fixture& server, const std::string& sql,
                                       const std::string& parameter) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare(sql);
  statement.bind(1, std::string_view{parameter});
  if (statement.step() != step_result::row) {
    return std::nullopt;
  }
  return statement.column_text(0);
}

// After a sweep the server still answers and no table was dropped.
void check_still_healthy(const server_fixture& server) {
  auto client = server.client();
  CHECK(send(client, "GET", "/healthz").status == 200);
  for (const std::string table :
       {"participants", "regions", "units", "questions", "attempts", "answers", "tokens"}) {
    INFO("table " << table);
    CHECK_NOTHROW(count_rows(server, "SELECT COUNT(*) FROM " + table));
  }
}

// The statuses a GET or POST of `target` may get: `allowed`, and 431 when the target alone is
// longer than the server's 8 KiB header limit (the 10,000-character value).
std::set<unsigned> allowed_for(const std::string& target, std::set<unsigned> allowed) {
  if (target.size() > 8 * 1024) {
    allowed.insert(431);
  }
  return allowed;
}

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 && byte < 0x80) {
      encoded += c;
    } else {
      encoded.append({'%', hex[byte >> 4U], hex[byte & 0x0FU]});
    }
  }
  return encoded;
}

// What the server promises to accept as a participant's name: 1 to 32 characters of valid UTF-8,
// no control characters, not only spaces.
bool acceptable_name(const std::string& text) {
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  });
  const bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  return characters >= 1 && characters <= 32 && is_valid_utf8(text) && !has_control &&
         text.find_first_not_of(' ') != std::string::npos;
}

std::string first_unit(http_client& client, const std::string& region) {
  const auto units = client.get("/api/v1/units?limit=1&region=" + region).json();
  return std::string{units.at("items").as_array().at(0).at("id").as_string()};
}

http_response put_profile(http_client& client, const std::string& token,
                          const std::string& name_literal, const std::string& region_literal,
                          const std::string& unit_literal) {
  return send(client, "PUT", "/api/v1/me",
              "{\"name\":" + name_literal + ",\"region\":" + region_literal +
                  ",\"unit_id\":" + unit_literal + "}",
              token);
}

// An office account for the whole province, signed in; returns its token.
std::string office_token(const server_fixture& server, http_client& client) {
  REQUIRE(server.admin("admins add --username office --region 640000", "office-secret-1\n").first ==
          0);
  const auto login = client.post(
      "/api/v1/admin/login", json::object{{"username", "office"}, {"password", "office-secret-1"}});
  REQUIRE(login.status == 200);
  return std::string{login.json().at("token").as_string()};
}

// Every draw wins, so every participant who draws is in the winners' export.
fixture_options certain_prizes() {
  return fixture_options{
      "2021-06-16T09:00:00+08:00", "",
      "[[prizes]]\nid = \"P1\"\nname = \"安全应急包\"\ntotal = 100\nprobability = 1.0\n"};
}

}  // namespace

TEST_CASE("hostile sign-in fields are refused cleanly and lock nobody out", "[injection]") {
  server_fixture server;
  auto client = server.client();
  const std::string phone = "13911110001";
  REQUIRE(client.post("/api/v1/auth/code", json::object{{"phone", phone}}).status == 202);
  for (const auto& value : hostile_values()) {
    INFO(value.label);
    check_clean(send(client, "POST", "/api/v1/auth/code", "{\"phone\":" + value.literal + "}"),
                {400});
    check_clean(send(client, "POST", "/api/v1/auth/login",
                     "{\"phone\":" + value.literal + ",\"code\":\"123456\"}"),
                {400});
    check_clean(send(client, "POST", "/api/v1/auth/login",
                     "{\"phone\":\"" + phone + "\",\"code\":" + value.literal + "}"),
                {400, 401});
  }
  const auto login = client.post("/api/v1/auth/login",
                                 json::object{{"phone", phone}, {"code", server.last_code(phone)}});
  CHECK(login.status == 200);
  CHECK(count_rows(server, "SELECT COUNT(*) FROM participants") == 1);
  check_still_healthy(server);
}

TEST_CASE("hostile profile fields are refused or stored and returned verbatim", "[injection]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.sign_in(client, "13911110002");
  const std::string unit = "\"" + first_unit(client, "640104") + "\"";
  int stored = 0;
  for (const auto& value : hostile_values()) {
    INFO(value.label);
    const auto named = put_profile(client, token, value.literal, "\"640104\"", unit);
    check_clean(named, {200, 400});
    CHECK((named.status == 200) == acceptable_name(value.raw));
    if (named.status == 200) {
      ++stored;
      CHECK(named.json().at("name").as_string() == value.raw);
      const auto me = client.get("/api/v1/me", token);
      CHECK(me.json().at("name").as_string() == value.raw);
      CHECK(stored_text(server, "SELECT name FROM participants WHERE name = ?1", value.raw) ==
            value.raw);
    }
    check_clean(put_profile(client, token, "\"测试者\"", value.literal, unit), {400});
    check_clean(put_profile(client, token, "\"测试者\"", "\"640104\"", value.literal), {400});
  }
  CHECK(stored >= 7);  // the SQL, markup and formula names are free text a person may type
  CHECK(count_rows(server, "SELECT COUNT(*) FROM participants") == 1);
  check_still_healthy(server);
}

TEST_CASE("hostile answer choices and indexes are refused and record nothing", "[injection]") {
  server_fixture server;
  auto client = server.client();
  const std::string token = server.participant(client, "13911110003");
  const auto started = client.post("/api/v1/attempts", json::object{}, token);
  REQUIRE(started.status == 201);
  const std::int64_t attempt = started.json().at("id").as_int64();
  const std::string answers = "/api/v1/attempts/" + std::to_string(attempt) + "/answers";
  for (const auto& value : hostile_values()) {
    INFO(value.label);
    check_clean(
        send(client, "POST", answers, "{\"index\":0,\"choice\":[" + value.literal + "]}", token),
        {400});
    check_clean(send(client, "POST", answers,
                     "{\"index\":" + value.literal + ",\"choice\":[\"A\"]}", token),
                {400});
    check_clean(
        send(client, "POST", answers, "{\"index\":0,\"choice\":" + value.literal + "}", token),
        {400});
  }
  for (const std::string index : {"-1", "1001", "9223372036854775807", "18446744073709551616",
                                  "1.5", "1e400", "null", "true", "[0]", "{}"}) {
    INFO("index " << index);
    check_clean(
        send(client, "POST", answers, "{\"index\":" + index + ",\"choice\":[\"A\"]}", token),
        {400});
  }
  CHECK(count_rows(server, "SELECT COUNT(*) FROM answers") == 0);
  // The attempt is untouched: its first question still takes a real answer.
  CHECK(client
            .post(answers, json::object{{"index", 0}, {"choice", server.correct_keys(attempt, 0)}},
                  token)
            .status == 200);
  check_still_healthy(server);
}

namespace {

struct query_probe {
  std::string prefix;  // the target up to where the hostile value goes
  std::set<unsigned> allowed;
};

const std::vector<query_probe>& public_probes() {
  static const std::vector<query_probe> probes = {
      {"/api/v1/units?region=", {200}},
      {"/api/v1/units?q=", {200, 400}},
      {"/api/v1/units?limit=", {400}},
      {"/api/v1/leaderboards/regions?metric=", {400}},
      {"/api/v1/leaderboards/regions?parent=", {400}},
      {"/api/v1/leaderboards/regions?day=", {400}},
      {"/api/v1/leaderboards/units?region=", {400}},
      {"/api/v1/leaderboards/units?limit=", {400}},
      {"/api/v1/leaderboards/units?offset=", {400}},
      {"/api/v1/leaderboards/units?day=", {400}},
      {"/api/v1/leaderboards/units?metric=", {400}},
      {"/api/v1/leaderboards/units?sector=", {200}},
      {"/api/v1/leaderboards/units/U0001?around=", {400}},
      {"/api/v1/leaderboards/units/", {404}},
  };
  return probes;
}

const std::vector<query_probe>& admin_probes() {
  static const std::vector<query_probe> probes = {
      {"/api/v1/admin/me?region=", {400}},
      {"/api/v1/admin/bulletin?level=", {400}},
      {"/api/v1/admin/bulletin?format=", {400}},
      {"/api/v1/admin/bulletin?region=", {400}},
      {"/api/v1/admin/bulletin?from=", {400}},
      {"/api/v1/admin/bulletin?level=unit&format=csv&to=", {400}},
      {"/api/v1/admin/daily?region=", {400}},
      {"/api/v1/admin/daily?from=", {400}},
      {"/api/v1/admin/winners?region=", {400}},
      {"/api/v1/admin/winners?format=", {200}},
      {"/api/v1/admin/questions/stats?region=", {400}},
  };
  return probes;
}

// Every answer to a query probe is JSON: the hostile value never selects a CSV or HTML format.
void check_probe(http_client& client, const query_probe& probe, const hostile_value& value,
                 const std::string& token) {
  INFO("target " << probe.prefix);
  const std::string target = probe.prefix + percent_encode(value.raw);
  const auto response = send(client, "GET", target, {}, token);
  check_clean(response, allowed_for(target, probe.allowed));
  if (response.status != 200) {
    return;
  }
  json::value body;
  REQUIRE_NOTHROW(body = response.json());
  if (probe.prefix == "/api/v1/units?q=") {
    // A search is a substring test, never a pattern or a query: every hit holds the text.
    for (const auto& item : body.at("items").as_array()) {
      CHECK(std::string_view{item.at("name").as_string()}.find(value.raw) !=
            std::string_view::npos);
    }
  }
}

}  // namespace

TEST_CASE("hostile path ids and query parameters are refused cleanly", "[injection]") {
  server_fixture server;
  auto client = server.client();
  const std::string office = office_token(server, client);
  const std::string token = server.participant(client, "13911110004");
  for (const auto& value : hostile_values()) {
    INFO(value.label);
    const std::string attempt = "/api/v1/attempts/" + percent_encode(value.raw);
    const auto not_found = allowed_for(attempt, {404});
    check_clean(send(client, "GET", attempt, {}, token), not_found);
    check_clean(send(client, "POST", attempt + "/answers", R"({"index":0,"choice":["A"]})", token),
                not_found);
    check_clean(send(client, "POST", attempt + "/finish", "{}", token), not_found);
    for (const auto& probe : public_probes()) {
      check_probe(client, probe, value, "");
    }
    for (const auto& probe : admin_probes()) {
      check_probe(client, probe, value, office);
    }
    check_clean(send(client, "POST", "/api/v1/admin/login",
                     "{\"username\":" + value.literal + ",\"password\":\"x\"}"),
                {400, 401, 429});
    check_clean(send(client, "POST", "/api/v1/admin/login",
                     "{\"username\":\"office\",\"password\":" + value.literal + "}"),
                {400, 401, 429});
  }
  CHECK(count_rows(server, "SELECT COUNT(*) FROM attempts") == 0);
  check_still_healthy(server);
}

TEST_CASE("raw invalid bytes in the request line and headers are refused cleanly", "[injection]") {
  server_fixture server;
  std::vector<std::string> requests = {
      "GET /api/v1/units?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/v1/attempts/\xc0\xaf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n\r\n",
      "GET /api/v1/leaderboards/units/<script> HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x01\x7f\xff\r\n\r\n",
      "GET /api/v1/units?q=%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const auto& value : hostile_values()) {
    const std::string body = "{\"phone\":" + value.literal + "}";
    requests.push_back(
        "POST /api/v1/auth/code HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  for (const auto& raw : requests) {
    INFO(raw);
    check_clean(http_client::send_raw(server.port(), raw), {400, 401, 404});
  }
  check_still_healthy(server);
}

namespace {

// The records of an export, byte for byte: RFC 4180 quoting, CRLF records, no trimming (a
// library that trims would hide a leading TAB), after the UTF-8 byte order mark.
std::vector<std::vector<std::string>> parse_export_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::vector<std::vector<std::string>> records(1);
  std::string cell;
  bool quoted = false;
  bool at_cell_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool next_is = i + 1 < text.size();
    if (quoted) {
      if (c == '"' && next_is && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && at_cell_start) {
      quoted = true;
    } else if (c == ',' || (c == '\r' && next_is && text[i + 1] == '\n')) {
      records.back().push_back(std::exchange(cell, {}));
      if (c == '\r') {
        records.emplace_back();
        ++i;
      }
      at_cell_start = true;
      continue;
    } else {
      cell += c;
    }
    at_cell_start = false;
  }
  if (!cell.empty()) {
    records.back().push_back(cell);
  }
  return records;
}

// What a spreadsheet cell holding `text` must look like once the server neutralised it.
std::string neutralised(const std::string& text) {
  const bool formula_like =
      !text.empty() && std::string_view{"=+-@\t\r"}.find(text.front()) != std::string_view::npos;
  return formula_like ? "'" + text : text;
}

// No cell of the CSV starts like a formula, and every hostile text is there, neutralised.
void check_csv_export(const http_response& response, const std::vector<std::string>& texts) {
  INFO("status " << response.status << " body " << response.body.substr(0, 300));
  REQUIRE(response.status == 200);
  std::set<std::string> cells;
  std::vector<std::string> formula_cells;
  for (const auto& record : parse_export_csv(response.body)) {
    for (const auto& cell : record) {
      if (!cell.empty() && std::string_view{"=+-@\t\r"}.find(cell.front()) != std::string::npos) {
        formula_cells.push_back(cell.substr(0, 80));
      }
      cells.insert(cell);
    }
  }
  CHECK(formula_cells.empty());
  for (const auto& text : texts) {
    INFO("expected cell " << neutralised(text).substr(0, 80));
    CHECK(cells.contains(neutralised(text)));
  }
}

std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The page carries no markup from the data: every hostile text is there, escaped.
void check_html_export(const http_response& response, const std::vector<std::string>& texts) {
  REQUIRE(response.status == 200);
  std::string lower = response.body;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  CHECK(lower.find("<script") == std::string::npos);
  for (const auto& text : texts) {
    INFO("expected text " << html_escaped(text).substr(0, 80));
    CHECK(response.body.find(html_escaped(text)) != std::string::npos);
  }
}

// Every hostile text comes back verbatim among the names of `arrays` of the JSON body.
void check_json_names(const http_response& response, const std::vector<std::string>& arrays,
                      const std::vector<std::string>& texts) {
  REQUIRE(response.status == 200);
  const json::value body = response.json();
  std::set<std::string> names;
  for (const auto& array : arrays) {
    for (const auto& item : body.at(array).as_array()) {
      names.insert(std::string{item.at("name").as_string()});
    }
  }
  for (const auto& text : texts) {
    INFO("expected name " << text.substr(0, 80));
    CHECK(names.contains(text));
  }
}

std::string csv_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

// Runs one `anquanli-admin KIND import` of `content`: it either imports (0) or refuses with a
// message (1). A usage error or a death by signal fails the check. True when it imported.
bool run_import(const server_fixture& server, const std::string& kind, const std::string& file_name,
                const std::string& content) {
  const auto file = server.data_dir() / file_name;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
  const auto [status, output] = server.admin(kind + " import '" + file.string() + "'");
  INFO(kind << " import exit " << status << " output " << output.substr(0, 300));
  CHECK((status == 0 || status == 1));
  if (status != 0) {
    CHECK(output.find("nothing imported") != std::string::npos);
  }
  return status == 0;
}

// What the operator's imports kept, for the export checks.
struct imported_texts {
  std::vector<std::string> unit_names;
  std::vector<std::string> region_names;
};

// A hostile unit name, sector and id, each in a file of its own: imported verbatim or refused.
void import_hostile_units(const server_fixture& server, const hostile_value& value,
                          const std::string& suffix, imported_texts& kept) {
  const std::string header = "id,name,region_code,sector,headcount\n";
  const std::string unit_sql = "SELECT name FROM units WHERE id = ?1";
  const std::string named = "UINJ" + suffix;
  const bool name_kept =
      run_import(server, "units", "units.csv",
                 header + named + "," + csv_quoted(value.raw) + ",640104,其他,10\n");
  CHECK(stored_text(server, unit_sql, named) ==
        (name_kept ? std::optional{value.raw} : std::nullopt));
  if (name_kept) {
    kept.unit_names.push_back(value.raw);
  }
  const std::string sector = "USEC" + suffix;
  const bool sector_kept =
      run_import(server, "units", "units.csv",
                 header + sector + ",注入测试单位,640104," + csv_quoted(value.raw) + ",10\n");
  CHECK(stored_text(server, "SELECT sector FROM units WHERE id = ?1", sector) ==
        (sector_kept ? std::optional{value.raw} : std::nullopt));
  const bool id_kept =
      run_import(server, "units", "units.csv",
                 header + csv_quoted(value.raw) + ",注入测试单位,640104,其他,10\n");
  CHECK(stored_text(server, unit_sql, value.raw).has_value() == id_kept);
}

// A hostile region name and code under 银川市: imported verbatim or refused.
void import_hostile_regions(const server_fixture& server, const hostile_value& value,
                            const std::string& suffix, imported_texts& kept) {
  const std::string header = "code,name,parent_code\n";
  const std::string region_sql = "SELECT name FROM regions WHERE code = ?1";
  const std::string named = "RINJ" + suffix;
  const bool name_kept = run_import(server, "regions", "regions.csv",
                                    header + named + "," + csv_quoted(value.raw) + ",640100\n");
  CHECK(stored_text(server, region_sql, named) ==
        (name_kept ? std::optional{value.raw} : std::nullopt));
  if (name_kept) {
    kept.region_names.push_back(value.raw);
  }
  const bool code_kept = run_import(server, "regions", "regions.csv",
                                    header + csv_quoted(value.raw) + ",注入测试区,640100\n");
  CHECK(stored_text(server, region_sql, value.raw).has_value() == code_kept);
}

std::string question_line(const std::string& id_literal, const std::string& stem_literal) {
  return "{\"id\":" + id_literal +
         R"(,"type":"single","category":"安全管理","difficulty":1,"stem":)" + stem_literal +
         R"(,"options":[{"key":"A","text":"是"},{"key":"B","text":"否"}],"answer":["A"],)"
         R"("explanation":"注入测试","source":"注入测试"})" +
         "\n";
}

// A hostile question stem and id: imported verbatim or refused.
void import_hostile_questions(const server_fixture& server, const hostile_value& value,
                              const std::string& suffix) {
  const std::string stem_sql = "SELECT stem FROM questions WHERE id = ?1";
  const std::string named = "QINJ" + suffix;
  const bool stem_kept = run_import(server, "questions", "questions.jsonl",
                                    question_line("\"" + named + "\"", value.literal));
  CHECK(stored_text(server, stem_sql, named) ==
        (stem_kept ? std::optional{value.raw} : std::nullopt));
  const bool id_kept = run_import(server, "questions", "questions.jsonl",
                                  question_line(value.literal, "\"注入测试题\""));
  CHECK(stored_text(server, stem_sql, value.raw).has_value() == id_kept);
}

// Participants whose names are hostile win a prize in the unit `unit_id`; returns their names.
std::vector<std::string> hostile_winners(server_fixture& server, http_client& client,
                                         const std::string& unit_id) {
  std::vector<std::string> names;
  int phone = 0;
  for (const auto& value : hostile_values()) {
    if (!acceptable_name(value.raw)) {
      continue;
    }
    INFO(value.label);
    const std::string token = server.sign_in(client, "139222200" + std::to_string(10 + phone++));
    REQUIRE(put_profile(client, token, value.literal, "\"640104\"", "\"" + unit_id + "\"").status ==
            200);
    server.take_challenge(client, token, 5);
    const auto draw = client.post("/api/v1/draws", json::object{}, token);
    REQUIRE(draw.status == 200);
    REQUIRE(draw.json().at("prize").is_object());
    names.push_back(value.raw);
  }
  return names;
}

// The office's exports of the imported units and regions (under 银川市) and of the winners.
void check_office_exports(http_client& client, const std::string& office,
                          const imported_texts& kept, const std::vector<std::string>& winners) {
  const auto get = [&](const std::string& target) { return client.get(target, office); };
  const std::string bulletin = "/api/v1/admin/bulletin?region=640100&level=";
  check_csv_export(get(bulletin + "unit&format=csv"), kept.unit_names);
  check_csv_export(get(bulletin + "county&format=csv"), kept.region_names);
  check_csv_export(get("/api/v1/admin/winners?region=640000&format=csv"), winners);
  check_html_export(get(bulletin + "unit&format=html"), kept.unit_names);
  check_html_export(get(bulletin + "county&format=html"), kept.region_names);
  check_json_names(get(bulletin + "unit"), {"rows", "zero_participation"}, kept.unit_names);
  check_json_names(get(bulletin + "county"), {"rows"}, kept.region_names);
  check_json_names(get("/api/v1/admin/winners?region=640000"), {"items"}, winners);
  for (const std::string target :
       {"/api/v1/admin/daily?region=640100", "/api/v1/admin/questions/stats?region=640100",
        "/api/v1/admin/bulletin?region=640100&level=unit&format=xlsx"}) {
    INFO(target);
    CHECK(get(target).status == 200);
  }
}

}  // namespace

TEST_CASE("hostile imports are kept verbatim or refused and exports neutralise them",
          "[injection]") {
  server_fixture server{certain_prizes()};
  auto client = server.client();
  imported_texts kept;
  for (std::size_t i = 0; i < hostile_values().size(); ++i) {
    const auto& value = hostile_values()[i];
    INFO(value.label);
    import_hostile_units(server, value, std::to_string(i), kept);
    import_hostile_regions(server, value, std::to_string(i), kept);
    import_hostile_questions(server, value, std::to_string(i));
  }
  // The SQL, markup and formula names are ordinary UTF-8 text an office may really have.
  CHECK(kept.unit_names.size() >= 8);
  CHECK(kept.region_names.size() >= 8);
  for (const auto& name : kept.unit_names) {
    if (name.size() <= 100) {  // the longest search the API takes
      check_json_names(client.get("/api/v1/units?region=640104&q=" + percent_encode(name)),
                       {"items"}, {name});
    }
  }
  REQUIRE(stored_text(server, "SELECT name FROM units WHERE id = ?1", "UINJ4") ==
          "=HYPERLINK(\"http://x\")");
  const auto winners = hostile_winners(server, client, "UINJ4");
  check_office_exports(client, office_token(server, client), kept, winners);
  check_still_healthy(server);
}

TEST_CASE("a region code holding a quote neither breaks nor widens an office's scope",
          "[injection]") {
  server_fixture server{certain_prizes()};
  auto client = server.client();
  const std::string token = server.participant(client, "13911110005");  // in 兴庆区, 640104
  server.take_challenge(client, token, 5);
  REQUIRE(client.post("/api/v1/draws", json::object{}, token).status == 200);
  const std::string office = office_token(server, client);
  // Imports refuse such a code now; an older database may still hold one. Pasted into the JSON
  // list of 石嘴山市's leaves, it would add 兴庆区 to them.
  server.stop();
  server.execute_sql(
      "INSERT INTO regions (code, name, parent_code, level) "
      "VALUES ('x\",\"640104', '注入测试区', '640200', 3)");
  server.start();
  client = server.client();  // the restarted server listens on a new port; the token survives
  const auto elsewhere = client.get("/api/v1/admin/winners?region=640200", office);
  REQUIRE(elsewhere.status == 200);
  CHECK(elsewhere.json().at("items").as_array().empty());
  for (const std::string route : {"/api/v1/admin/daily", "/api/v1/admin/questions/stats"}) {
    INFO(route);
    const auto scoped = client.get(route + "?region=640200", office);
    REQUIRE(scoped.status == 200);
    CHECK(scoped.json().at("items").as_array().empty());
  }
  const auto home = client.get("/api/v1/admin/winners?region=640100", office);
  REQUIRE(home.status == 200);
  CHECK(home.json().at("items").as_array().size() == 1);
  check_still_healthy(server);
}
