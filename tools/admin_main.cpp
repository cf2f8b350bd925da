// anquanli-admin: the operator's command line. It works on the same database as the server
// (`--data-dir DIR` holds anquanli.db) and prints plain text meant for a terminal.
//
//   anquanli-admin [--data-dir DIR] questions import FILE [--dry-run]
//   anquanli-admin [--data-dir DIR] questions list [--category C] [--type T] [--all]
//   anquanli-admin [--data-dir DIR] questions show ID
//   anquanli-admin [--data-dir DIR] questions check [--questions-per-attempt N] [--quota CAT=N]…
//   anquanli-admin [--data-dir DIR] questions remove ID
//   anquanli-admin [--data-dir DIR] regions import FILE [--dry-run]
//   anquanli-admin [--data-dir DIR] units import FILE [--dry-run]
//   anquanli-admin [--data-dir DIR] leaderboards rebuild|verify --config FILE [--redis HOST:PORT]
//   anquanli-admin [--data-dir DIR] admins add --username NAME --region CODE   (password on stdin)
//   anquanli-admin [--data-dir DIR] admins list | passwd|disable|enable --username NAME
//   anquanli-admin [--data-dir DIR] audit [--limit N]
//   anquanli-admin [--data-dir DIR] attempts paper ID   (JSON: questions as shown, correct keys)
//   anquanli-admin [--data-dir DIR] bulletin --config FILE [--from D --to D --level L --format F]
//   --out FILE
//   anquanli-admin [--data-dir DIR] bench seed --config FILE --participants N --units M --days D
//   [--tokens FILE] [--seed S]
//
// Exit status: 0 done, 1 the data was refused (bad import, unhealthy bank, unknown id), 2 usage.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "tools/account_commands.hpp"
#include "tools/attempt_commands.hpp"
#include "tools/bench_commands.hpp"
#include "tools/directory_commands.hpp"
#include "tools/leaderboard_commands.hpp"
#include "tools/office_commands.hpp"
#include "tools/question_commands.hpp"

int main(int argc, char** argv) {
  // The database and the key the tool creates are its owner's alone, as the server's are.
  ::umask(0077);
  CLI::App app{"anquanli-admin: operate an anquanli competition database"};
  app.require_subcommand(1);
  anquanli::admin_options options;
  app.add_option("--data-dir", options.data_dir, "directory holding anquanli.db")
      ->capture_default_str();
  anquanli::add_question_commands(app, options);
  anquanli::add_directory_commands(app, options);
  anquanli::add_leaderboard_commands(app, options);
  anquanli::add_account_commands(app, options);
  anquanli::add_attempt_commands(app, options);
  anquanli::add_office_commands(app, options);
  anquanli::add_bench_commands(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  options.data_dir_given = app.count("--data-dir") > 0;
  try {
    return options.run();
  } catch (const std::exception& error) {
    std::cerr << "anquanli-admin: " << error.what() << '\n';
    return 1;
  }
}
