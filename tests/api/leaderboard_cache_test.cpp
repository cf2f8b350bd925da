// The leaderboards' snapshots (server/api/board_snapshot.hpp) over the in-memory store: a page
// kept with its snapshot is the page that would be built afresh, every way of reading one ranking
// (kept pages, pages built per request, a unit's standing) agrees, new numbers show once the
// snapshot expires and not before, and a Redis read that fails only falls back to SQLite: it never
// touches `redis_up`, which is the relay's. The same boards over real Redis are tested in
// tests/server/leaderboard_test.cpp.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "server/redis/redis_leaderboard.hpp"
#include "tests/api/api_calls.hpp"
#include "tests/engine/test_rules.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

// U0001 and U0003 tie on points; U0002 leads on points but not on attempts.
scope_totals league(std::int64_t first_points) {
  scope_totals totals;
  totals.units["U0001"] = {first_points, 3, 2, 2};
  totals.units["U0002"] = {40, 1, 1, 1};
  totals.units["U0003"] = {first_points, 5, 4, 4};
  totals.regions["640100"] = {first_points + 40, 4, 3, 3};
  totals.regions["640200"] = {first_points, 5, 4, 4};
  return totals;
}

api_response units_page(fake_api& api, int offset, int limit, const std::string& metric) {
  return call(api, request_to("GET", "/api/v1/leaderboards/units")
                       .query({{"offset", std::to_string(offset)},
                               {"limit", std::to_string(limit)},
                               {"metric", metric}}));
}

std::vector<std::string> ids_of(const json::value& items) {
  std::vector<std::string> ids;
  for (const auto& item : items.as_array()) {
    ids.emplace_back(item.at("id").as_string());
  }
  return ids;
}

}  // namespace

TEST_CASE("a kept leaderboard page is served until its snapshot expires, then the new numbers",
          "[handlers][leaderboard]") {
  fake_api api(june(10));
  api.store.set_aggregate(league(10));
  const auto first = units_page(api, 0, 3, "points");
  REQUIRE(first.status == 200);
  CHECK(ids_of(json_of(first).at("items")) == std::vector<std::string>{"U0002", "U0001", "U0003"});
  const auto regions = call(api, request_to("GET", "/api/v1/leaderboards/regions"));

  api.store.set_aggregate(league(90));  // new challenges reach SQLite
  api.clock.advance(std::chrono::milliseconds{4999});
  CHECK(units_page(api, 0, 3, "points").body == first.body);
  CHECK(call(api, request_to("GET", "/api/v1/leaderboards/regions")).body == regions.body);
  const auto standing = json_of(call(api, request_to("GET", "/api/v1/leaderboards/units/U0002")));
  CHECK(standing.at("unit").at("rank") == 1);

  api.clock.advance(std::chrono::milliseconds{1});  // the SQLite snapshot's 5 s are over
  const auto fresh = units_page(api, 0, 3, "points");
  CHECK(fresh.body != first.body);
  CHECK(ids_of(json_of(fresh).at("items")) == std::vector<std::string>{"U0001", "U0003", "U0002"});
  CHECK(json_of(fresh).at("as_of") != json_of(first).at("as_of"));
  CHECK(json_of(fresh).at("items").at(0).at("points") == 90);
  const auto moved = json_of(call(api, request_to("GET", "/api/v1/leaderboards/units/U0002")));
  CHECK(moved.at("unit").at("rank") == 3);
}

TEST_CASE("kept pages, pages built per request and standings agree on one ranking",
          "[handlers][leaderboard]") {
  fake_api api(june(10));
  api.store.set_aggregate(league(40));  // all three tie on points
  for (const std::string metric : {"points", "attempts", "participation_rate", "rate"}) {
    INFO(metric);
    const auto whole = json_of(units_page(api, 0, 100, metric));
    const auto& items = whole.at("items").as_array();
    REQUIRE(items.size() == 3);
    CHECK(whole.at("metric") == metric.c_str());
    // Asked twice, the same bytes: the second answer is the kept one.
    CHECK(units_page(api, 0, 100, metric).body == units_page(api, 0, 100, metric).body);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto kept = json_of(units_page(api, static_cast<int>(i), 1, metric));
      CHECK(kept.at("items").at(0) == items[i]);
      CHECK(kept.at("total") == 3);
      // offset + limit beyond the kept pages: built for this request alone.
      const auto built = json_of(units_page(api, static_cast<int>(i), 100, metric));
      CHECK(built.at("items").at(0) == items[i]);
      const std::string id{items[i].at("id").as_string()};
      const auto standing = json_of(call(api, request_to("GET", "/api/v1/leaderboards/units/" + id)
                                                  .query({{"metric", metric}, {"around", "1"}})));
      CHECK(standing.at("unit") == items[i]);
      CHECK(standing.at("above").as_array().size() == (i == 0 ? 0U : 1U));
      CHECK(standing.at("below").as_array().size() == (i + 1 == items.size() ? 0U : 1U));
      if (i > 0) {
        CHECK(standing.at("above").at(0) == items[i - 1]);
      }
    }
  }
  CHECK(json_of(units_page(api, 3, 20, "points")).at("items").as_array().empty());
}

namespace {

// A loopback port nobody listens on (a Redis that is not there): bound, then closed again.
std::uint16_t closed_port() {
  boost::asio::io_context context;
  boost::asio::ip::tcp::acceptor acceptor(
      context, {boost::asio::ip::make_address("127.0.0.1"), std::uint16_t{0}});
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("a leaderboard read that fails falls back to SQLite and leaves Redis up",
          "[handlers][leaderboard]") {
  fake_api api(june(10));
  api.store.set_aggregate(league(10));
  boost::asio::io_context context;
  const system_time_source wall_clock;  // the client's deadlines, should the port answer at all
  redis_client reads(context.get_executor(), wall_clock, "127.0.0.1", closed_port());
  redis_leaderboard board(reads, api.config.competition.id);
  const std::atomic<bool> relay_says_up{true};
  leaderboard_api boards(api.services, &board, relay_says_up);
  run_to_end(boards.refresh_directory());
  api_request request = request_to("GET", "/api/v1/leaderboards/units");
  auto answer = boost::asio::co_spawn(context, boards.units(request), boost::asio::use_future);
  context.run();
  const api_response response = answer.get();
  REQUIRE(response.status == 200);
  CHECK(json_of(response).at("source") == "sqlite");
  CHECK(json_of(response).at("total") == 3);
  CHECK(relay_says_up.load());
}
