// What people get wrong, against the real server (issue 17): GET /api/v1/admin/categories/stats
// rolls answers up by category for the scope and its child regions, and each question's
// statistics count the options chosen by their text, whatever letter they were shown under.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "server/store/attempt_papers.hpp"
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

// How often each (question id, option text) was chosen, read from the database's papers.
std::map<std::pair<std::string, std::string>, std::int64_t> chosen_in_database(
    const std::filesystem::path& file, const std::vector<std::int64_t>& attempts) {
  sqlite_database database(file, open_mode::read_only);
  std::map<std::pair<std::string, std::string>, std::int64_t> chosen;
  for (const std::int64_t attempt : attempts) {
    const auto paper = paper_of(database, attempt_id{attempt});
    REQUIRE(paper);
    auto answers = database.prepare("SELECT position, choice FROM answers WHERE attempt_id = ?1");
    answers.bind(1, attempt);
    while (answers.step() == step_result::row) {
      const auto& shown = (*paper)[static_cast<std::size_t>(answers.column_int(0))];
      for (const auto& key : decode_choice(answers.column_text(1))) {
        for (const auto& option : shown.options) {
          if (option.key == key) {
            ++chosen[{shown.id.value(), option.text}];
          }
        }
      }
    }
  }
  return chosen;
}

}  // namespace

TEST_CASE("categories roll up by region and options are counted by text", "[admin][answer_stats]") {
  server_fixture server;
  auto client = server.client();
  REQUIRE(server.admin("admins add --username province --region 640000", province_password + "\n")
              .first == 0);
  REQUIRE(
      server.admin("admins add --username yinchuan --region 640100", city_password + "\n").first ==
      0);
  const std::string first = server.participant_in(client, "13966660001", "640104", "");
  const std::string second = server.participant_in(client, "13966660002", "640202", "");
  const std::vector<std::int64_t> attempts{server.take_challenge(client, first, 10),
                                           server.take_challenge(client, second, 4)};
  const std::string province = admin_token(client, "province", province_password);
  const std::string city = admin_token(client, "yinchuan", city_password);

  const auto stats = client.get("/api/v1/admin/categories/stats", province);
  REQUIRE(stats.status == 200);
  const auto body = stats.json();
  std::int64_t answers = 0;
  std::int64_t correct = 0;
  for (const auto& item : body.at("categories").as_array()) {
    answers += item.at("answers").as_int64();
    correct += item.at("correct").as_int64();
    CHECK(item.at("participants").as_int64() >= 1);
  }
  CHECK(answers == 30);
  CHECK(correct == 14);
  std::map<std::string, std::int64_t> by_city;
  for (const auto& row : body.at("regions").as_array()) {
    for (const auto& item : row.at("categories").as_array()) {
      by_city[std::string{row.at("code").as_string()}] += item.at("correct").as_int64();
    }
  }
  CHECK(by_city["640100"] == 10);
  CHECK(by_city["640200"] == 4);
  CHECK(by_city["640300"] == 0);

  const auto mine = client.get("/api/v1/admin/categories/stats", city).json();
  REQUIRE(mine.at("regions").as_array().size() >= 1);
  CHECK(client.get("/api/v1/admin/categories/stats?region=640200", city).status == 403);
  CHECK(client.get("/api/v1/admin/categories/stats?from=2021-06-20&to=2021-06-10", city).status ==
        400);
  CHECK(client.get("/api/v1/admin/categories/stats").status == 401);
  const auto later =
      client.get("/api/v1/admin/categories/stats?from=2021-06-17&to=2021-06-17", province).json();
  CHECK(later.at("categories").as_array().empty());

  const auto expected = chosen_in_database(server.data_dir() / "anquanli.db", attempts);
  const auto questions = client.get("/api/v1/admin/questions/stats", province).json();
  std::int64_t counted = 0;
  for (const auto& item : questions.at("items").as_array()) {
    const std::string id{item.at("id").as_string()};
    int right_options = 0;
    for (const auto& option : item.at("options").as_array()) {
      const std::string text{option.at("text").as_string()};
      CAPTURE(id, text);
      const auto found = expected.find({id, text});
      CHECK(option.at("chosen").as_int64() == (found == expected.end() ? 0 : found->second));
      counted += option.at("chosen").as_int64();
      right_options += option.at("correct").as_bool() ? 1 : 0;
      if (option.at("most_chosen_wrong").as_bool()) {
        CHECK_FALSE(option.at("correct").as_bool());
        CHECK(option.at("chosen").as_int64() > 0);
      }
    }
    CHECK(right_options >= 1);
  }
  CHECK(counted >= 30);  // every question answered in each attempt (multiple choice: more keys)
}
