#include "server/redis/participant_board.hpp"

#include <spdlog/spdlog.h>
#include <charconv>
#include <map>
#include <set>

#include "engine/ranking.hpp"
#include "server/redis/redis_keys.hpp"
#include "server/store/secrets.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

constexpr int max_events_per_round = 200;
constexpr std::size_t members_per_command = 500;
constexpr std::size_t commands_per_pipeline = 16;  // about 8,000 members: milliseconds of Redis

// KEYS[1] meta, KEYS[2] names, KEYS[3] units, KEYS[4..] boards; ARGV[1] event id, ARGV[2] member,
// ARGV[3] −points, ARGV[4] masked name, ARGV[5] unit name ('' for none).
constexpr std::string_view apply_script = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local id = tonumber(ARGV[1])
local hwm = tonumber(redis.call('HGET', KEYS[1], 'hwm') or '0')
if id <= hwm then return 0 end
for i = 4, #KEYS do
  redis.call('ZINCRBY', KEYS[i], ARGV[3], ARGV[2])
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[3], ARGV[2], ARGV[5]) end
redis.call('HSET', KEYS[1], 'hwm', id)
return 1
)lua";

// KEYS[1] meta, then pairs (temporary, real); ARGV[1] high-water mark, ARGV[2] epoch.
constexpr std::string_view swap_script = R"lua(
for i = 2, #KEYS, 2 do
  redis.call('UNLINK', KEYS[i + 1])
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i + 1])
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hwm', ARGV[1], 'epoch', ARGV[2])
return 1
)lua";

std::int64_t parse_number(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return static_cast<std::int64_t>(value);
}

std::string scope_of(const std::optional<std::string>& day) {
  return day ? "d:" + *day : "all";
}

// What each board should hold according to SQLite: board key → member → points.
using board_map = std::map<std::string, std::map<std::string, std::int64_t>>;

}  // namespace

person_page page_from(const participant_board_rows& rows, int offset, int limit) {
  std::vector<ranked_entry> entries;
  entries.reserve(rows.points.size());
  for (const auto& row : rows.points) {
    entries.push_back({row.member, static_cast<double>(row.points)});
  }
  const auto ranked = rank_entries(std::move(entries));
  person_page page{static_cast<std::int64_t>(ranked.size()), {}};
  for (std::size_t i = static_cast<std::size_t>(offset);
       i < ranked.size() && page.items.size() < static_cast<std::size_t>(limit); ++i) {
    const auto shown = rows.displays.find(ranked[i].id);
    page.items.push_back({ranked[i].rank,
                          shown == rows.displays.end() ? participant_display{} : shown->second,
                          static_cast<std::int64_t>(*ranked[i].value)});
  }
  return page;
}

region_rank rank_from(const participant_board_rows& rows, const std::string& member,
                      const std::string& region_code) {
  region_rank result{region_code, std::nullopt, static_cast<std::int64_t>(rows.points.size())};
  const auto mine =
      std::find_if(rows.points.begin(), rows.points.end(),
                   [&](const participant_points& row) { return row.member == member; });
  if (mine != rows.points.end()) {
    result.rank =
        1 + std::count_if(rows.points.begin(), rows.points.end(),
                          [&](const participant_points& row) { return row.points > mine->points; });
  }
  return result;
}

std::string participant_board::meta_key() const {
  return "pb:{" + competition_id_ + "}:meta";
}

std::string participant_board::board_key(std::string_view region_code,
                                         std::string_view scope) const {
  return "pb:{" + competition_id_ + "}:r:" + std::string{region_code} + ":" + std::string{scope};
}

std::string participant_board::names_key() const {
  return "pb:{" + competition_id_ + "}:name";
}

std::string participant_board::units_key() const {
  return "pb:{" + competition_id_ + "}:unit";
}

