// The routes' parse_ functions (server/api/*_requests.hpp): the shapes each accepts, and the
// catalogue entry each refusal names. Pure functions of the request: no store, no clock.
#include <catch2/catch.hpp>
#include <string>

#include "server/api/admin_requests.hpp"
#include "server/api/leaderboard_requests.hpp"
#include "server/api/participant_requests.hpp"
#include "server/api/personal_requests.hpp"

using namespace anquanli;

namespace {

using query_map = std::map<std::string, std::string>;

api_request with_body(std::string body) {
  api_request request;
  request.body = std::move(body);
  return request;
}

api_request with_query(query_map query) {
  api_request request;
  request.query = std::move(query);
  return request;
}

api_request with_id(std::string id, std::string body = {}) {
  api_request request = with_body(std::move(body));
  request.path_parameters = {std::move(id)};
  return request;
}

// The catalogue entry a parse result refuses with; fails the test when it accepted.
template <class Command>
api_error_code refusal(const parsed<Command>& result) {
  REQUIRE_FALSE(result);
  return result.error().id;
}

}  // namespace

TEST_CASE("unit search: region, text and a page of 1 to 50", "[parse]") {
  const auto plain = parse_unit_search(with_query({}));
  REQUIRE(plain);
  CHECK(plain->region_code.empty());
  CHECK(plain->text.empty());
  CHECK(plain->limit == 20);
  const auto narrowed =
      parse_unit_search(with_query({{"region", "640100"}, {"q", "应急"}, {"limit", "50"}}));
  REQUIRE(narrowed);
  CHECK(narrowed->region_code == "640100");
  CHECK(narrowed->text == "应急");
  CHECK(narrowed->limit == 50);
  CHECK(parse_unit_search(with_query({{"q", std::string(100, 'x')}})));

  for (const char* limit : {"0", "51", "-1", "abc", "5x", ""}) {
    const auto refused = parse_unit_search(with_query({{"limit", limit}}));
    CHECK(refusal(refused) == api_error_code::invalid_limit);
    CHECK(refused.error().detail == "limit 必须是 1 到 50 之间的整数");
  }
  CHECK(refusal(parse_unit_search(with_query({{"q", "\xff\xfe"}}))) ==
        api_error_code::invalid_query);
  CHECK(refusal(parse_unit_search(with_query({{"q", std::string(101, 'x')}}))) ==
        api_error_code::invalid_query);
}

TEST_CASE("code request: a JSON object with an 11-digit mobile number", "[parse]") {
  const auto accepted = parse_code_request(with_body(R"({"phone":"13800138000"})"));
  REQUIRE(accepted);
  CHECK(accepted->phone == "13800138000");
  for (const char* body : {"", "not json", "[1]", "\"13800138000\"", "{\"phone\":"}) {
    CHECK(refusal(parse_code_request(with_body(body))) == api_error_code::invalid_json);
  }
  for (const char* body : {R"({})", R"({"phone":13800138000})", R"({"phone":"12800138000"})",
                           R"({"phone":"1380013800"})", R"({"phone":"1380013800a"})"}) {
    CHECK(refusal(parse_code_request(with_body(body))) == api_error_code::invalid_phone);
  }
}

TEST_CASE("login: a phone number, then a six-character code", "[parse]") {
  const auto accepted = parse_login(with_body(R"({"phone":"13800138000","code":"123456"})"));
  REQUIRE(accepted);
  CHECK(accepted->phone == "13800138000");
  CHECK(accepted->code == "123456");
  CHECK(refusal(parse_login(with_body("{"))) == api_error_code::invalid_json);
  CHECK(refusal(parse_login(with_body(R"({"code":"123456"})"))) == api_error_code::invalid_phone);
  // The phone is judged first: both wrong names the phone.
  CHECK(refusal(parse_login(with_body(R"({"phone":"1","code":"1"})"))) ==
        api_error_code::invalid_phone);
  for (const char* body :
       {R"({"phone":"13800138000"})", R"({"phone":"13800138000","code":"12345"})",
        R"({"phone":"13800138000","code":"1234567"})",
        R"({"phone":"13800138000","code":123456})"}) {
    CHECK(refusal(parse_login(with_body(body))) == api_error_code::invalid_code);
  }
}

