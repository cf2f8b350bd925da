#include "tools/question_commands.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "engine/competition_rules.hpp"
#include "question_bank/bank_health.hpp"
#include "question_bank/question_import.hpp"
#include "question_bank/question_store.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

std::unique_ptr<sqlite_database> open_database(const std::filesystem::path& data_dir) {
  return open_admin_database(data_dir);
}

int import_questions(const std::filesystem::path& data_dir, const std::filesystem::path& file,
                     bool dry_run) {
  const auto format = format_of(file);
  if (!format) {
    std::cerr << file.string() << ": unknown format; use .jsonl or .csv\n";
    return 1;
  }
  const question_import parsed = parse_questions(read_whole_file(file), *format);
  for (const auto& problem : parsed.problems) {
    std::cerr << file.string() << ':' << problem.line << ": " << problem.reason << '\n';
  }
  if (!parsed.problems.empty()) {
    std::cerr << parsed.problems.size() << " problem(s); nothing imported\n";
    return 1;
  }
  if (dry_run) {
    std::cout << parsed.questions.size() << " question(s) valid; dry run, nothing imported\n";
    return 0;
  }
  const auto database = open_database(data_dir);
  question_store store(*database);
  const upsert_summary summary = store.upsert(parsed.questions);
  std::cout << "imported " << parsed.questions.size() << " question(s): " << summary.inserted
            << " new, " << summary.updated << " updated, " << summary.unchanged << " unchanged\n";
  return 0;
}

std::string one_line(std::string text, std::size_t max_bytes) {
  for (auto& c : text) {
    if (c == '\n' || c == '\t') {
      c = ' ';
    }
  }
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;  // never split a UTF-8 sequence
  }
  return text.substr(0, cut) + "…";
}

int list_questions(const std::filesystem::path& data_dir, const question_filter& filter) {
  const auto database = open_database(data_dir);
  question_store store(*database);
  const auto questions = store.list(filter);
  for (const auto& item : questions) {
    std::cout << item.id.value() << '\t' << to_string(item.type) << '\t' << item.category << '\t'
              << item.difficulty << '\t' << (item.active ? "active" : "inactive") << '\t'
              << one_line(item.stem, 60) << '\n';
  }
  std::cout << questions.size() << " question(s)\n";
  return 0;
}

int show_question(const std::filesystem::path& data_dir, const std::string& id) {
  const auto database = open_database(data_dir);
  question_store store(*database);
  const auto item = store.find(question_id{id});
  if (!item) {
    std::cerr << "no question " << id << '\n';
    return 1;
  }
  std::cout << "id:          " << item->id.value() << '\n'
            << "type:        " << to_string(item->type) << '\n'
            << "category:    " << item->category << '\n'
            << "difficulty:  " << item->difficulty << '\n'
            << "active:      " << (item->active ? "yes" : "no") << '\n'
            << "stem:        " << item->stem << '\n';
  for (const auto& option : item->options) {
    std::cout << "  " << option.key << ". " << option.text << '\n';
  }
  std::cout << "answer:      ";
  for (const auto& key : item->answer) {
    std::cout << key;
  }
  std::cout << "\nexplanation: " << item->explanation << '\n'
            << "source:      " << item->source << '\n';
  return 0;
}

int remove_question(const std::filesystem::path& data_dir, const std::string& id) {
  const auto database = open_database(data_dir);
  question_store store(*database);
  switch (store.remove(question_id{id})) {
    case removal::deleted: std::cout << "deleted " << id << '\n'; return 0;
    case removal::deactivated:
      std::cout << id << " was used by attempts; deactivated instead of deleted\n";
      return 0;
    case removal::not_found: std::cerr << "no question " << id << '\n'; return 1;
  }
  return 1;
}

// What `questions check` was told on its own command line.
struct check_overrides {
  std::optional<int> questions_per_attempt;
  std::vector<std::string> quotas;  // CATEGORY=COUNT
};

std::optional<category_quota> parse_quota(const std::string& text) {
  const auto equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0) {
    return std::nullopt;
  }
  int count = 0;
  const char* begin = text.data() + equals + 1;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(begin, end, count);
  if (error != std::errc{} || stop != end || begin == end) {
    return std::nullopt;
  }
  return category_quota{text.substr(0, equals), count};
}

// How long a participant who plays every attempt of the window goes without a repeat.
void print_horizon(const bank_health& health, const competition_rules& rules) {
  std::cout << "the window: " << to_string(rules.starts_on) << " to " << to_string(rules.ends_on)
            << ", " << health.window_attempts << " attempt(s) of " << rules.questions_per_attempt
            << " per participant at " << rules.attempts_per_day << " a day\n";
  std::cout << "no repeats for " << health.attempts_without_repeats
            << " attempt(s); the bank's size allows at most "
            << health.best_attempts_without_repeats << '\n';
  if (health.attempts_without_repeats >= health.window_attempts) {
    std::cout << "no participant meets a question twice in the window\n";
  } else if (health.attempts_without_repeats >= health.best_attempts_without_repeats) {
    std::cout << "repeats from attempt " << health.attempts_without_repeats + 1
              << " on are what the bank's size allows: add questions to push them back\n";
  }
}

