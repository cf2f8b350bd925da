#include "tools/attempt_commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "server/store/attempt_papers.hpp"
#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

// One JSON line: each question of the paper as shown, with the keys that answer it.
int show_paper(const std::filesystem::path& data_dir, std::int64_t which) {
  const auto database = open_admin_database(data_dir);
  const auto paper = paper_of(*database, attempt_id{which});
  if (!paper) {
    std::cerr << "no attempt " << which << '\n';
    return 1;
  }
  boost::json::array questions;
  for (const presented_question& shown : *paper) {
    boost::json::array options;
    for (const auto& option : shown.options) {
      options.push_back(boost::json::object{{"key", option.key}, {"text", option.text}});
    }
    boost::json::array correct;
    for (const auto& key : shown.correct_keys) {
      correct.emplace_back(key);
    }
    questions.push_back(boost::json::object{{"question_id", shown.id.value()},
                                            {"stem", shown.stem},
                                            {"options", std::move(options)},
                                            {"correct_keys", std::move(correct)},
                                            {"explanation", shown.explanation}});
  }
  std::cout << boost::json::serialize(questions) << '\n';
  return 0;
}

}  // namespace

void add_attempt_commands(CLI::App& app, admin_options& options) {
  auto* attempts = app.add_subcommand("attempts", "read stored attempts");
  attempts->require_subcommand(1);
  auto* paper = attempts->add_subcommand(
      "paper", "print an attempt's questions as shown, with their correct keys, as JSON");
  auto id = std::make_shared<std::int64_t>(0);
  paper->add_option("ID", *id, "attempt id")->required();
  paper->callback([&options, id] {
    options.run = [&options, id] { return show_paper(options.data_dir, *id); };
  });
}

}  // namespace anquanli