TEST_CASE("profile: a name, a region and an optional unit", "[parse]") {
  const auto with_unit =
      parse_profile(with_body(R"({"name":"张三","region":"640104","unit_id":"U0001"})"));
  REQUIRE(with_unit);
  CHECK(with_unit->name == "张三");
  CHECK(with_unit->region_code == "640104");
  CHECK(with_unit->unit_id == "U0001");
  // No unit, a null one or an empty one: 社会公众.
  for (const char* body : {R"({"name":"张三","region":"640104"})",
                           R"({"name":"张三","region":"640104","unit_id":null})",
                           R"({"name":"张三","region":"640104","unit_id":""})"}) {
    const auto public_member = parse_profile(with_body(body));
    REQUIRE(public_member);
    CHECK_FALSE(public_member->unit_id);
  }
  std::string longest;
  for (int i = 0; i < 32; ++i) {
    longest += "安";
  }
  CHECK(parse_profile(with_body(R"({"name":")" + longest + R"(","region":"640104"})")));

  CHECK(refusal(parse_profile(with_body("[]"))) == api_error_code::invalid_json);
  for (const std::string& name :
       {std::string{R"("name":"")"}, std::string{R"("name":"   ")"},
        std::string{R"("name":"张\n三")"}, std::string{R"("name":7)"},
        R"("name":")" + longest + R"(安")", std::string{R"("nam":"张三")"}}) {
    INFO(name);
    CHECK(refusal(parse_profile(with_body("{" + name + R"(,"region":"640104"})"))) ==
          api_error_code::invalid_name);
  }
  CHECK(refusal(parse_profile(with_body(R"({"name":"张三"})"))) == api_error_code::invalid_region);
  CHECK(refusal(parse_profile(with_body(R"({"name":"张三","region":640104})"))) ==
        api_error_code::invalid_region);
  for (const char* unit : {"5", "[]", "{}", "true"}) {
    CHECK(refusal(parse_profile(with_body(R"({"name":"张三","region":"640104","unit_id":)" +
                                          std::string{unit} + "}"))) ==
          api_error_code::invalid_unit);
  }
}

TEST_CASE("attempt references: a positive decimal id in the path", "[parse]") {
  const auto accepted = parse_attempt_ref(with_id("42"));
  REQUIRE(accepted);
  CHECK(accepted->value() == 42);
  CHECK(refusal(parse_attempt_ref(with_body("{}"))) == api_error_code::not_found);
  for (const char* id : {"0", "-1", "abc", "4 2", "", "99999999999999999999", "+4"}) {
    CHECK(refusal(parse_attempt_ref(with_id(id))) == api_error_code::not_found);
  }
}

TEST_CASE("answers: an attempt id, then an index and a choice of short keys", "[parse]") {
  const auto accepted = parse_answer(with_id("7", R"({"index":3,"choice":["A","C"]})"));
  REQUIRE(accepted);
  CHECK(accepted->attempt.value() == 7);
  CHECK(accepted->index == 3);
  CHECK(accepted->choice == choice_keys{"A", "C"});
  CHECK(parse_answer(with_id("7", R"({"index":1000,"choice":[]})")));

  // The path is judged before the body.
  CHECK(refusal(parse_answer(with_id("x", "not json"))) == api_error_code::not_found);
  CHECK(refusal(parse_answer(with_id("7", "not json"))) == api_error_code::invalid_json);
  for (const char* body :
       {R"({"choice":["A"]})", R"({"index":-1,"choice":["A"]})", R"({"index":1001,"choice":["A"]})",
        R"({"index":1.5,"choice":["A"]})", R"({"index":"0","choice":["A"]})"}) {
    const auto refused = parse_answer(with_id("7", body));
    CHECK(refusal(refused) == api_error_code::invalid_request);
    CHECK(refused.error().detail == "index");
  }
  for (const char* body : {R"({"index":0})", R"({"index":0,"choice":"A"})",
                           R"({"index":0,"choice":["A","B","C","D","E","F","G","H","I"]})"}) {
    const auto refused = parse_answer(with_id("7", body));
    CHECK(refusal(refused) == api_error_code::invalid_request);
    CHECK(refused.error().detail == "choice");
  }
  for (const char* body : {R"({"index":0,"choice":[1]})", R"({"index":0,"choice":["ABC"]})",
                           R"({"index":0,"choice":[null]})", R"({"index":0,"choice":["正确"]})"}) {
    CHECK(refusal(parse_answer(with_id("7", body))) == api_error_code::invalid_choice);
  }
}

