#include "server/redis/redis_leaderboard.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "server/redis/redis_keys.hpp"
#include "server/store/secrets.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

// The last metric has region sets only: a unit's participants all have a unit.
constexpr std::array<std::string_view, 4> metrics{"points", "attempts", "participants",
                                                  "participants_with_unit"};
constexpr std::string_view region_only_metric = "participants_with_unit";
constexpr int max_events_per_round = 200;
constexpr std::size_t members_per_command = 500;
constexpr std::size_t commands_per_pipeline = 16;

// KEYS[1] meta, KEYS[2..] sorted sets; ARGV[1] event id, ARGV[2] layout, then an increment and a
// member per set. A missing meta or another layout refuses (-1): the caller rebuilds.
constexpr std::string_view apply_script = R"lua(
if redis.call('HGET', KEYS[1], 'layout') ~= ARGV[2] then return -1 end
local id = tonumber(ARGV[1])
local hwm = tonumber(redis.call('HGET', KEYS[1], 'hwm') or '0')
if id <= hwm then return 0 end
for i = 2, #KEYS do
  redis.call('ZINCRBY', KEYS[i], ARGV[2 * i - 1], ARGV[2 * i])
end
redis.call('HSET', KEYS[1], 'hwm', id)
return 1
)lua";

// KEYS[1] meta, then pairs (temporary, real); ARGV[1] high-water mark, ARGV[2] epoch, ARGV[3]
// layout.
constexpr std::string_view swap_script = R"lua(
for i = 2, #KEYS, 2 do
  redis.call('UNLINK', KEYS[i + 1])
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i + 1])
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hwm', ARGV[1], 'epoch', ARGV[2], 'layout', ARGV[3])
return 1
)lua";

std::int64_t value_of(const standing_counts& counts, std::string_view metric) {
  if (metric == "points")
    return counts.points;
  if (metric == "attempts")
    return counts.attempts;
  if (metric == region_only_metric)
    return counts.participants_with_unit;
  return counts.participants;
}

std::int64_t& slot_of(standing_counts& counts, std::string_view metric) {
  if (metric == "points")
    return counts.points;
  if (metric == "attempts")
    return counts.attempts;
  if (metric == region_only_metric)
    return counts.participants_with_unit;
  return counts.participants;
}

std::string scope_of(const std::optional<std::string>& day) {
  return day ? "d:" + *day : "all";
}

std::int64_t parse_integer(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return static_cast<std::int64_t>(value);
}

}  // namespace

std::string redis_leaderboard::meta_key() const {
  return "lb:{" + competition_id_ + "}:meta";
}

std::string redis_leaderboard::unit_key(std::string_view metric, std::string_view scope) const {
  return "lb:{" + competition_id_ + "}:unit:" + std::string{metric} + ":" + std::string{scope};
}

std::string redis_leaderboard::region_key(int level, std::string_view metric,
                                          std::string_view scope) const {
  return "lb:{" + competition_id_ + "}:region:L" + std::to_string(level) + ":" +
         std::string{metric} + ":" + std::string{scope};
}

std::vector<std::string> redis_leaderboard::apply_command(const outbox_event& event) const {
  std::vector<std::string> keys{meta_key()};
  std::vector<std::string> arguments{std::to_string(event.id), std::string{layout}};
  const auto add = [&](std::string key, const std::string& member, std::int64_t increment) {
    keys.push_back(std::move(key));
    arguments.push_back(std::to_string(increment));
    arguments.push_back(member);
  };
  const std::array<std::string, 2> scopes{"all", "d:" + event.day};
  for (const std::string& scope : scopes) {
    const bool first = scope == "all" ? event.first_in_window : event.first_in_day;
    const std::array<std::int64_t, 4> increments{event.points, 1, first ? 1 : 0,
                                                 first && event.unit_id ? 1 : 0};
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      if (increments[m] == 0) {
        continue;
      }
      const auto depth = static_cast<int>(event.region_codes.size());
      for (int i = 0; i < depth; ++i) {
        add(region_key(depth - i, metrics[m], scope),
            event.region_codes[static_cast<std::size_t>(i)], increments[m]);
      }
      if (event.unit_id && metrics[m] != region_only_metric) {
        add(unit_key(metrics[m], scope), *event.unit_id, increments[m]);
      }
    }
  }
  std::vector<std::string> command{"EVAL", std::string{apply_script}, std::to_string(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), arguments.begin(), arguments.end());
  return command;
}

