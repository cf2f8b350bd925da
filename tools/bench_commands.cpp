// `bench seed`: synthetic rows written the way the server writes them, as fast as SQLite allows.
#include "tools/bench_commands.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>

#include "engine/scoring.hpp"
#include "question_bank/question_store.hpp"
#include "server/core/server_config.hpp"
#include "server/core/time_source.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/competition_store.hpp"
#include "server/store/directory.hpp"
#include "server/store/ledger_totals.hpp"
#include "server/store/secrets.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

// Times the seeding steps for the report.
const system_time_source& seed_clock() {
  static const system_time_source clock;
  return clock;
}

constexpr std::int64_t rows_per_transaction = 10'000;
constexpr std::int64_t first_phone = 17'000'000'000;
constexpr double share_correct = 0.7;  // each history answer is right with this probability
constexpr std::array<std::string_view, 6> bench_sectors{"工贸",     "危险化学品", "建筑施工",
                                                        "道路交通", "矿山",       "其他"};

struct seed_options {
  std::int64_t participants = 0;
  int units = 0;
  int days = 0;
  std::filesystem::path tokens_file;
  std::uint64_t random_seed = 1;
};

// One bank question as history papers show it; its JSON columns are computed once.
struct paper_question {
  std::string entry;    // its element of an attempt's paper: [version id,"0123"]
  std::string correct;  // the choice that answers it, as answers store choices ("AC")
  std::string wrong;    // a valid choice that is not the answer
};

// Where a participant can belong: a leaf region, maybe a unit, and the outbox's region path.
struct seat {
  std::string region_code;
  std::optional<std::string> unit_id;
  std::string region_path;  // the region and its ancestors, leaf first, comma separated
};

// Milliseconds since the epoch, as every time column stores them.
std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

// Seconds elapsed since `start`.
double seconds_since(monotonic_instant start) {
  return std::chrono::duration<double>(seed_clock().monotonic() - start).count();
}

// The active bank with the JSON columns an attempt paper stores (options in the order written).
std::vector<paper_question> load_paper_bank(sqlite_database& database) {
  question_store store(database);
  std::vector<paper_question> bank;
  for (const question& item : store.list(question_filter{})) {
    // Shown in the bank's own order ("0123"), so the answer's keys are the shown ones; the
    // stored size is that of a shuffled paper.
    std::string order;
    for (std::size_t i = 0; i < item.options.size(); ++i) {
      order += static_cast<char>('0' + i);
    }
    std::string entry = "[";
    entry.append(std::to_string(store.version_of(item))).append(",\"").append(order).append("\"]");
    const bool answer_is_a = item.answer == std::vector<std::string>{"A"};
    bank.push_back({std::move(entry), encode_choice(item.answer), answer_is_a ? "B" : "A"});
  }
  return bank;
}

// "640104,640100,640000" for 640104: the order write_outbox produces.
std::string region_path(const std::map<std::string, region>& regions, std::string code) {
  std::string path;
  while (!code.empty()) {
    path += (path.empty() ? "" : ",") + code;
    const auto found = regions.find(code);
    code = found == regions.end() ? std::string{} : found->second.parent_code;
  }
  return path;
}

// The regions nobody has as parent: the ones a participant may choose.
std::vector<region> leaf_regions(const std::map<std::string, region>& regions) {
  std::vector<region> leaves;
  for (const auto& [code, item] : regions) {
    const bool has_child =
        std::any_of(regions.begin(), regions.end(),
                    [&code = code](const auto& other) { return other.second.parent_code == code; });
    if (!has_child) {
      leaves.push_back(item);
    }
  }
  return leaves;
}

// Commits every rows_per_transaction rows, so memory stays flat and progress is kept.
class batch {
 public:
  explicit batch(sqlite_database& database) : database_(database) { database_.execute("BEGIN"); }