TEST_CASE("region boards: a metric, a day of the window and a parent", "[parse]") {
  const competition_rules rules;
  const auto plain = parse_region_board(with_query({}), rules);
  REQUIRE(plain);
  CHECK(plain->board.metric == "points");
  CHECK_FALSE(plain->board.day);
  CHECK_FALSE(plain->parent);
  const auto asked = parse_region_board(
      with_query({{"metric", "rate"}, {"day", "2021-06-30"}, {"parent", "640100"}}), rules);
  REQUIRE(asked);
  CHECK(asked->board.metric == "rate");
  CHECK(asked->board.day == "2021-06-30");
  CHECK(asked->parent == "640100");
  for (const char* metric : {"attempts", "participants", "points", "participation_rate"}) {
    CHECK(parse_region_board(with_query({{"metric", metric}}), rules));
  }
  CHECK(refusal(parse_region_board(with_query({{"metric", "speed"}}), rules)) ==
        api_error_code::invalid_metric);
  for (const char* day : {"2021-05-31", "2021-07-01", "2021-6-1", "2021-06-31", "today", ""}) {
    CHECK(refusal(parse_region_board(with_query({{"day", day}}), rules)) ==
          api_error_code::invalid_day);
  }
}

TEST_CASE("unit boards: filters and a page of 1 to 100 from an offset", "[parse]") {
  const competition_rules rules;
  const auto plain = parse_unit_board(with_query({}), rules);
  REQUIRE(plain);
  CHECK(plain->limit == 20);
  CHECK(plain->offset == 0);
  CHECK(plain->region_code.empty());
  CHECK(plain->sector.empty());
  const auto paged = parse_unit_board(
      with_query(
          {{"limit", "100"}, {"offset", "1000000"}, {"region", "640100"}, {"sector", "学校"}}),
      rules);
  REQUIRE(paged);
  CHECK(paged->limit == 100);
  CHECK(paged->offset == 1'000'000);
  CHECK(paged->region_code == "640100");
  CHECK(paged->sector == "学校");
  for (const query_map& query :
       {query_map{{"limit", "0"}}, query_map{{"limit", "101"}}, query_map{{"limit", "x"}},
        query_map{{"offset", "-1"}}, query_map{{"offset", "1000001"}}}) {
    CHECK(refusal(parse_unit_board(with_query(query), rules)) == api_error_code::invalid_limit);
  }
  // The metric is judged before the page.
  CHECK(refusal(parse_unit_board(with_query({{"metric", "x"}, {"limit", "0"}}), rules)) ==
        api_error_code::invalid_metric);
}

TEST_CASE("a unit's standing: its id and 0 to 50 neighbours", "[parse]") {
  const competition_rules rules;
  api_request request = with_query({{"around", "50"}});
  request.path_parameters = {"U0001"};
  const auto accepted = parse_unit_standing(request, rules);
  REQUIRE(accepted);
  CHECK(accepted->unit_id == "U0001");
  CHECK(accepted->around == 50);
  request.query = {};
  CHECK(parse_unit_standing(request, rules)->around == 2);
  request.query = {{"around", "51"}};
  CHECK(refusal(parse_unit_standing(request, rules)) == api_error_code::invalid_limit);
  CHECK(refusal(parse_unit_standing(with_query({}), rules)) == api_error_code::unit_not_found);
}

