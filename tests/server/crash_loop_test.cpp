// Why: issue 7's crash loop. A server killed with SIGKILL at any instant must come back with an
// intact database that still holds every answer, result and prize it acknowledged, and that counts
// nothing twice: the points ledger, the participants' draws, the outbox and the unit and region
// sums must agree exactly with the attempts, however often the process dies inside a transaction.
//
// The suite runs 20 kills. The long run (200 kills), from the repository root after a dev build:
//   ANQUANLI_CRASH_ROUNDS=200 build/dev/tests/server_tests "crash loop*"
// Each run prints its seed; ANQUANLI_CRASH_SEED=N replays the same kill points and choices (the
// server's own timing still varies).
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "server/store/attempt_papers.hpp"
#include "sqlite/sqlite_database.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace json = boost::json;

namespace {

constexpr int default_rounds = 20;
constexpr std::size_t participant_count = 50;
constexpr int rounds_per_day = 2;  // the second round of a day resumes the first one's attempts
constexpr unsigned correct_percent = 85;
constexpr unsigned early_finish_percent = 20;  // attempts closed with POST …/finish before the end
// The kill comes after a random number of acknowledged responses in the round (a round has about
// 1000 when every client gets through its day), so it falls in the middle of the work whatever the
// build's speed (Debug, ASan, TSan).
constexpr std::int64_t most_responses_before_kill = 1000;

// The scoring rules, written into the configuration so the expected points are not guessed.
constexpr int points_per_attempt = 1;
constexpr int points_per_correct = 1;
constexpr int perfect_bonus = 10;
constexpr int correct_per_draw = 5;

const std::vector<std::string> counties{"640104", "640105", "640202", "640302", "640502"};

int rounds_from_environment() {
  const char* text = std::getenv("ANQUANLI_CRASH_ROUNDS");
  return text == nullptr ? default_rounds : std::max(1, std::atoi(text));
}

std::uint32_t seed_from_environment() {
  if (const char* text = std::getenv("ANQUANLI_CRASH_SEED")) {
    return static_cast<std::uint32_t>(std::strtoul(text, nullptr, 10));
  }
  return std::random_device{}();
}

// 2021-06-01 plus `days`, as YYYY-MM-DD.
std::string day_after_opening(int days) {
  using namespace std::chrono;
  const year_month_day day{sys_days{year{2021} / June / 1} + std::chrono::days{days}};
  std::ostringstream text;
  text << std::setfill('0') << std::setw(4) << static_cast<int>(day.year()) << '-' << std::setw(2)
       << static_cast<unsigned>(day.month()) << '-' << std::setw(2)
       << static_cast<unsigned>(day.day());
  return text.str();
}

// Each round starts the server's clock later than the one before, never earlier: a new China day
// every `rounds_per_day` rounds, and 20 s later within a day (well inside the 60 s a question
// allows, so resumed questions are not timed out).
std::string clock_at(int day, int second) {
  return day_after_opening(day) + "T09:00:" + (second < 10 ? "0" : "") + std::to_string(second) +
         "+08:00";
}

std::string clock_of_round(int round) {
  return clock_at(round / rounds_per_day, 20 * (round % rounds_per_day));
}

// After the last kill: the last round's day, later than any round of it, so no attempt is past its
// deadline and nothing changes while the totals are compared.
std::string final_clock(int rounds) {
  return clock_at((rounds - 1) / rounds_per_day, 50);
}

fixture_options crash_options(int rounds) {
  fixture_options options;
  options.clock_start = clock_of_round(0);
  options.extra_competition =
      "starts_on = \"2021-06-01\"\nends_on = \"" + day_after_opening(rounds / rounds_per_day + 1) +
      "\"\nattempts_per_day = 1\ncorrect_per_draw = " + std::to_string(correct_per_draw) +
      "\npoints = { per_attempt = " + std::to_string(points_per_attempt) +
      ", per_correct = " + std::to_string(points_per_correct) +
      ", perfect_bonus = " + std::to_string(perfect_bonus) + " }\n";
  // The tokens signed in on the first day must last until the last one.
  const int days = rounds / rounds_per_day + 2;
  options.extra_auth =
      "token_ttl_s = " + std::to_string(std::int64_t{days} * 86400) +
      "\ncodes_per_address_per_hour = 100000\ncodes_per_address_per_day = 100000\n";
  // P2's small stock runs out early: from then on its share of the draws must win nothing. P3 has
  // a daily cap.
  options.prizes = R"([[prizes]]
id = "P1"
name = "安全应急包"
total = 100000
probability = 0.3
[[prizes]]
id = "P2"
name = "家用灭火器"
total = 4
probability = 0.3
[[prizes]]
id = "P3"
name = "安全帽"
total = 100000
daily_cap = 3
probability = 0.2
)";
  return options;
}