asio::awaitable<redis_leaderboard::stored_meta> redis_leaderboard::read_meta() {
  // Built apart from the co_await: GCC 12 cannot compile a braced temporary inside one.
  std::vector<std::string> command{"HMGET", meta_key(), "hwm", "layout"};
  const redis_reply reply = co_await redis_.command(std::move(command));
  stored_meta meta;
  if (reply.elements.size() == 2 && reply.elements[0].type == redis_reply::kind::string) {
    meta.high_water = parse_integer(reply.elements[0].text);
    meta.layout =
        reply.elements[1].type == redis_reply::kind::string ? reply.elements[1].text : "1";
  }
  co_return meta;
}

asio::awaitable<std::int64_t> redis_leaderboard::stored_high_water() {
  const stored_meta meta = co_await read_meta();
  co_return meta.layout == layout ? meta.high_water : -1;
}

asio::awaitable<int> redis_leaderboard::catch_up(durable_store& store) {
  std::int64_t high_water = co_await stored_high_water();
  if (high_water < 0) {
    // Redis lost its data, or holds an earlier release's sets: adding to those would be wrong.
    co_await rebuild(store);
    high_water = co_await stored_high_water();
  }
  const auto events = co_await store.outbox_after(high_water, max_events_per_round);
  if (events.empty()) {
    co_return 0;
  }
  co_return co_await apply(events);
}

asio::awaitable<int> redis_leaderboard::apply(const std::vector<outbox_event>& events) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(events.size());
  for (const auto& event : events) {
    commands.push_back(apply_command(event));
  }
  int applied = 0;
  for (const redis_reply& reply : co_await redis_.pipeline(std::move(commands))) {
    if (reply.type == redis_reply::kind::error) {
      throw redis_unavailable("Redis refused a leaderboard event: " + reply.text);
    }
    if (reply.integer < 0) {
      throw redis_unavailable("Redis holds no leaderboard of layout " + std::string{layout} +
                              " to apply events to");
    }
    applied += reply.integer == 1 ? 1 : 0;
  }
  co_return applied;
}

asio::awaitable<std::vector<std::string>> redis_leaderboard::stored_keys() {
  return keys_with_prefix(redis_, "lb:{" + competition_id_ + "}:");
}

asio::awaitable<void> redis_leaderboard::rebuild(durable_store& store) {
  const ledger_snapshot snapshot = co_await store.snapshot_ledger();
  const auto directory = co_await store.directory();
  const std::string epoch = std::to_string(secrets::random_u64());
  std::vector<std::string> swap{"EVAL", std::string{swap_script}, "0", meta_key()};
  std::vector<std::vector<std::string>> writes;
  const auto stage = [&](const std::string& real, const auto& entries, std::string_view metric,
                         const auto& keep) {
    const std::string temporary = real + ":tmp:" + epoch;
    std::vector<std::string> command{"ZADD", temporary};
    for (const auto& [member, counts] : entries) {
      if (!keep(member) || value_of(counts, metric) == 0) {
        continue;
      }
      command.push_back(std::to_string(value_of(counts, metric)));
      command.push_back(member);
      if (command.size() >= 2 + 2 * members_per_command) {
        writes.push_back(std::exchange(command, {"ZADD", temporary}));
      }
    }
    if (command.size() > 2) {
      writes.push_back(std::move(command));
    }
    swap.push_back(temporary);
    swap.push_back(real);
  };
  const auto stage_scope = [&](const scope_totals& totals, const std::string& scope) {
    for (const auto metric : metrics) {
      if (metric != region_only_metric) {
        stage(unit_key(metric, scope), totals.units, metric,
              [](const std::string&) { return true; });
      }
      for (int level = 1; level <= directory->deepest_level(); ++level) {
        stage(region_key(level, metric, scope), totals.regions, metric,
              [&](const std::string& code) {
                const region* found = directory->find_region(code);
                return found != nullptr && found->level == level;
              });
      }
    }
  };
  stage_scope(snapshot.window, "all");
  for (const auto& [day, totals] : snapshot.days) {
    stage_scope(totals, "d:" + day);
  }
  std::set<std::string> written{meta_key()};
  for (std::size_t index = 5; index < swap.size(); index += 2) {
    written.insert(swap[index]);
  }
  const std::vector<std::string> stored = co_await stored_keys();
  for (auto& remove : delete_commands(stale_keys(stored, written), members_per_command)) {
    writes.push_back(std::move(remove));
  }
  swap[2] = std::to_string((swap.size() - 3));
  swap.push_back(std::to_string(snapshot.high_water));
  swap.push_back(epoch);
  swap.push_back(std::string{layout});
  writes.push_back(std::move(swap));
  // In pipelines small enough for the command timeout, however many units (the swap comes last).
  co_await send_in_batches(redis_, std::move(writes), commands_per_pipeline, "leaderboard rebuild");
  spdlog::info("leaderboard: rebuilt from SQLite up to event {}", snapshot.high_water);
}