std::vector<std::string> participant_board::apply_command(const participant_event& event) const {
  std::vector<std::string> command{
      "EVAL", std::string{apply_script}, "0", meta_key(), names_key(), units_key()};
  for (const std::string& scope : {std::string{"all"}, "d:" + event.day}) {
    for (const auto& code : event.region_codes) {
      command.push_back(board_key(code, scope));
    }
  }
  command[2] = std::to_string(command.size() - 3);
  command.push_back(std::to_string(event.id));
  command.push_back(event.member);
  command.push_back(std::to_string(-event.points));
  command.push_back(event.display.name);
  command.push_back(event.display.unit_name.value_or(""));
  return command;
}

asio::awaitable<std::int64_t> participant_board::stored_high_water() {
  std::vector<std::string> command{"HGET", meta_key(), "hwm"};
  const redis_reply reply = co_await redis_.command(std::move(command));
  co_return reply.type == redis_reply::kind::string ? parse_number(reply.text) : -1;
}

asio::awaitable<int> participant_board::catch_up(durable_store& store) {
  std::int64_t high_water = co_await stored_high_water();
  if (high_water < 0) {
    co_await rebuild(store);
    high_water = co_await stored_high_water();
  }
  const auto events = co_await store.participant_events_after(high_water, max_events_per_round);
  if (events.empty()) {
    co_return 0;
  }
  co_return co_await apply(events);
}

asio::awaitable<int> participant_board::apply(const std::vector<participant_event>& events) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(events.size());
  for (const auto& event : events) {
    commands.push_back(apply_command(event));
  }
  int applied = 0;
  for (const redis_reply& reply : co_await redis_.pipeline(std::move(commands))) {
    if (reply.type == redis_reply::kind::error) {
      throw redis_unavailable("Redis refused a personal ranking event: " + reply.text);
    }
    if (reply.integer < 0) {
      throw redis_unavailable("Redis holds no personal rankings to apply events to");
    }
    applied += reply.integer == 1 ? 1 : 0;
  }
  co_return applied;
}

namespace {

board_map expected_boards(const participant_snapshot& snapshot, const participant_board& board) {
  board_map boards;
  const auto add = [&](const std::vector<participant_points>& rows, const std::string& scope) {
    for (const auto& row : rows) {
      const auto path = snapshot.paths.find(row.member);
      if (path == snapshot.paths.end()) {
        continue;
      }
      for (const auto& code : path->second) {
        boards[board.board_key(code, scope)][row.member] = row.points;
      }
    }
  };
  add(snapshot.window, "all");
  for (const auto& [day, rows] : snapshot.days) {
    add(rows, "d:" + day);
  }
  return boards;
}

}  // namespace

asio::awaitable<std::vector<std::string>> participant_board::stored_keys() {
  return keys_with_prefix(redis_, "pb:{" + competition_id_ + "}:");
}