struct player {
  std::string token;
  std::string region;
  std::string unit_id;  // empty: 社会公众, no unit
};

// Five counties in four cities, two units in each county and some participants without a unit.
std::vector<player> sign_up_players(server_fixture& server) {
  auto client = server.client();
  std::vector<std::vector<std::string>> units;
  for (const auto& county : counties) {
    units.push_back(unit_ids(client, county, 2));
  }
  std::vector<player> players;
  for (std::size_t i = 0; i < participant_count; ++i) {
    const std::size_t county = i % counties.size();
    const std::size_t slot = (i / counties.size()) % 3;
    player one{"", counties[county], slot < 2 ? units[county].at(slot) : ""};
    one.token = server.participant_in(client, "1396666" + std::to_string(1000 + i), one.region,
                                      one.unit_id);
    players.push_back(std::move(one));
  }
  return players;
}

struct acknowledged_answer {
  std::vector<std::string> choice;  // sorted, as the server stores it
  bool correct = false;             // the choice equals the question's correct keys
};

struct acknowledged_draw {
  std::size_t player = 0;
  std::int64_t draw_id = 0;
  std::string prize_id;  // empty: no prize
};

// What the clients were told, collected from every thread; read only after the threads joined.
class acknowledgements {
 public:
  void answer(std::int64_t attempt, int index, acknowledged_answer given) {
    const std::lock_guard lock(mutex_);
    const auto [place, added] = answers_.try_emplace({attempt, index}, given);
    if (!added && place->second.choice != given.choice) {
      surprises_.push_back("attempt " + std::to_string(attempt) + " question " +
                           std::to_string(index) + " acknowledged with two choices");
    }
  }
  void result(std::int64_t attempt, const json::value& result) {
    const std::lock_guard lock(mutex_);
    const auto [place, added] = results_.try_emplace(attempt, result);
    if (!added && place->second != result) {
      surprises_.push_back("attempt " + std::to_string(attempt) + " got two results");
    }
  }
  void owner(std::int64_t attempt, std::size_t player) {
    const std::lock_guard lock(mutex_);
    owners_.emplace(attempt, player);
  }
  void draw(acknowledged_draw drawn) {
    const std::lock_guard lock(mutex_);
    draws_.push_back(std::move(drawn));
  }
  void responded() { responses_.fetch_add(1); }
  [[nodiscard]] std::int64_t responses() const { return responses_.load(); }
  void surprise(std::string what) {
    const std::lock_guard lock(mutex_);
    surprises_.push_back(std::move(what));
  }

  [[nodiscard]] const auto& answers() const { return answers_; }
  [[nodiscard]] const auto& results() const { return results_; }
  [[nodiscard]] const auto& owners() const { return owners_; }
  [[nodiscard]] const auto& draws() const { return draws_; }
  [[nodiscard]] const auto& surprises() const { return surprises_; }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, int>, acknowledged_answer> answers_;
  std::map<std::int64_t, json::value> results_;  // attempt → {"correct","points","draws_earned"}
  std::map<std::int64_t, std::size_t> owners_;   // attempt → player
  std::vector<acknowledged_draw> draws_;
  std::vector<std::string> surprises_;      // responses the rules do not allow
  std::atomic<std::int64_t> responses_{0};  // 2xx responses so far, in every round
};

// The correct keys of each question of an attempt, read from the database in one go.
std::vector<json::array> attempt_keys(const server_fixture& server, std::int64_t attempt) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  std::vector<json::array> keys;
  const auto paper = paper_of(database, attempt_id{attempt});
  for (const auto& shown : paper.value_or(std::vector<presented_question>{})) {
    json::array correct;
    for (const auto& key : shown.correct_keys) {
      correct.emplace_back(key);
    }
    keys.push_back(std::move(correct));
  }
  return keys;
}