asio::awaitable<std::optional<scope_totals>> redis_leaderboard::read(std::optional<std::string> day,
                                                                     int deepest_level) {
  const std::string scope = scope_of(day);
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::vector<std::string>{"HGET", meta_key(), "layout"});
  for (const auto metric : metrics) {
    if (metric != region_only_metric) {
      commands.push_back({"ZRANGE", unit_key(metric, scope), "0", "-1", "WITHSCORES"});
    }
    for (int level = 1; level <= deepest_level; ++level) {
      commands.push_back({"ZRANGE", region_key(level, metric, scope), "0", "-1", "WITHSCORES"});
    }
  }
  const auto replies = co_await redis_.pipeline(std::move(commands));
  if (replies.front().type != redis_reply::kind::string || replies.front().text != layout) {
    co_return std::nullopt;
  }
  scope_totals totals;
  std::size_t next = 1;
  for (const auto metric : metrics) {
    for (int set = metric == region_only_metric ? 1 : 0; set <= deepest_level; ++set) {
      auto& target = set == 0 ? totals.units : totals.regions;
      const auto& elements = replies[next++].elements;
      for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
        slot_of(target[elements[i].text], metric) = parse_integer(elements[i + 1].text);
      }
    }
  }
  for (auto& [id, counts] : totals.units) {
    counts.participants_with_unit = counts.participants;
  }
  co_return totals;
}

asio::awaitable<std::vector<std::string>> redis_leaderboard::verify(durable_store& store) {
  std::vector<std::string> differences;
  const ledger_snapshot snapshot = co_await store.snapshot_ledger();
  const auto directory = co_await store.directory();
  if (const stored_meta meta = co_await read_meta();
      !meta.layout.empty() && meta.layout != layout) {
    differences.push_back("layout: redis " + meta.layout + ", this release " + std::string{layout} +
                          " (sets written by an earlier release; rebuild)");
    co_return differences;
  }
  const std::int64_t high_water = co_await stored_high_water();
  if (high_water != snapshot.high_water) {
    differences.push_back("high-water mark: redis " + std::to_string(high_water) + ", sqlite " +
                          std::to_string(snapshot.high_water));
  }
  const auto compare = [&](const std::string& scope, const auto& truth, const auto& seen,
                           std::string_view kind) {
    std::map<std::string, std::pair<standing_counts, standing_counts>> merged;
    for (const auto& [id, counts] : truth)
      merged[id].first = counts;
    for (const auto& [id, counts] : seen)
      merged[id].second = counts;
    for (const auto& [id, pair] : merged) {
      for (const auto metric : metrics) {
        if (value_of(pair.first, metric) != value_of(pair.second, metric)) {
          std::string line = scope;
          line.append(" ").append(kind).append(" ").append(id).append(" ").append(metric);
          line.append(": redis ").append(std::to_string(value_of(pair.second, metric)));
          differences.push_back(line + ", sqlite " + std::to_string(value_of(pair.first, metric)));
        }
      }
    }
  };
  std::vector<std::pair<std::optional<std::string>, const scope_totals*>> scopes{
      {std::nullopt, &snapshot.window}};
  for (const auto& [day, totals] : snapshot.days) {
    scopes.emplace_back(day, &totals);
  }
  // Keys of a day SQLite has no ledger for (or a rebuild's leftovers) show numbers SQLite lacks.
  for (const std::string& key : co_await stored_keys()) {
    const auto at = key.rfind(":d:");
    if (key.find(":tmp:") != std::string::npos) {
      differences.push_back("leftover temporary key " + key);
    } else if (at != std::string::npos && !snapshot.days.contains(key.substr(at + 3))) {
      differences.push_back("day " + key.substr(at + 3) + ": redis has " + key +
                            ", sqlite has no ledger for that day");
    }
  }
  for (const auto& [day, truth] : scopes) {
    const auto seen = co_await read(day, directory->deepest_level());
    if (!seen) {
      differences.push_back("redis holds no leaderboard");
      break;
    }
    compare(scope_of(day), truth->units, seen->units, "unit");
    compare(scope_of(day), truth->regions, seen->regions, "region");
  }
  co_return differences;
}

}  // namespace anquanli
