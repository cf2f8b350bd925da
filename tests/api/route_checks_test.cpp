// The route table's `check`s (what the fuzz target and the API document test run without
// storage) against the handlers they stand for: every route that reads a body or a query checks
// it, a check passes the well-formed request, and whatever a check refuses, the handler refuses
// with the very same answer before it touches storage.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "tests/api/api_calls.hpp"
#include "tests/engine/test_rules.hpp"

using namespace anquanli;
using namespace anquanli::test;

namespace {

using query_map = std::map<std::string, std::string>;

// Bodies a client may get wrong: not JSON, not an object, fields missing or of the wrong type,
// values out of range.
const std::vector<std::string> odd_bodies{
    "",
    "not json",
    "[]",
    "{}",
    R"({"phone":13800138000,"code":123456,"name":7,"region":640104,"unit_id":5,"username":1})",
    R"({"phone":"13800138000","code":"12345","name":"   ","region":"640104","password":"x"})",
    R"({"phone":"13800138000","code":"123456","name":"张三","region":"640104","unit_id":[]})",
    R"({"index":-1,"choice":["A"]})",
    R"({"index":0,"choice":"A"})",
    R"({"index":0,"choice":[1]})",
    R"({"index":0,"choice":["A","B","C","D","E","F","G","H","I"]})",
};

// Query values a client may get wrong.
const std::vector<query_map> odd_queries{
    {{"limit", "0"}},        {{"limit", "abc"}},
    {{"limit", "1000"}},     {{"offset", "-1"}},
    {{"around", "99"}},      {{"metric", "speed"}},
    {{"day", "2021-13-01"}}, {{"day", "2020-06-01"}},
    {{"from", "June"}},      {{"to", "2021-05-01"}},
    {{"level", "town"}},     {{"format", "pdf"}},
    {{"q", "\xff"}},         {{"q", std::string(200, 'q')}},
};

// A well-formed request for every route that has a check (its path with {id} filled in).
struct clean_example {
  std::string path;
  std::string body;
  std::map<std::string, std::string> query{};  // for routes that require a parameter
};
const std::map<std::pair<std::string, std::string>, clean_example> clean_examples{
    {{"GET", "/api/v1/units"}, {"/api/v1/units", ""}},
    {{"POST", "/api/v1/auth/code"}, {"/api/v1/auth/code", R"({"phone":"13800138000"})"}},
    {{"POST", "/api/v1/auth/login"},
     {"/api/v1/auth/login", R"({"phone":"13800138000","code":"123456"})"}},
    {{"PUT", "/api/v1/me"}, {"/api/v1/me", R"({"name":"张三","region":"640104"})"}},
    {{"GET", "/api/v1/attempts/{id}"}, {"/api/v1/attempts/1", ""}},
    {{"POST", "/api/v1/attempts/{id}/answers"},
     {"/api/v1/attempts/1/answers", R"({"index":0,"choice":["A"]})"}},
    {{"POST", "/api/v1/attempts/{id}/finish"}, {"/api/v1/attempts/1/finish", ""}},
    {{"GET", "/api/v1/leaderboards/regions"}, {"/api/v1/leaderboards/regions", ""}},
    {{"GET", "/api/v1/leaderboards/units"}, {"/api/v1/leaderboards/units", ""}},
    {{"GET", "/api/v1/leaderboards/units/{id}"}, {"/api/v1/leaderboards/units/U0001", ""}},
    {{"POST", "/api/v1/admin/login"},
     {"/api/v1/admin/login", R"({"username":"yinchuan","password":"秘密口令"})"}},
    {{"GET", "/api/v1/admin/me"}, {"/api/v1/admin/me", ""}},
    {{"GET", "/api/v1/admin/bulletin"}, {"/api/v1/admin/bulletin", ""}},
    {{"POST", "/api/v1/admin/bulletins"},
     {"/api/v1/admin/bulletins", R"({"level":"county","rank_by":"rate","to":"2021-06-16"})"}},
    {{"GET", "/api/v1/admin/bulletins"}, {"/api/v1/admin/bulletins", ""}},
    {{"GET", "/api/v1/admin/bulletins/{id}"}, {"/api/v1/admin/bulletins/1", ""}},
    {{"GET", "/api/v1/admin/daily"}, {"/api/v1/admin/daily", ""}},
    {{"GET", "/api/v1/admin/winners"}, {"/api/v1/admin/winners", ""}},
    {{"GET", "/api/v1/admin/questions/stats"}, {"/api/v1/admin/questions/stats", ""}},
    {{"GET", "/api/v1/admin/categories/stats"}, {"/api/v1/admin/categories/stats", ""}},
    {{"GET", "/api/v1/admin/audit"}, {"/api/v1/admin/audit", ""}},
    {{"GET", "/api/v1/me/attempts"}, {"/api/v1/me/attempts", ""}},
    {{"POST", "/api/v1/practice"}, {"/api/v1/practice", R"({"category":"消防安全"})"}},
    {{"GET", "/api/v1/winners"}, {"/api/v1/winners", ""}},
    {{"PUT", "/api/v1/draws/{id}/claim"},
     {"/api/v1/draws/1/claim",
      R"({"recipient":"张三","phone":"13800138000","address":"银川市兴庆区解放西街1号"})"}},
    {{"GET", "/api/v1/leaderboards/participants"}, {"/api/v1/leaderboards/participants", ""}},
    {{"POST", "/api/v1/admin/draws/{id}/sent"}, {"/api/v1/admin/draws/1/sent", ""}},
    {{"GET", "/api/v1/admin/reporting/forms/{form}"},
     {"/api/v1/admin/reporting/forms/progress", ""}},
    {{"PUT", "/api/v1/admin/reporting/forms/{form}"},
     {"/api/v1/admin/reporting/forms/contacts", R"({"fields":{"name":"李四"}})"}},
    {{"POST", "/api/v1/admin/reporting/forms/{form}/submit"},
     {"/api/v1/admin/reporting/forms/contacts/submit",
      R"({"fields":{"name":"李四","gender":"女","position":"科长","office_phone":"0951-6012345",
      "mobile":"13800138000","email":"lisi@example.cn","organisation":"兴庆区应急管理局",
      "address":"银川市兴庆区某路1号"}})"}},
    {{"GET", "/api/v1/admin/reporting/status"},
     {"/api/v1/admin/reporting/status", "", {{"form", "progress"}}}},
    {{"GET", "/api/v1/admin/reporting/export"},
     {"/api/v1/admin/reporting/export", "", {{"form", "contacts"}, {"format", "csv"}}}},
    {{"GET", "/api/v1/admin/participants"},
     {"/api/v1/admin/participants", "", {{"phone", "13800138000"}}}},
    {{"POST", "/api/v1/admin/participants/{id}/correction"},
     {"/api/v1/admin/participants/1/correction", R"({"unit":"U0001","reason":"单位选错"})"}},
};