TEST_CASE("office sign-in: a username of up to 64 bytes and a password of up to 256", "[parse]") {
  const auto accepted =
      parse_admin_login(with_body(R"({"username":"yinchuan","password":"秘密"})"));
  REQUIRE(accepted);
  CHECK(accepted->username == "yinchuan");
  CHECK(accepted->password == "秘密");
  const std::string longest_name(64, 'u');
  const std::string longest_password(256, 'p');
  CHECK(parse_admin_login(with_body(R"({"username":")" + longest_name + R"(","password":")" +
                                    longest_password + R"("})")));
  for (const std::string& body :
       {std::string{"nope"}, std::string{"{}"}, std::string{R"({"username":"a"})"},
        std::string{R"({"username":1,"password":"b"})"},
        R"({"username":")" + longest_name + R"(u","password":"b"})",
        R"({"username":"a","password":")" + longest_password + R"(p"})"}) {
    INFO(body);
    CHECK(refusal(parse_admin_login(with_body(body))) == api_error_code::invalid_admin_request);
  }
}

TEST_CASE("office periods default to the window and must run forwards", "[parse]") {
  const competition_rules rules;
  const auto whole = parse_office_period(with_query({{"region", ""}}), rules);
  REQUIRE(whole);
  CHECK_FALSE(whole->region_code);
  CHECK(whole->from == rules.starts_on);
  CHECK(whole->to == rules.ends_on);
  const auto one_day = parse_office_period(
      with_query({{"region", "640100"}, {"from", "2021-06-05"}, {"to", "2021-06-05"}}), rules);
  REQUIRE(one_day);
  CHECK(one_day->region_code == "640100");
  CHECK(to_string(one_day->from) == "2021-06-05");
  CHECK(to_string(one_day->to) == "2021-06-05");
  for (const query_map& query :
       {query_map{{"from", "2021-06-05"}, {"to", "2021-06-04"}}, query_map{{"from", "June"}},
        query_map{{"to", "2021-02-30"}}, query_map{{"from", "2021-07-01"}}}) {
    CHECK(refusal(parse_office_period(with_query(query), rules)) == api_error_code::invalid_period);
  }
}

TEST_CASE("bulletin exports: a level and a format, inside a period", "[parse]") {
  const competition_rules rules;
  const auto plain = parse_bulletin_export(with_query({}), rules);
  REQUIRE(plain);
  CHECK(plain->level == bulletin_level::city);
  CHECK(plain->format == "json");
  const auto units =
      parse_bulletin_export(with_query({{"level", "unit"}, {"format", "xlsx"}}), rules);
  REQUIRE(units);
  CHECK(units->level == bulletin_level::unit);
  CHECK(units->format == "xlsx");
  for (const char* format : {"csv", "html"}) {
    CHECK(parse_bulletin_export(with_query({{"level", "county"}, {"format", format}}), rules));
  }
  CHECK(refusal(parse_bulletin_export(with_query({{"level", "town"}}), rules)) ==
        api_error_code::invalid_bulletin_request);
  CHECK(refusal(parse_bulletin_export(with_query({{"format", "docx"}}), rules)) ==
        api_error_code::invalid_bulletin_request);
  CHECK(refusal(parse_bulletin_export(with_query({{"format", "docx"}, {"from", "x"}}), rules)) ==
        api_error_code::invalid_period);
  const auto pdf =
      parse_bulletin_export(with_query({{"format", "pdf"}, {"detail", "full"}}), rules);
  REQUIRE(pdf);
  CHECK(pdf->format == "pdf");
  CHECK(pdf->full);
  CHECK_FALSE(parse_bulletin_export(with_query({{"format", "html"}}), rules)->full);
  CHECK(refusal(parse_bulletin_export(with_query({{"detail", "all"}}), rules)) ==
        api_error_code::invalid_bulletin_request);
}