  // Counts `rows` just written and commits when the batch is full.
  void add(std::int64_t rows) {
    pending_ += rows;
    total_ += rows;
    if (pending_ >= rows_per_transaction) {
      database_.execute("COMMIT");
      database_.execute("BEGIN");
      pending_ = 0;
    }
  }
  void finish() { database_.execute("COMMIT"); }
  [[nodiscard]] std::int64_t total() const { return total_; }

 private:
  sqlite_database& database_;
  std::int64_t pending_ = 0;
  std::int64_t total_ = 0;
};

struct seed_counts {
  std::int64_t units = 0;
  std::int64_t participants = 0;
  std::int64_t attempts = 0;
  std::int64_t draws = 0;
};

// Writes the synthetic data with prepared statements reused for every row.
class seeder {
 public:
  seeder(sqlite_database& database, const secrets& keys, const server_config& config,
         std::uint64_t random_seed);

  void seed_units(int count);
  void place_participants(int unit_count);
  void seed_participants(std::int64_t count, int days, std::ostream* tokens);
  void finish() { batch_.finish(); }
  [[nodiscard]] const seed_counts& counts() const { return counts_; }
  [[nodiscard]] std::int64_t rows() const { return batch_.total(); }
  [[nodiscard]] std::size_t bank_size() const { return bank_.size(); }

 private:
  struct outcome {
    day_key day;
    std::vector<bool> correct;
    attempt_result result;
  };

  std::vector<outcome> plan_history(int days);
  std::string insert_participant(std::int64_t id, const seat& place, int draws_earned);
  void insert_attempt(std::int64_t participant, const seat& place, const outcome& taken,
                      bool first_in_window, int& draws_used);
  // The paper column of a new attempt; `answers` gets the answer to each of its questions.
  std::string compose_paper(const outcome& taken, std::vector<const paper_question*>& shown);
  void insert_answers(std::int64_t attempt, const outcome& taken, instant started,
                      const std::vector<const paper_question*>& shown);
  void insert_results(std::int64_t attempt, std::int64_t participant, const seat& place,
                      const outcome& taken, instant closed, bool first_in_window);

  sqlite_database& database_;
  const secrets& keys_;
  const server_config& config_;
  std::mt19937_64 random_;
  batch batch_;
  seed_counts counts_;
  std::vector<paper_question> bank_;
  std::vector<std::size_t> order_;  // scratch for choosing a paper
  std::vector<region> leaves_;
  std::map<std::string, region> regions_;
  std::vector<seat> seats_;
  std::int64_t next_attempt_ = 1;
  sqlite_statement unit_;
  sqlite_statement participant_;
  sqlite_statement token_;
  sqlite_statement attempt_;
  sqlite_statement answer_;
  sqlite_statement ledger_;
  sqlite_statement outbox_;
  sqlite_statement draw_;
};