// The rules `questions check` judges the bank by: --config's competition (or the defaults), with
// --questions-per-attempt and --quota replacing its own when given.
competition_rules check_rules(const admin_options& options, const check_overrides& overrides) {
  competition_rules rules = options.config ? options.config->competition : competition_rules{};
  if (overrides.questions_per_attempt) {
    rules.questions_per_attempt = *overrides.questions_per_attempt;
  }
  if (!overrides.quotas.empty()) {
    rules.quotas.clear();
    for (const auto& text : overrides.quotas) {
      rules.quotas.push_back(*parse_quota(text));
    }
  }
  return rules;
}

int check_questions(const std::filesystem::path& data_dir, const competition_rules& rules) {
  const auto problems = find_rule_problems(rules);
  for (const auto& problem : problems) {
    std::cerr << "rules: " << problem << '\n';
  }
  if (!problems.empty()) {
    return 1;
  }
  const auto database = open_database(data_dir);
  question_store store(*database);
  const bank_health health =
      check_bank(store.list(question_filter{std::nullopt, std::nullopt, true}), rules);
  std::cout << "active questions: " << health.active << " (inactive: " << health.inactive << ")\n";
  std::cout << "by category:\n";
  for (const auto& [name, count] : health.by_category) {
    std::cout << "  " << name << '\t' << count << '\n';
  }
  std::cout << "by type:\n";
  for (const auto& [name, count] : health.by_type) {
    std::cout << "  " << name << '\t' << count << '\n';
  }
  std::cout << "by difficulty:\n";
  for (const auto& [level, count] : health.by_difficulty) {
    std::cout << "  " << level << '\t' << count << '\n';
  }
  std::cout << "each attempt of " << rules.questions_per_attempt << " takes:\n";
  for (const auto& part : health.plan) {
    std::cout << "  " << part.category << '\t' << part.wanted << " of " << part.available << '\n';
  }
  print_horizon(health, rules);
  for (const auto& warning : health.warnings) {
    std::cout << "warning: " << warning << '\n';
  }
  for (const auto& problem : health.problems) {
    std::cout << "problem: " << problem << '\n';
  }
  std::cout << (health.healthy() ? "bank is healthy\n" : "bank is NOT healthy\n");
  return health.healthy() ? 0 : 1;
}

// The subcommand object is not called `import`: clang-format 14 takes that for the C++20 module
// keyword and mangles the function (it once closed a lambda with a namespace comment here).
void add_import(CLI::App& questions, admin_options& options) {
  auto* command = questions.add_subcommand("import", "validate and import a .jsonl or .csv file");
  auto file = std::make_shared<std::filesystem::path>();
  auto dry_run = std::make_shared<bool>(false);
  command->add_option("FILE", *file, "question file")->required()->check(CLI::ExistingFile);
  command->add_flag("--dry-run", *dry_run, "validate only; change nothing");
  command->callback([&options, file, dry_run] {
    options.run = [&options, file, dry_run] {
      return import_questions(options.data_dir, *file, *dry_run);
    };
  });
}

void add_list(CLI::App& questions, admin_options& options) {
  auto* list = questions.add_subcommand("list", "list questions");
  auto filter = std::make_shared<question_filter>();
  auto category = std::make_shared<std::string>();
  auto type = std::make_shared<std::string>();
  list->add_option("--category", *category, "only this category");
  list->add_option("--type", *type, "only this type")
      ->check(CLI::IsMember({"single", "multiple", "judge"}));
  list->add_flag("--all", filter->include_inactive, "include inactive questions");
  list->callback([&options, filter, category, type] {
    if (!category->empty()) {
      filter->category = *category;
    }
    filter->type = parse_question_type(*type);
    options.run = [&options, filter] { return list_questions(options.data_dir, *filter); };
  });
}

void add_show_and_remove(CLI::App& questions, admin_options& options) {
  auto* show = questions.add_subcommand("show", "show one question with its answer");
  auto show_id = std::make_shared<std::string>();
  show->add_option("ID", *show_id, "question id")->required();
  show->callback([&options, show_id] {
    options.run = [&options, show_id] { return show_question(options.data_dir, *show_id); };
  });
  auto* remove = questions.add_subcommand("remove", "delete a question, or deactivate it if used");
  auto remove_id = std::make_shared<std::string>();
  remove->add_option("ID", *remove_id, "question id")->required();
  remove->callback([&options, remove_id] {
    options.run = [&options, remove_id] { return remove_question(options.data_dir, *remove_id); };
  });
}

void add_check(CLI::App& questions, admin_options& options) {
  auto* check = questions.add_subcommand(
      "check", "report the bank's health for a competition (its rules from --config)");
  auto overrides = std::make_shared<check_overrides>();
  check->add_option("--questions-per-attempt", overrides->questions_per_attempt,
                    "replaces the configuration's (default 15)");
  check
      ->add_option("--quota", overrides->quotas,
                   "CATEGORY=COUNT, repeatable; replaces the configuration's quotas")
      ->check(CLI::Validator(
          [](const std::string& text) {
            return parse_quota(text) ? std::string{} : "expected CATEGORY=COUNT, got " + text;
          },
          "CATEGORY=COUNT"));
  check->callback([&options, overrides] {
    options.run = [&options, overrides] {
      return check_questions(options.data_dir, check_rules(options, *overrides));
    };
  });
}

}  // namespace

void add_question_commands(CLI::App& app, admin_options& options) {
  auto* questions = app.add_subcommand("questions", "manage the question bank");
  questions->require_subcommand(1);
  add_import(*questions, options);
  add_list(*questions, options);
  add_show_and_remove(*questions, options);
  add_check(*questions, options);
}

}  // namespace anquanli