// The paths a route's pattern stands for in these tests: {id} as a number, a word and nothing
// like either.
std::vector<std::string> paths_for(const std::string& pattern) {
  const auto capture = pattern.find("{id}");
  if (capture == std::string::npos) {
    return {pattern};
  }
  std::vector<std::string> paths;
  for (const char* id : {"1", "U0001", "0", "-7"}) {
    paths.push_back(pattern.substr(0, capture) + id + pattern.substr(capture + 4));
  }
  return paths;
}

// The world a route's handler needs to get past authentication: a participant with a profile
// and an office account, each with a token.
struct callers {
  explicit callers(fake_api& api) {
    api.store.add_admin({"yinchuan", "秘密口令", "640100", ""});
    participant = sign_in_with_profile(api, "13800138000");
    office = office_sign_in(api, "yinchuan", "秘密口令");
  }
  [[nodiscard]] std::string token_for(auth_kind kind) const {
    return kind == auth_kind::participant ? participant : kind == auth_kind::admin ? office : "";
  }
  std::string participant;
  std::string office;
};

// Every odd request for `found`: each odd body and each odd query, on each of its paths.
std::vector<api_request> odd_requests(const route& found, const std::string& token) {
  std::vector<api_request> requests;
  for (const std::string& path : paths_for(found.pattern)) {
    for (const std::string& body : odd_bodies) {
      requests.push_back(request_to(found.method, path).body(body).token(token));
    }
    for (const query_map& query : odd_queries) {
      requests.push_back(request_to(found.method, path).query(query).token(token));
    }
  }
  return requests;
}

std::string describe_request(const api_request& request) {
  std::string text = request.method + " " + request.path;
  for (const auto& [key, value] : request.query) {
    text += " " + key + "=" + value;
  }
  return text + " body: " + request.body;
}

}  // namespace

TEST_CASE("every route that has a check has a well-formed example it passes", "[checks]") {
  fake_api api(june(10));
  std::set<std::pair<std::string, std::string>> checked;
  for (const route& candidate : api.routes.routes()) {
    if (!candidate.check) {
      continue;
    }
    INFO(candidate.method << " " << candidate.pattern);
    checked.emplace(candidate.method, candidate.pattern);
    const auto example = clean_examples.find({candidate.method, candidate.pattern});
    REQUIRE(example != clean_examples.end());
    api_request request = request_to(candidate.method, example->second.path)
                              .body(example->second.body)
                              .query(example->second.query);
    REQUIRE(api.match(request) == &candidate);
    const auto refused = candidate.check(request);
    CHECK_FALSE(refused);
  }
  // And no example stands for a route that lost its check.
  CHECK(checked.size() == clean_examples.size());
}

TEST_CASE("a route without a check ignores what a client sends", "[checks]") {
  // The routes that read nothing of the request: a body or a query sent to them changes nothing,
  // so none of them can be in want of a check.
  fake_api api(june(10));
  const callers who(api);
  for (const route& candidate : api.routes.routes()) {
    if (candidate.check) {
      continue;
    }
    for (api_request request : odd_requests(candidate, who.token_for(candidate.auth))) {
      INFO(describe_request(request));
      const auto answer = call(api, request);
      CHECK(answer.status != 400);
    }
  }
}

TEST_CASE("whatever a check refuses, the handler refuses alike before storage", "[checks]") {
  fake_api api(june(10));
  const callers who(api);
  int refusals = 0;
  for (const route& candidate : api.routes.routes()) {
    if (!candidate.check) {
      continue;
    }
    for (api_request request : odd_requests(candidate, who.token_for(candidate.auth))) {
      INFO(describe_request(request));
      REQUIRE(api.match(request) == &candidate);
      const auto refused = candidate.check(request);
      if (!refused) {
        continue;
      }
      ++refusals;
      const std::size_t calls_before = api.store.calls();
      const api_response expected = error_response(*refused);
      const api_response answer = api.run(candidate, request);
      CHECK(answer.status == expected.status);
      CHECK(answer.body == expected.body);
      CHECK(answer.headers == expected.headers);
      // Authentication is the only storage a refused request may reach.
      CHECK(api.store.calls() == calls_before + (candidate.auth == auth_kind::none ? 0U : 1U));
    }
  }
  // The odd requests do reach the checks: most of them are refused.
  CHECK(refusals > 100);
}