std::vector<std::string> sorted_keys(const json::array& keys) {
  std::vector<std::string> sorted;
  for (const auto& key : keys) {
    sorted.emplace_back(key.as_string());
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// One participant's client during one round: draws what it has earned, resumes or starts today's
// challenge, answers it (mostly right, sometimes giving up early), finishes it and draws again. It
// stops when today's challenge is done or when the server dies under it.
class challenger {
 public:
  challenger(const server_fixture& server, std::size_t number, std::string token,
             std::uint32_t seed, acknowledgements& seen)
      : server_(server),
        client_(server.client()),
        number_(number),
        token_(std::move(token)),
        random_(seed),
        seen_(seen) {}

  void run(const std::atomic<bool>& killed) {
    try {
      draw_all();
      if (const auto attempt = open_attempt()) {
        play(attempt->first, attempt->second);
        draw_all();
      }
    } catch (const std::exception& error) {
      if (!killed) {
        seen_.surprise("player " + std::to_string(number_) + " before the kill: " + error.what());
      }
      // after the kill: the server died under this client, as intended
    }
  }

 private:
  void unexpected(const std::string& what, const http_response& response) {
    seen_.surprise("player " + std::to_string(number_) + " " + what + ": " +
                   std::to_string(response.status) + " " + response.body);
  }

  std::string attempt_path(std::int64_t attempt) const {
    return "/api/v1/attempts/" + std::to_string(attempt);
  }

  void draw_all() {
    for (;;) {
      const auto response = client_.post("/api/v1/draws", json::object{}, token_);
      if (response.status == 409 &&
          response.json().at("error").at("code").as_string() == "no_draws_available") {
        return;
      }
      if (response.status != 200) {
        return unexpected("draw", response);
      }
      seen_.responded();
      const auto body = response.json();
      const auto& prize = body.at("prize");
      seen_.draw({number_, body.at("draw_id").as_int64(),
                  prize.is_null() ? std::string{} : std::string{prize.at("id").as_string()}});
      if (body.at("draws_available").as_int64() <= 0) {
        return;
      }
    }
  }

  // Today's attempt and how many of its questions are answered, when it is still open.
  std::optional<std::pair<std::int64_t, int>> open_attempt() {
    const auto response = client_.get("/api/v1/me", token_);
    if (response.status != 200) {
      unexpected("me", response);
      return std::nullopt;
    }
    seen_.responded();
    const auto me = response.json();
    const auto& today = me.at("today");
    if (today.at("attempt_id").is_null()) {
      const auto started = client_.post("/api/v1/attempts", json::object{}, token_);
      if (started.status != 201) {
        unexpected("start", started);
        return std::nullopt;
      }
      seen_.responded();
      const std::int64_t attempt = started.json().at("id").as_int64();
      seen_.owner(attempt, number_);
      return std::pair{attempt, 0};
    }
    const std::int64_t attempt = today.at("attempt_id").as_int64();
    seen_.owner(attempt, number_);
    if (today.at("status").as_string() != "in_progress") {
      return std::nullopt;  // done for today
    }
    const auto view = client_.get(attempt_path(attempt), token_);
    if (view.status != 200) {
      unexpected("resume", view);
      return std::nullopt;
    }
    seen_.responded();
    return std::pair{attempt, static_cast<int>(view.json().at("answered").as_int64())};
  }

  void play(std::int64_t attempt, int first) {
    const std::vector<json::array> keys = attempt_keys(server_, attempt);
    if (keys.empty()) {
      // The start was acknowledged, so its questions must already be committed.
      seen_.surprise("attempt " + std::to_string(attempt) + " has no questions in the database");
      return;
    }
    int last = static_cast<int>(keys.size());
    if (random_() % 100 < early_finish_percent) {
      last = std::min(last, 5 + static_cast<int>(random_() % 10));
    }
    for (int index = first; index < last; ++index) {
      const json::array& right = keys[static_cast<std::size_t>(index)];
      const bool correct = random_() % 100 < correct_percent;
      const json::array choice =
          correct ? right : json::array{right.at(0).as_string() == "A" ? "B" : "A"};
      const auto response =
          client_.post(attempt_path(attempt) + "/answers",
                       json::object{{"index", index}, {"choice", choice}}, token_);
      if (response.status != 200) {
        return unexpected("answer", response);
      }
      seen_.responded();
      seen_.answer(attempt, index, {sorted_keys(choice), correct});
      record_result(attempt, response.json().at("attempt"));
    }
    const auto finished = client_.post(attempt_path(attempt) + "/finish", json::object{}, token_);
    if (finished.status != 200) {
      return unexpected("finish", finished);
    }
    seen_.responded();
    record_result(attempt, finished.json());
  }

  void record_result(std::int64_t attempt, const json::value& view) {
    if (!view.at("result").is_null()) {
      seen_.result(attempt, view.at("result"));
    }
  }

  const server_fixture& server_;
  http_client client_;
  std::size_t number_;
  std::string token_;
  std::mt19937 random_;
  acknowledgements& seen_;
};

std::int64_t count_of(sqlite_database& database, const std::string& sql) {
  auto statement = database.prepare(sql);
  statement.step();
  return statement.column_int64(0);
}

std::string integrity_of(const server_fixture& server) {
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  auto statement = database.prepare("PRAGMA integrity_check");
  std::string result;
  while (statement.step() == step_result::row) {
    result += statement.column_text(0) + "\n";
  }
  return result;
}

// Clients play until a random moment, then the server gets SIGKILL and the clients are joined.
void run_round(server_fixture& server, const std::vector<player>& players, std::mt19937& random,
               acknowledgements& seen) {
  std::atomic<bool> killed{false};
  std::atomic<std::size_t> done{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < players.size(); ++i) {
    // The client connects to the current port; made here, not in the thread, which races crash().
    threads.emplace_back(
        [&killed, &done,
         one = std::make_shared<challenger>(server, i, players[i].token, random(), seen)] {
          one->run(killed);
          ++done;
        });
  }
  std::uniform_int_distribution<std::int64_t> responses{1, most_responses_before_kill};
  const std::int64_t kill_after = seen.responses() + responses(random);
  // The kill point is a count of responses, not a time; a round that stops answering is killed
  // after a minute anyway (and then found wanting by the checks).
  [[maybe_unused]] const bool reached =
      wait_until([&] { return seen.responses() >= kill_after || done >= players.size(); },
                 std::chrono::seconds{60}, std::chrono::milliseconds{1});
  killed = true;
  server.crash();
  for (auto& thread : threads) {
    thread.join();
  }
}

// Problems are collected and reported together, so one failure shows its first examples.
void check_no_problems(const std::string& what, const std::vector<std::string>& problems) {
  std::string shown;
  for (std::size_t i = 0; i < problems.size() && i < 10; ++i) {
    shown += "\n  " + problems[i];
  }
  INFO(what << ": " << problems.size() << " problems" << shown);
  CHECK(problems.empty());
}

void check_acknowledged_answers(sqlite_database& database, const acknowledgements& seen) {
  auto statement = database.prepare(
      "SELECT choice, correct, timed_out FROM answers WHERE attempt_id = ?1 AND position = ?2");
  std::vector<std::string> problems;
  for (const auto& [key, given] : seen.answers()) {
    const std::string where =
        "attempt " + std::to_string(key.first) + " question " + std::to_string(key.second);
    statement.reset();
    statement.bind(1, key.first).bind(2, key.second);
    if (statement.step() != step_result::row) {
      problems.push_back(where + ": acknowledged answer lost");
      continue;
    }
    choice_keys stored = decode_choice(statement.column_text(0));
    std::sort(stored.begin(), stored.end());
    if (stored != given.choice) {
      problems.push_back(where + ": stored " + statement.column_text(0));
    }
    if (statement.column_int(2) != 0 || (statement.column_int(1) != 0) != given.correct) {
      problems.push_back(where + ": scored wrongly");
    }
  }
  check_no_problems("acknowledged answers", problems);
}

void check_acknowledged_results(sqlite_database& database, const acknowledgements& seen) {
  auto statement =
      database.prepare("SELECT status, correct, points, draws_earned FROM attempts WHERE id = ?1");
  std::vector<std::string> problems;
  for (const auto& [attempt, result] : seen.results()) {
    statement.reset();
    statement.bind(1, attempt);
    const std::string where = "attempt " + std::to_string(attempt);
    if (statement.step() != step_result::row || statement.column_text(0) == "in_progress") {
      problems.push_back(where + ": acknowledged result lost");
      continue;
    }
    const json::value stored = json::object{{"correct", statement.column_int64(1)},
                                            {"points", statement.column_int64(2)},
                                            {"draws_earned", statement.column_int64(3)}};
    if (stored != result) {
      problems.push_back(where + ": stored " + json::serialize(stored) + ", acknowledged " +
                         json::serialize(result));
    }
  }
  check_no_problems("acknowledged results", problems);
}

// Each player's participant id, from the attempts it was shown: one each, all different.
std::vector<std::int64_t> participant_ids(sqlite_database& database, const acknowledgements& seen) {
  std::vector<std::set<std::int64_t>> found(participant_count);
  auto statement = database.prepare("SELECT participant_id FROM attempts WHERE id = ?1");
  for (const auto& [attempt, player] : seen.owners()) {
    statement.reset();
    statement.bind(1, attempt);
    if (statement.step() == step_result::row) {
      found[player].insert(statement.column_int64(0));
    }
  }
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> distinct;
  for (const auto& one : found) {
    CHECK(one.size() <= 1);
    ids.push_back(one.empty() ? 0 : *one.begin());  // 0: never saw an attempt (only in short runs)
    CHECK((one.empty() || distinct.insert(*one.begin()).second));
  }
  return ids;
}

void check_acknowledged_draws(sqlite_database& database, const acknowledgements& seen,
                              const std::vector<std::int64_t>& participants) {
  auto statement =
      database.prepare("SELECT participant_id, IFNULL(prize_id, '') FROM draws WHERE id = ?1");
  std::vector<std::string> problems;
  std::set<std::int64_t> ids;
  for (const auto& drawn : seen.draws()) {
    const std::string where = "draw " + std::to_string(drawn.draw_id);
    if (!ids.insert(drawn.draw_id).second) {
      problems.push_back(where + ": acknowledged twice");
    }
    statement.reset();
    statement.bind(1, drawn.draw_id);
    if (statement.step() != step_result::row) {
      problems.push_back(where + ": acknowledged draw lost");
    } else if (statement.column_int64(0) != participants[drawn.player] ||
               statement.column_text(1) != drawn.prize_id) {
      problems.push_back(where + ": stored prize '" + statement.column_text(1) +
                         "', acknowledged '" + drawn.prize_id + "'");
    }
  }
  check_no_problems("acknowledged draws", problems);
}

// Each query counts the rows that break one promise; every count must be 0.
const std::vector<std::pair<std::string, std::string>>& broken_promises() {
  static const std::vector<std::pair<std::string, std::string>> queries{
      {"an (attempt, position) answered twice",
       "SELECT COUNT(*) FROM (SELECT 1 FROM answers GROUP BY attempt_id, position "
       "HAVING COUNT(*) > 1)"},
      {"an answer to a question its attempt does not have",
       "SELECT COUNT(*) FROM answers a JOIN attempts t ON t.id = a.attempt_id WHERE "
       "a.position < 0 OR a.position >= IFNULL(json_array_length(t.paper), 0)"},
      {"an attempt whose answer count is not that of its stored answers",
       "SELECT COUNT(*) FROM attempts t WHERE t.answered IS NOT (SELECT COUNT(*) FROM answers a "
       "WHERE a.attempt_id = t.id)"},
      {"a closed attempt whose correct count is not that of its answers",
       "SELECT COUNT(*) FROM attempts a WHERE a.status <> 'in_progress' AND a.correct IS NOT "
       "(SELECT COUNT(*) FROM answers s WHERE s.attempt_id = a.id AND s.correct = 1)"},
      {"a closed attempt whose points or draws break the rules",
       "SELECT COUNT(*) FROM attempts a WHERE a.status <> 'in_progress' AND (a.points IS NOT " +
           std::to_string(points_per_attempt) + " + " + std::to_string(points_per_correct) +
           " * a.correct + CASE WHEN a.correct = json_array_length(a.paper) THEN " +
           std::to_string(perfect_bonus) + " ELSE 0 END OR a.draws_earned IS NOT a.correct / " +
           std::to_string(correct_per_draw) + ")"},
      {"an open attempt with a result",
       "SELECT COUNT(*) FROM attempts WHERE status = 'in_progress' AND (closed_at IS NOT NULL OR "
       "points IS NOT NULL)"},
      {"a closed attempt without its exact ledger row",
       "SELECT COUNT(*) FROM attempts a WHERE a.status <> 'in_progress' AND NOT EXISTS (SELECT 1 "
       "FROM points_ledger l WHERE l.attempt_id = a.id AND l.participant_id = a.participant_id "
       "AND l.competition_id = a.competition_id AND l.day = a.day AND l.correct = a.correct AND "
       "l.points = a.points)"},
      {"a ledger row without a closed attempt",
       "SELECT COUNT(*) FROM points_ledger l LEFT JOIN attempts a ON a.id = l.attempt_id WHERE "
       "a.id IS NULL OR a.status = 'in_progress'"},
      {"an attempt credited twice",
       "SELECT COUNT(*) FROM (SELECT 1 FROM points_ledger GROUP BY attempt_id HAVING COUNT(*) > "
       "1)"},
      {"a ledger row credited to another unit or region than its participant's",
       "SELECT COUNT(*) FROM points_ledger l JOIN participants p ON p.id = l.participant_id WHERE "
       "l.region_code IS NOT p.region_code OR l.unit_id IS NOT p.unit_id"},
      {"a ledger row without exactly one matching outbox event",
       "SELECT COUNT(*) FROM points_ledger l WHERE (SELECT COUNT(*) FROM outbox o WHERE "
       "o.attempt_id = l.attempt_id AND o.points = l.points AND o.day = l.day AND o.unit_id IS "
       "l.unit_id AND (o.region_codes = l.region_code OR o.region_codes LIKE l.region_code || "
       "',%')) <> 1"},
      {"an outbox event without its ledger row",
       "SELECT COUNT(*) FROM outbox o LEFT JOIN points_ledger l ON l.attempt_id = o.attempt_id "
       "WHERE l.id IS NULL"},
      {"a participant whose first challenge is counted other than once",
       "SELECT COUNT(*) FROM (SELECT 1 FROM points_ledger l JOIN outbox o ON o.attempt_id = "
       "l.attempt_id GROUP BY l.participant_id HAVING SUM(o.first_in_window) <> 1)"},
      {"a participant whose first challenge of a day is counted other than once",
       "SELECT COUNT(*) FROM (SELECT 1 FROM points_ledger l JOIN outbox o ON o.attempt_id = "
       "l.attempt_id GROUP BY l.participant_id, l.day HAVING SUM(o.first_in_day) <> 1)"},
      {"a day's ledger totals that differ from the ledger rows they count",
       "SELECT COUNT(*) FROM (SELECT competition_id, day, region_code, IFNULL(unit_id, '') AS "
       "unit, COUNT(DISTINCT participant_id) AS people, COUNT(*) AS attempts, SUM(points) AS "
       "points, SUM(correct) AS correct, SUM(flagged) AS flagged FROM points_ledger GROUP BY 1, "
       "2, 3, 4) l FULL JOIN ledger_day_totals t ON t.competition_id = l.competition_id AND t.day "
       "= l.day AND t.region_code = l.region_code AND t.unit_id = l.unit WHERE t.participants IS "
       "NOT l.people OR t.attempts IS NOT l.attempts OR t.points IS NOT l.points OR t.correct IS "
       "NOT l.correct OR t.flagged IS NOT l.flagged"},
      {"a participant counted as new on a day other than their first",
       "SELECT COUNT(*) FROM (SELECT competition_id, region_code, IFNULL(unit_id, '') AS unit, "
       "day, COUNT(*) AS fresh FROM (SELECT *, MIN(day) OVER (PARTITION BY participant_id, "
       "competition_id) AS first_day FROM points_ledger) WHERE day = first_day GROUP BY 1, 2, 3, "
       "4) l FULL JOIN (SELECT * FROM ledger_day_totals WHERE new_participants > 0) t ON "
       "t.competition_id = l.competition_id AND t.day = l.day AND t.region_code = l.region_code "
       "AND t.unit_id = l.unit WHERE t.new_participants IS NOT l.fresh"},
      {"a participant whose draws earned are not those of their closed attempts",
       "SELECT COUNT(*) FROM participants p WHERE p.draws_earned <> (SELECT "
       "IFNULL(SUM(a.draws_earned), 0) FROM attempts a WHERE a.participant_id = p.id AND "
       "a.status <> 'in_progress')"},
      {"a participant who drew more than earned, or whose draw numbers have gaps",
       "SELECT COUNT(*) FROM participants p JOIN (SELECT participant_id, COUNT(*) AS used, "
       "MIN(draw_number) AS low, MAX(draw_number) AS high FROM draws GROUP BY participant_id) d "
       "ON d.participant_id = p.id WHERE d.used > p.draws_earned OR d.low <> 1 OR d.high <> "
       "d.used"},
      {"a prize whose stock disagrees with the draws that won it",
       "SELECT COUNT(*) FROM prizes p WHERE p.remaining < 0 OR p.remaining > p.total OR p.total - "
       "p.remaining <> (SELECT COUNT(*) FROM draws d WHERE d.prize_id = p.id)"},
      {"a prize day that disagrees with its draws or passes the daily cap",
       "SELECT COUNT(*) FROM prize_days pd JOIN prizes p ON p.id = pd.prize_id WHERE pd.awarded "
       "<> (SELECT COUNT(*) FROM draws d WHERE d.prize_id = pd.prize_id AND d.day = pd.day) OR "
       "pd.awarded > IFNULL(p.daily_cap, pd.awarded)"},
      {"prizes won on a day without its prize day row",
       "SELECT COUNT(*) FROM (SELECT DISTINCT prize_id, day FROM draws WHERE prize_id IS NOT NULL) "
       "d LEFT JOIN prize_days pd ON pd.prize_id = d.prize_id AND pd.day = d.day WHERE "
       "pd.prize_id IS NULL"},
      {"a broken foreign key", "SELECT COUNT(*) FROM pragma_foreign_key_check"},
  };
  return queries;
}

using sums = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;  // key → points, rows

sums grouped_sums(sqlite_database& database, const std::string& sql) {
  auto statement = database.prepare(sql);
  sums result;
  while (statement.step() == step_result::row) {
    result[statement.column_text(0)] = {statement.column_int64(1), statement.column_int64(2)};
  }
  return result;
}

// Every region with all its ancestors, for sums at the county, city and province level.
constexpr std::string_view ancestors =
    "WITH RECURSIVE up (leaf, code) AS (SELECT code, code FROM regions UNION ALL SELECT up.leaf, "
    "r.parent_code FROM up JOIN regions r ON r.code = up.code WHERE r.parent_code IS NOT NULL) ";

// The unit and region sums kept by the ledger and the outbox equal those of the attempts.
void check_unit_and_region_sums(sqlite_database& database) {
  const sums units_truth =
      grouped_sums(database,
                   "SELECT IFNULL(p.unit_id, '-'), SUM(a.points), COUNT(*) FROM attempts a JOIN "
                   "participants p ON p.id = a.participant_id WHERE a.status <> 'in_progress' "
                   "GROUP BY 1");
  CHECK(grouped_sums(database,
                     "SELECT IFNULL(unit_id, '-'), SUM(points), COUNT(*) FROM points_ledger "
                     "GROUP BY 1") == units_truth);
  CHECK(grouped_sums(database,
                     "SELECT IFNULL(unit_id, '-'), SUM(points), COUNT(*) FROM outbox GROUP BY 1") ==
        units_truth);
  const sums regions_truth = grouped_sums(
      database, std::string{ancestors} +
                    "SELECT up.code, SUM(a.points), COUNT(*) FROM attempts a JOIN participants p "
                    "ON p.id = a.participant_id JOIN up ON up.leaf = p.region_code WHERE "
                    "a.status <> 'in_progress' GROUP BY up.code");
  CHECK(grouped_sums(database, std::string{ancestors} +
                                   "SELECT up.code, SUM(l.points), COUNT(*) FROM points_ledger l "
                                   "JOIN up ON up.leaf = l.region_code GROUP BY up.code") ==
        regions_truth);
  CHECK(grouped_sums(database,
                     "SELECT r.code, SUM(o.points), COUNT(*) FROM outbox o JOIN regions r ON ',' "
                     "|| o.region_codes || ',' LIKE '%,' || r.code || ',%' GROUP BY r.code") ==
        regions_truth);
  // Not vacuous: every closed attempt reached the province, and several units have points.
  REQUIRE(regions_truth.count("640000") == 1);
  CHECK(regions_truth.at("640000").second ==
        count_of(database, "SELECT COUNT(*) FROM attempts WHERE status <> 'in_progress'"));
  CHECK(units_truth.size() > counties.size());
}

// What /api/v1/me shows each participant (totals from the ledger, draws left) equals what the
// attempts and draws tables hold.
void check_api_totals(const server_fixture& server, sqlite_database& database,
                      const std::vector<player>& players,
                      const std::vector<std::int64_t>& participants) {
  auto client = server.client();
  auto statement = database.prepare(
      "SELECT COUNT(a.id), IFNULL(SUM(a.correct), 0), IFNULL(SUM(a.points), 0), p.draws_earned - "
      "(SELECT COUNT(*) FROM draws d WHERE d.participant_id = p.id) FROM participants p LEFT JOIN "
      "attempts a ON a.participant_id = p.id AND a.status <> 'in_progress' WHERE p.id = ?1 "
      "GROUP BY p.id");
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < players.size(); ++i) {
    if (participants[i] == 0) {
      continue;
    }
    const auto me = client.get("/api/v1/me", players[i].token).json();
    const auto& totals = me.at("totals");
    statement.reset();
    statement.bind(1, participants[i]);
    if (statement.step() != step_result::row ||
        totals.at("attempts").as_int64() != statement.column_int64(0) ||
        totals.at("correct").as_int64() != statement.column_int64(1) ||
        totals.at("points").as_int64() != statement.column_int64(2) ||
        me.at("draws_available").as_int64() != statement.column_int64(3)) {
      problems.push_back("player " + std::to_string(i) + " sees " + json::serialize(me));
    }
  }
  check_no_problems("participants' totals", problems);
}

void print_summary(sqlite_database& database, const acknowledgements& seen) {
  std::cout << "crash loop: acknowledged " << seen.answers().size() << " answers, "
            << seen.results().size() << " results, " << seen.draws().size() << " draws; "
            << count_of(database, "SELECT COUNT(*) FROM attempts WHERE status = 'finished'")
            << " attempts finished, "
            << count_of(database, "SELECT COUNT(*) FROM attempts WHERE status = 'expired'")
            << " expired, "
            << count_of(database, "SELECT COUNT(*) FROM attempts WHERE status = 'in_progress'")
            << " open; prizes won:";
  auto prizes =
      database.prepare("SELECT p.id, p.total - p.remaining, p.total FROM prizes p ORDER BY p.id");
  while (prizes.step() == step_result::row) {
    std::cout << ' ' << prizes.column_text(0) << ' ' << prizes.column_int64(1) << '/'
              << prizes.column_int64(2);
  }
  std::cout << std::endl;
}

}  // namespace