TEST_CASE("bulletin exports: a ranking, a comparison day before the last and a sector", "[parse]") {
  const competition_rules rules;
  const auto plain = parse_bulletin_export(with_query({}), rules);
  REQUIRE(plain);
  CHECK(plain->rank_by == bulletin_rank_by::participants);
  CHECK_FALSE(plain->compare_to);
  CHECK_FALSE(plain->sector);
  const auto full = parse_bulletin_export(with_query({{"rank_by", "rate"},
                                                      {"from", "2021-06-01"},
                                                      {"to", "2021-06-16"},
                                                      {"compare_to", "2021-06-01"},
                                                      {"sector", "危险化学品"}}),
                                          rules);
  REQUIRE(full);
  CHECK(full->rank_by == bulletin_rank_by::rate);
  CHECK(full->compare_to == parse_day_key("2021-06-01"));
  CHECK(full->sector == "危险化学品");
  for (const char* rank_by : {"points", "attempts", "participants"}) {
    CHECK(parse_bulletin_export(with_query({{"rank_by", rank_by}}), rules));
  }
  const std::vector<query_map> refused{
      {{"rank_by", "speed"}},
      {{"to", "2021-06-16"}, {"compare_to", "2021-06-16"}},
      {{"from", "2021-06-05"}, {"to", "2021-06-16"}, {"compare_to", "2021-06-04"}},
      {{"compare_to", "16/06/2021"}},
      {{"sector", std::string(65, 'x')}}};
  for (const auto& query : refused) {
    CHECK(refusal(parse_bulletin_export(with_query(query), rules)) ==
          api_error_code::invalid_bulletin_request);
  }
}

TEST_CASE("winners exports: a format, inside a period", "[parse]") {
  const competition_rules rules;
  CHECK(parse_winners_export(with_query({}), rules)->format == "json");
  CHECK(parse_winners_export(with_query({{"format", "csv"}}), rules)->format == "csv");
  CHECK(refusal(parse_winners_export(with_query({{"to", "2021-05-01"}}), rules)) ==
        api_error_code::invalid_period);
}

// ---- the participant's own layer (issue 16) ----

TEST_CASE("profile consent: a boolean, false when absent", "[parse]") {
  const auto agreed =
      parse_profile(with_body(R"({"name":"张三","region":"640104","consent":true})"));
  REQUIRE(agreed);
  CHECK(agreed->consent);
  const auto silent = parse_profile(with_body(R"({"name":"张三","region":"640104"})"));
  REQUIRE(silent);
  CHECK_FALSE(silent->consent);
  CHECK(refusal(parse_profile(with_body(R"({"name":"张三","region":"640104","consent":"yes"})"))) ==
        api_error_code::invalid_request);
}

TEST_CASE("history: kind challenge by default, or practice", "[parse]") {
  const auto plain = parse_history_query(with_query({}));
  REQUIRE(plain);
  CHECK(*plain == attempt_kind::challenge);
  const auto practice = parse_history_query(with_query({{"kind", "practice"}}));
  REQUIRE(practice);
  CHECK(*practice == attempt_kind::practice);
  for (const char* kind : {"all", "Practice"}) {
    CHECK(refusal(parse_history_query(with_query({{"kind", kind}}))) ==
          api_error_code::invalid_request);
  }
}