asio::awaitable<void> participant_board::rebuild(durable_store& store) {
  const participant_snapshot snapshot = co_await store.snapshot_participants();
  // Listed before anything is written: the boards below are flushed as they are staged, and their
  // temporaries must not be taken for the leftovers of an earlier rebuild.
  const std::vector<std::string> stored = co_await stored_keys();
  const std::string epoch = std::to_string(secrets::random_u64());
  std::vector<std::string> swap{"EVAL", std::string{swap_script}, "0", meta_key()};
  std::vector<std::vector<std::string>> writes;
  const auto stage = [&](const std::string& real, std::vector<std::string> head,
                         const auto& pairs) {
    const std::string temporary = real + ":tmp:" + epoch;
    head.insert(head.begin() + 1, temporary);
    std::vector<std::string> command = head;
    for (const auto& [first, second] : pairs) {
      command.push_back(first);
      command.push_back(second);
      if (command.size() >= head.size() + 2 * members_per_command) {
        writes.push_back(std::exchange(command, head));
      }
    }
    if (command.size() > head.size()) {
      writes.push_back(std::move(command));
    }
    swap.push_back(temporary);
    swap.push_back(real);
  };
  // Each board's commands go out once staged rather than all at the end, so the commands of a
  // province's rankings (millions of members, as strings) are never all held at once.
  for (const auto& [key, members] : expected_boards(snapshot, *this)) {
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.reserve(members.size());
    for (const auto& [member, points] : members) {
      pairs.emplace_back(std::to_string(-points), member);
    }
    stage(key, {"ZADD"}, pairs);
    if (writes.size() >= commands_per_pipeline * 4) {
      std::vector<std::vector<std::string>> ready = std::move(writes);
      writes.clear();
      co_await send_in_batches(redis_, std::move(ready), commands_per_pipeline,
                               "personal rankings rebuild");
    }
  }
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<std::pair<std::string, std::string>> units;
  for (const auto& [member, shown] : snapshot.displays) {
    names.emplace_back(member, shown.name);
    if (shown.unit_name) {
      units.emplace_back(member, *shown.unit_name);
    }
  }
  stage(names_key(), {"HSET"}, names);
  stage(units_key(), {"HSET"}, units);
  std::set<std::string> written{meta_key()};
  for (std::size_t index = 5; index < swap.size(); index += 2) {
    written.insert(swap[index]);
  }
  for (auto& remove : delete_commands(stale_keys(stored, written), members_per_command)) {
    writes.push_back(std::move(remove));
  }
  swap[2] = std::to_string(swap.size() - 3);
  swap.push_back(std::to_string(snapshot.high_water));
  swap.push_back(epoch);
  writes.push_back(std::move(swap));
  // In pipelines small enough for the command timeout: a province's rankings are millions of
  // members, far more than Redis takes in one timeout (the swap comes last, so a rebuild cut short
  // leaves only temporaries, which the next one removes).
  co_await send_in_batches(redis_, std::move(writes), commands_per_pipeline,
                           "personal rankings rebuild");
  spdlog::info("personal rankings: rebuilt from SQLite up to event {}", snapshot.high_water);
}

asio::awaitable<std::map<std::string, std::map<std::string, std::int64_t>>>
participant_board::read_boards(const std::vector<std::string>& keys) {
  // Board by board, in slices: a province's board over the window holds a million members, which
  // Redis does not send within one command deadline (and a verify must not read as a difference).
  constexpr int slice = 50000;
  board_map boards;
  for (const auto& key : keys) {
    auto& members = boards[key];
    for (int offset = 0;; offset += slice) {
      std::vector<std::vector<std::string>> command{{"ZRANGE", key, std::to_string(offset),
                                                     std::to_string(offset + slice - 1),
                                                     "WITHSCORES"}};
      const auto replies = co_await redis_.pipeline(std::move(command));
      const auto& elements = replies[0].elements;
      for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
        members[elements[i].text] = -parse_number(elements[i + 1].text);
      }
      if (elements.size() < 2 * static_cast<std::size_t>(slice)) {
        break;
      }
    }
  }
  co_return boards;
}

asio::awaitable<std::vector<std::string>> participant_board::verify(durable_store& store) {
  std::vector<std::string> differences;
  const participant_snapshot snapshot = co_await store.snapshot_participants();
  const std::int64_t high_water = co_await stored_high_water();
  if (high_water != snapshot.high_water) {
    differences.push_back("personal rankings high-water mark: redis " + std::to_string(high_water) +
                          ", sqlite " + std::to_string(snapshot.high_water));
  }
  const board_map truth = expected_boards(snapshot, *this);
  std::vector<std::string> keys;
  for (const auto& entry : truth) {
    keys.push_back(entry.first);
  }
  const board_map seen = co_await read_boards(keys);
  // Keys SQLite implies no board for (a day it has no ledger for, a rebuild's leftovers) show
  // numbers SQLite lacks.
  const std::set<std::string> expected_keys{keys.begin(), keys.end()};
  const std::set<std::string> kept{meta_key(), names_key(), units_key()};
  for (const std::string& key : co_await stored_keys()) {
    if (!expected_keys.contains(key) && !kept.contains(key)) {
      differences.push_back(key + ": redis holds a board sqlite has no points for");
    }
  }
  for (const auto& [key, members] : truth) {
    const auto& held = seen.at(key);
    if (held != members) {
      differences.push_back(key + ": redis holds " + std::to_string(held.size()) +
                            " participant(s) differing from sqlite's " +
                            std::to_string(members.size()));
    }
  }
  co_return differences;
}