// Reads the directory and bank and prepares every statement; throws when they are missing.
seeder::seeder(sqlite_database& database, const secrets& keys, const server_config& config,
               std::uint64_t random_seed)
    : database_(database),
      keys_(keys),
      config_(config),
      random_(random_seed),
      batch_(database),
      bank_(load_paper_bank(database)),
      unit_(database.prepare("INSERT INTO units (id, name, region_code, sector, headcount) "
                             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING")),
      participant_(database.prepare(
          "INSERT INTO participants (id, phone_hash, phone_sealed, phone_masked, name, "
          "region_code, unit_id, draws_earned, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)")),
      token_(database.prepare(
          "INSERT INTO tokens (token_hash, participant_id, expires_at) VALUES (?1, ?2, ?3)")),
      attempt_(database.prepare(
          "INSERT INTO attempts (id, participant_id, competition_id, day, day_sequence, "
          "started_at, status, deadline, closed_at, correct, points, draws_earned, paper, "
          "answered) VALUES (?1, ?2, ?3, ?4, 1, ?5, 'finished', ?6, ?7, ?8, ?9, ?10, ?11, ?12)")),
      answer_(database.prepare("INSERT INTO answers (attempt_id, position, choice, correct, "
                               "timed_out, answered_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)")),
      ledger_(database.prepare(
          "INSERT INTO points_ledger (attempt_id, participant_id, competition_id, day, "
          "region_code, unit_id, correct, points, recorded_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
      outbox_(database.prepare(
          "INSERT INTO outbox (competition_id, attempt_id, day, region_codes, unit_id, points, "
          "first_in_window, first_in_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)")),
      draw_(database.prepare("INSERT INTO draws (participant_id, draw_number, drawn_at, day, "
                             "prize_id) VALUES (?1, ?2, ?3, ?4, NULL)")) {
  directory_store directory(database);
  for (region& item : directory.regions()) {
    regions_[item.code] = item;
  }
  leaves_ = leaf_regions(regions_);
  if (leaves_.empty()) {
    throw std::runtime_error("no regions: import them first (regions import FILE)");
  }
  sqlite_statement last = database.prepare("SELECT IFNULL(MAX(id), 0) FROM attempts");
  last.step();
  next_attempt_ = last.column_int64(0) + 1;
}

// Units B000001… round-robin over the leaf regions; existing ids are kept as they are.
void seeder::seed_units(int count) {
  std::uniform_int_distribution<std::int64_t> headcount(50, 500);
  for (int i = 1; i <= count; ++i) {
    std::ostringstream id;
    id << 'B' << std::setw(6) << std::setfill('0') << i;
    const region& place = leaves_[static_cast<std::size_t>(i - 1) % leaves_.size()];
    unit_.bind(1, std::string_view{id.str()})
        .bind(2, std::string_view{"（压测）单位" + std::to_string(i)})
        .bind(3, std::string_view{place.code})
        .bind(4, bench_sectors[static_cast<std::size_t>(i) % bench_sectors.size()])
        .bind(5, headcount(random_));
    unit_.run();
    unit_.reset();
    batch_.add(1);
    ++counts_.units;
  }
}

// Participants sit in the synthetic units when there are any, else in leaf regions without one.
void seeder::place_participants(int unit_count) {
  for (int i = 1; i <= unit_count; ++i) {
    std::ostringstream id;
    id << 'B' << std::setw(6) << std::setfill('0') << i;
    const region& place = leaves_[static_cast<std::size_t>(i - 1) % leaves_.size()];
    seats_.push_back({place.code, id.str(), region_path(regions_, place.code)});
  }
  if (seats_.empty()) {
    for (const region& place : leaves_) {
      seats_.push_back({place.code, std::nullopt, region_path(regions_, place.code)});
    }
  }
}

// Finished challenges on each of the `days` days before the clock's start day, oldest first.
std::vector<seeder::outcome> seeder::plan_history(int days) {
  const day_key start_day = day_key_of(config_.clock_start.value(), config_.competition.offset);
  const competition_rules& rules = config_.competition;
  std::bernoulli_distribution right(share_correct);
  std::vector<outcome> history;
  for (int back = days; back >= 1; --back) {
    outcome taken{day_key{start_day.days() - std::chrono::days{back}}, {}, {}};
    for (int i = 0; i < rules.questions_per_attempt; ++i) {
      taken.correct.push_back(right(random_));
    }
    const int correct =
        static_cast<int>(std::count(taken.correct.begin(), taken.correct.end(), true));
    taken.result = {correct, count_points(correct, rules.questions_per_attempt, rules.points),
                    count_draws(taken.correct, rules)};
    history.push_back(std::move(taken));
  }
  return history;
}

// `count` participants after the highest id so far, each with a token and `days` of history.
void seeder::seed_participants(std::int64_t count, int days, std::ostream* tokens) {
  sqlite_statement last = database_.prepare("SELECT IFNULL(MAX(id), 0) FROM participants");
  last.step();
  const std::int64_t first = last.column_int64(0) + 1;
  std::uniform_int_distribution<std::size_t> pick(0, seats_.size() - 1);
  for (std::int64_t id = first; id < first + count; ++id) {
    const seat& place = seats_[pick(random_)];
    const auto history = plan_history(days);
    int draws = 0;
    for (const auto& taken : history) {
      draws += taken.result.draws_earned;
    }
    const std::string token = insert_participant(id, place, draws);
    if (tokens != nullptr) {
      *tokens << token << '\n';
    }
    int draws_used = 0;
    for (std::size_t i = 0; i < history.size(); ++i) {
      insert_attempt(id, place, history[i], i == 0, draws_used);
    }
    ++counts_.participants;
  }
}

// The participant with a complete profile and one bearer token; returns the plain token.
std::string seeder::insert_participant(std::int64_t id, const seat& place, int draws_earned) {
  const std::string phone = std::to_string(first_phone + id);
  const instant joined = config_.clock_start.value() - std::chrono::days{400};
  participant_.bind(1, id)
      .bind(2, std::string_view{keys_.keyed_hash("phone", phone)})
      .bind(3, std::string_view{keys_.seal(phone)})
      .bind(4, std::string_view{mask_phone(phone)})
      .bind(5, std::string_view{"压测用户" + std::to_string(id)})
      .bind(6, std::string_view{place.region_code})
      .bind(8, draws_earned)
      .bind(9, millis(joined));
  if (place.unit_id) {
    participant_.bind(7, std::string_view{*place.unit_id});
  }
  participant_.run();
  participant_.reset();
  std::string token = secrets::new_token();
  const instant expires = config_.clock_start.value() + std::chrono::days{3650};
  token_.bind(1, std::string_view{keys_.keyed_hash("token", token)})
      .bind(2, id)
      .bind(3, millis(expires));
  token_.run();
  token_.reset();
  batch_.add(2);
  return token;
}

// One finished attempt: its head row, then paper, answers, ledger, outbox and the draws used.
void seeder::insert_attempt(std::int64_t participant, const seat& place, const outcome& taken,
                            bool first_in_window, int& draws_used) {
  const std::int64_t id = next_attempt_++;
  std::uniform_int_distribution<std::int64_t> minute(std::int64_t{8} * 60, std::int64_t{20} * 60);
  const instant started =
      start_of(taken.day, config_.competition.offset) + std::chrono::minutes{minute(random_)};
  const instant closed = started + std::chrono::seconds{8 * taken.correct.size()};
  const auto limit = config_.competition.attempt_time_limit;
  std::vector<const paper_question*> shown;
  const std::string paper = compose_paper(taken, shown);
  attempt_.bind(1, id)
      .bind(2, participant)
      .bind(3, std::string_view{config_.competition.id})
      .bind(4, std::string_view{to_string(taken.day)})
      .bind(5, millis(started))
      .bind(6,
            limit.count() == 0 ? std::numeric_limits<std::int64_t>::max() : millis(started + limit))
      .bind(7, millis(closed))
      .bind(8, taken.result.correct)
      .bind(9, taken.result.points)
      .bind(10, taken.result.draws_earned)
      .bind(11, std::string_view{paper})
      .bind(12, static_cast<std::int64_t>(shown.size()));
  attempt_.run();
  attempt_.reset();
  insert_answers(id, taken, started, shown);
  insert_results(id, participant, place, taken, closed, first_in_window);
  for (int i = 0; i < taken.result.draws_earned; ++i) {
    draw_.bind(1, participant)
        .bind(2, ++draws_used)
        .bind(3, millis(closed + std::chrono::seconds{i + 1}))
        .bind(4, std::string_view{to_string(taken.day)});
    draw_.run();
    draw_.reset();
    ++counts_.draws;
  }
  batch_.add(1 + taken.result.draws_earned);
  ++counts_.attempts;
}

// The questions shown (distinct, drawn from the bank), as the attempt's paper column.
std::string seeder::compose_paper(const outcome& taken, std::vector<const paper_question*>& shown) {
  if (order_.size() != bank_.size()) {
    order_.resize(bank_.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
  }
  std::string paper = "[";
  for (std::size_t i = 0; i < taken.correct.size(); ++i) {
    std::uniform_int_distribution<std::size_t> pick(i, order_.size() - 1);
    std::swap(order_[i], order_[pick(random_)]);
    shown.push_back(&bank_[order_[i]]);
    paper += (i == 0 ? "" : ",") + shown.back()->entry;
  }
  return paper + "]";
}

// An answer to each question shown, 8 s apart.
void seeder::insert_answers(std::int64_t attempt, const outcome& taken, instant started,
                            const std::vector<const paper_question*>& shown) {
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto position = static_cast<std::int64_t>(i);
    const bool right = taken.correct[i];
    answer_.bind(1, attempt)
        .bind(2, position)
        .bind(3, std::string_view{right ? shown[i]->correct : shown[i]->wrong})
        .bind(4, right ? 1 : 0)
        .bind(5, millis(started + std::chrono::seconds{8 * (position + 1)}));
    answer_.run();
    answer_.reset();
  }
  batch_.add(static_cast<std::int64_t>(shown.size()));
}

// What close_attempt writes for a finished attempt: the ledger row and the leaderboard event.
void seeder::insert_results(std::int64_t attempt, std::int64_t participant, const seat& place,
                            const outcome& taken, instant closed, bool first_in_window) {
  const std::string day = to_string(taken.day);
  ledger_.bind(1, attempt)
      .bind(2, participant)
      .bind(3, std::string_view{config_.competition.id})
      .bind(4, std::string_view{day})
      .bind(5, std::string_view{place.region_code})
      .bind(7, taken.result.correct)
      .bind(8, taken.result.points)
      .bind(9, millis(closed));
  outbox_.bind(1, std::string_view{config_.competition.id})
      .bind(2, attempt)
      .bind(3, std::string_view{day})
      .bind(4, std::string_view{place.region_path})
      .bind(6, taken.result.points)
      .bind(7, first_in_window ? 1 : 0);
  if (place.unit_id) {
    ledger_.bind(6, std::string_view{*place.unit_id});
    outbox_.bind(5, std::string_view{*place.unit_id});
  }
  ledger_.run();
  ledger_.reset();
  outbox_.run();
  outbox_.reset();
  batch_.add(2);
}

// The server's configuration (its data_dir the seed's), with a clock start.
server_config seed_config(const server_config& loaded) {
  server_config config = loaded;
  if (!config.clock_start) {
    // Without [clock] start the server runs on system time: history ends yesterday.
    config.clock_start = system_time_source{}.now();
  }
  return config;
}

// What was written, how fast, and how big the database is now.
void print_summary(const seeder& work, const seed_options& options, double setup_s, double units_s,
                   double total_s, const std::filesystem::path& file) {
  const seed_counts& counts = work.counts();
  const auto rate = [](double count, double seconds) {
    return seconds > 0 ? static_cast<std::int64_t>(count / seconds) : 0;
  };
  const double people_s = total_s - setup_s - units_s;
  std::error_code ignored;
  const auto bytes = std::filesystem::file_size(file, ignored);
  std::cout << std::fixed << std::setprecision(2) << "seeded " << file.string() << '\n'
            << "  units         " << counts.units << " in " << units_s << " s\n"
            << "  participants  " << counts.participants << " with tokens, " << options.days
            << " day(s) of history each, in " << people_s << " s ("
            << rate(static_cast<double>(counts.participants), people_s) << "/s)\n"
            << "  attempts      " << counts.attempts << " finished ("
            << rate(static_cast<double>(counts.attempts), people_s) << "/s), each with "
            << "questions, answers, a ledger row and an outbox event; " << counts.draws
            << " draws\n"
            << "  rows          " << work.rows() << " ("
            << rate(static_cast<double>(work.rows()), total_s) << " rows/s); bank of "
            << work.bank_size() << " question(s)\n"
            << "  database      " << bytes / (std::uintmax_t{1024} * 1024) << " MiB; total "
            << total_s << " s (setup " << setup_s << " s)\n";
  if (!options.tokens_file.empty()) {
    std::cout << "  tokens        " << options.tokens_file.string() << '\n';
  }
}

// The secondary indexes of the tables a seed fills, dropped for the load and created again after
// it: one sort per index at the end instead of a B-tree insert per row. Unique constraints stay
// (SQLite's automatic indexes have no SQL and are not dropped). Returns the SQL that creates them.
std::vector<std::string> drop_secondary_indexes(sqlite_database& database) {
  sqlite_statement listed = database.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name "
      "IN ('participants', 'tokens', 'attempts', 'answers', 'points_ledger', 'outbox', 'draws')");
  std::vector<std::pair<std::string, std::string>> indexes;
  while (listed.step() == step_result::row) {
    indexes.emplace_back(listed.column_text(0), listed.column_text(1));
  }
  std::vector<std::string> create;
  for (const auto& [name, sql] : indexes) {
    database.execute("DROP INDEX \"" + name + "\"");
    create.push_back(sql);
  }
  return create;
}

// The indexes back, then the per-day ledger totals derived from the rows written.
void complete_seed(sqlite_database& database, const std::vector<std::string>& indexes) {
  database.execute("BEGIN");
  for (const std::string& sql : indexes) {
    database.execute(sql);
  }
  rebuild_ledger_totals(database);
  database.execute("COMMIT");
}

// The `bench seed` command; returns the exit status.
int seed(const admin_options& admin, const seed_options& options) {
  const auto started = seed_clock().monotonic();
  if (!admin.config) {
    std::cerr << "bench seed needs --config FILE: the competition to seed\n";
    return 2;
  }
  const server_config config = seed_config(*admin.config);
  const std::filesystem::path& data_dir = config.data_dir;  // --data-dir when given
  const auto database = open_admin_database(data_dir);
  // This connection only: speed over safety. Without a journal each page is written once (not to
  // the WAL and again at checkpoint), but a crash mid-seed can spoil the file: seed a fresh one.
  database->execute(
      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; "
      "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF");
  const secrets keys(data_dir);
  seeder work(*database, keys, config, options.random_seed);
  if (work.bank_size() < static_cast<std::size_t>(config.competition.questions_per_attempt) &&
      options.days > 0) {
    std::cerr << "the bank has too few active questions for history: import it first\n";
    return 1;
  }
  const std::vector<std::string> indexes = drop_secondary_indexes(*database);
  const double setup_s = seconds_since(started);
  work.seed_units(options.units);
  work.place_participants(options.units);
  const double units_s = seconds_since(started) - setup_s;
  std::unique_ptr<std::ofstream> tokens;
  if (!options.tokens_file.empty()) {
    tokens = std::make_unique<std::ofstream>(options.tokens_file);
  }
  work.seed_participants(options.participants, options.days, tokens.get());
  work.finish();
  complete_seed(*database, indexes);
  database->execute("PRAGMA optimize; PRAGMA journal_mode=WAL");
  print_summary(work, options, setup_s, units_s, seconds_since(started), data_dir / "anquanli.db");
  return 0;
}

}  // namespace

void add_bench_commands(CLI::App& app, admin_options& options) {
  auto* group = app.add_subcommand("bench", "synthetic data for benchmarks (bench/run.sh)");
  group->require_subcommand(1);
  auto* seed_command = group->add_subcommand(
      "seed", "add synthetic units, signed-in participants and history (needs --config)");
  auto settings = std::make_shared<seed_options>();
  seed_command->add_option("--participants", settings->participants, "participants to add")
      ->required()
      ->check(CLI::NonNegativeNumber);
  seed_command->add_option("--units", settings->units, "synthetic units B000001…")
      ->required()
      ->check(CLI::Range(0, 999'999));
  seed_command->add_option("--days", settings->days, "days of finished history per participant")
      ->required()
      ->check(CLI::Range(0, 366));
  seed_command->add_option("--tokens", settings->tokens_file, "write the plain tokens here");
  seed_command->add_option("--seed", settings->random_seed, "random seed")->capture_default_str();
  seed_command->callback([&options, settings] {
    options.run = [&options, settings] { return seed(options, *settings); };
  });
}

}  // namespace anquanli