TEST_CASE("practice: no body, a category, or the mistakes, not both", "[parse]") {
  const auto plain = parse_practice(with_body(""));
  REQUIRE(plain);
  CHECK_FALSE(plain->category);
  CHECK_FALSE(plain->mistakes);
  const auto category = parse_practice(with_body(R"({"category":"安全管理"})"));
  REQUIRE(category);
  CHECK(category->category == "安全管理");
  const auto mistakes = parse_practice(with_body(R"({"mistakes":true})"));
  REQUIRE(mistakes);
  CHECK(mistakes->mistakes);
  CHECK(refusal(parse_practice(with_body("{"))) == api_error_code::invalid_json);
  CHECK(refusal(parse_practice(with_body(R"({"mistakes":1})"))) == api_error_code::invalid_request);
  CHECK(refusal(parse_practice(with_body(R"({"category":"安全管理","mistakes":true})"))) ==
        api_error_code::invalid_request);
  for (const std::string& bad :
       {std::string{R"("")"}, std::string{"7"}, R"(")" + std::string(101, 'x') + R"(")"}) {
    CHECK(refusal(parse_practice(with_body(R"({"category":)" + bad + "}"))) ==
          api_error_code::invalid_category);
  }
}

TEST_CASE("personal rankings: a region, a day of the window and a page", "[parse]") {
  const competition_rules rules;
  const auto plain = parse_participant_board(with_query({}), rules);
  REQUIRE(plain);
  CHECK_FALSE(plain->region_code);
  CHECK_FALSE(plain->day);
  CHECK(plain->limit == 20);
  CHECK(plain->offset == 0);
  const auto asked = parse_participant_board(
      with_query({{"region", "640104"}, {"day", "2021-06-16"}, {"limit", "100"}, {"offset", "5"}}),
      rules);
  REQUIRE(asked);
  CHECK(asked->region_code == "640104");
  CHECK(asked->day == "2021-06-16");
  CHECK(asked->limit == 100);
  CHECK(asked->offset == 5);
  for (const char* limit : {"0", "101", "x"}) {
    CHECK(refusal(parse_participant_board(with_query({{"limit", limit}}), rules)) ==
          api_error_code::invalid_limit);
  }
  CHECK(refusal(parse_participant_board(with_query({{"offset", "-1"}}), rules)) ==
        api_error_code::invalid_limit);
  CHECK(refusal(parse_participant_board(with_query({{"day", "2021-07-01"}}), rules)) ==
        api_error_code::invalid_day);
  CHECK(refusal(parse_winners_day(with_query({{"day", "June"}}), rules)) ==
        api_error_code::invalid_day);
}

TEST_CASE("prize claims: a won draw's id, a recipient, a mobile number and an address", "[parse]") {
  const auto claim = parse_claim(with_id(
      "7", R"({"recipient":"王五","phone":"13912345678","address":"银川市兴庆区解放西街 1 号"})"));
  REQUIRE(claim);
  CHECK(claim->draw_id == 7);
  CHECK(claim->details.recipient == "王五");
  CHECK(claim->details.phone == "13912345678");
  CHECK(claim->details.address == "银川市兴庆区解放西街 1 号");
  const std::string good_rest = R"("phone":"13912345678","address":"地址"})";
  CHECK(refusal(parse_claim(with_id("x", R"({"recipient":"王五",)" + good_rest))) ==
        api_error_code::not_found);
  CHECK(refusal(parse_claim(with_id("7", "["))) == api_error_code::invalid_json);
  CHECK(refusal(parse_claim(with_id("7", R"({"recipient":"",)" + good_rest))) ==
        api_error_code::invalid_name);
  CHECK(refusal(parse_claim(
            with_id("7", R"({"recipient":"王五","phone":"12345","address":"地址"})"))) ==
        api_error_code::invalid_phone);
  for (const std::string& address : {std::string{R"("")"}, std::string{R"("银川\u0007")"},
                                     R"(")" + std::string(201, 'x') + R"(")"}) {
    INFO(address);
    CHECK(refusal(parse_claim(with_id(
              "7", R"({"recipient":"王五","phone":"13912345678","address":)" + address + "}"))) ==
          api_error_code::invalid_address);
  }
  CHECK(refusal(parse_draw_ref(with_id("0"))) == api_error_code::not_found);
  const auto draw = parse_draw_ref(with_id("42"));
  REQUIRE(draw);
  CHECK(*draw == 42);
}