asio::awaitable<std::optional<person_page>> participant_board::page(std::string region_code,
                                                                    std::optional<std::string> day,
                                                                    int offset, int limit) {
  const std::string key = board_key(region_code, scope_of(day));
  std::vector<std::vector<std::string>> first{
      {"EXISTS", meta_key()},
      {"ZCARD", key},
      {"ZRANGE", key, std::to_string(offset), std::to_string(offset + limit - 1), "WITHSCORES"}};
  const auto replies = co_await redis_.pipeline(std::move(first));
  if (replies[0].integer != 1) {
    co_return std::nullopt;
  }
  person_page result{replies[1].integer, {}};
  const auto& elements = replies[2].elements;
  if (elements.empty()) {
    co_return result;
  }
  std::vector<std::string> members;
  std::vector<std::string> names{"HMGET", names_key()};
  std::vector<std::string> units{"HMGET", units_key()};
  for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
    names.push_back(elements[i].text);
    units.push_back(elements[i].text);
  }
  std::vector<std::vector<std::string>> second{
      {"ZCOUNT", key, "-inf", "(" + elements[1].text}, std::move(names), std::move(units)};
  const auto more = co_await redis_.pipeline(std::move(second));
  std::int64_t rank = more[0].integer + 1;
  for (std::size_t i = 0, n = 0; i + 1 < elements.size(); i += 2, ++n) {
    const std::int64_t points = -parse_number(elements[i + 1].text);
    if (n > 0 && points != result.items.back().points) {
      rank = offset + static_cast<std::int64_t>(n) + 1;
    }
    participant_display shown{more[1].elements[n].text, std::nullopt};
    if (more[2].elements[n].type == redis_reply::kind::string) {
      shown.unit_name = more[2].elements[n].text;
    }
    result.items.push_back({static_cast<int>(rank), std::move(shown), points});
  }
  co_return result;
}

asio::awaitable<std::optional<std::vector<region_rank>>> participant_board::ranks(
    std::string member, std::vector<std::string> region_codes) {
  std::vector<std::vector<std::string>> first{{"EXISTS", meta_key()}};
  for (const auto& code : region_codes) {
    first.push_back({"ZSCORE", board_key(code, "all"), member});
    first.push_back({"ZCARD", board_key(code, "all")});
  }
  const auto replies = co_await redis_.pipeline(std::move(first));
  if (replies[0].integer != 1) {
    co_return std::nullopt;
  }
  std::vector<region_rank> result;
  std::vector<std::vector<std::string>> counts;
  for (std::size_t i = 0; i < region_codes.size(); ++i) {
    const redis_reply& score = replies[1 + 2 * i];
    result.push_back({region_codes[i], std::nullopt, replies[2 + 2 * i].integer});
    if (score.type == redis_reply::kind::string) {
      counts.push_back({"ZCOUNT", board_key(region_codes[i], "all"), "-inf", "(" + score.text});
    }
  }
  if (counts.empty()) {
    co_return result;
  }
  const auto better = co_await redis_.pipeline(std::move(counts));
  std::size_t next = 0;
  for (std::size_t i = 0; i < region_codes.size(); ++i) {
    if (replies[1 + 2 * i].type == redis_reply::kind::string) {
      result[i].rank = better[next++].integer + 1;
    }
  }
  co_return result;
}

}  // namespace anquanli