TEST_CASE("crash loop: kill -9 during challenges and draws loses and doubles nothing", "[abuse]") {
  const int rounds = rounds_from_environment();
  const std::uint32_t seed = seed_from_environment();
  std::cout << "crash loop: " << rounds << " kills, seed " << seed
            << " (ANQUANLI_CRASH_SEED=" << seed << " repeats it)" << std::endl;
  INFO("seed " << seed);
  std::mt19937 random(seed);
  server_fixture server(crash_options(rounds));
  const std::vector<player> players = sign_up_players(server);
  acknowledgements seen;
  for (int round = 0; round < rounds; ++round) {
    run_round(server, players, random, seen);
    INFO("after kill " << round + 1);
    REQUIRE(integrity_of(server) == "ok\n");
    server.start(round + 1 < rounds ? clock_of_round(round + 1) : final_clock(rounds));
  }
  check_no_problems("responses the rules do not allow", seen.surprises());
  std::vector<std::int64_t> participants;
  {
    sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
    participants = participant_ids(database, seen);
    check_api_totals(server, database, players, participants);
  }
  REQUIRE(server.stop() == 0);
  sqlite_database database(server.data_dir() / "anquanli.db", open_mode::read_only);
  check_acknowledged_answers(database, seen);
  check_acknowledged_results(database, seen);
  check_acknowledged_draws(database, seen, participants);
  for (const auto& [promise, query] : broken_promises()) {
    INFO(promise);
    CHECK(count_of(database, query) == 0);
  }
  check_unit_and_region_sums(database);
  // Not vacuous: answers, results, draws and prizes were all acknowledged along the way.
  CHECK_FALSE(seen.answers().empty());
  CHECK_FALSE(seen.results().empty());
  CHECK(count_of(database, "SELECT COUNT(*) FROM draws WHERE prize_id IS NOT NULL") > 0);
  print_summary(database, seen);
}
