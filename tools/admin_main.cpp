// anquanli-admin: the operator's command line. It works on the same database as the server
// (`--data-dir DIR` holds anquanli.db, or the data_dir of `--config FILE`) and prints plain text
// meant for a terminal. Every subcommand takes --data-dir, --config and --create (admin_options).
//
//   anquanli-admin [--data-dir DIR | --config FILE] init
//   anquanli-admin [--data-dir DIR] questions import FILE [--dry-run]
//   anquanli-admin [--data-dir DIR] questions list [--category C] [--type T] [--all]
//   anquanli-admin [--data-dir DIR] questions show ID
//   anquanli-admin [--data-dir DIR] questions check [--config FILE] [--questions-per-attempt N]
//   [--quota CAT=N]…
//   anquanli-admin [--data-dir DIR] questions remove ID
//   anquanli-admin [--data-dir DIR] regions import FILE [--dry-run] | list [--region CODE]
//   anquanli-admin [--data-dir DIR] units import FILE [--dry-run] | list [--region CODE]
//   anquanli-admin [--data-dir DIR] targets import FILE [--dry-run]   (region_code,target)
//   anquanli-admin [--data-dir DIR] leaderboards rebuild|verify --config FILE [--redis HOST:PORT]
//   anquanli-admin [--data-dir DIR] admins add --username NAME --region CODE [--sector S]
//       [--organisation NAME]   (password on stdin)
// clang-format off
//   anquanli-admin [--data-dir DIR] admins list [--region CODE]
//   anquanli-admin [--data-dir DIR] admins passwd|disable|enable --username NAME
//   anquanli-admin [--data-dir DIR] audit [--limit N]
//   anquanli-admin [--data-dir DIR] draws verify --day DAY [--seed HEX]
//   anquanli-admin [--data-dir DIR] attempts paper ID   (JSON: questions as shown, correct keys)
//   anquanli-admin [--data-dir DIR] bulletin --config FILE [--from D --to D --level L --format F] --out FILE
//     [--rank-by participants|rate|points|attempts] [--compare-to D] [--sector S] [--full]
//     (F: xlsx csv json html pdf)
// clang-format on
//   anquanli-admin screen token   (prints a display's token and the [screen] token_hash line)
//   anquanli-admin [--data-dir DIR] backup DEST
//   anquanli-admin [--data-dir DIR] bench seed --config FILE --participants N --units M --days D
//   [--tokens FILE] [--seed S]
//
// Exit status: 0 done, 1 the data was refused (bad import, unhealthy bank, unknown id), 2 usage
// (including a data directory without a database, or a bad --config).
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "tools/account_commands.hpp"
#include "tools/admin_database.hpp"
#include "tools/attempt_commands.hpp"
#include "tools/backup_commands.hpp"
#include "tools/bench_commands.hpp"
#include "tools/database_commands.hpp"
#include "tools/directory_commands.hpp"
#include "tools/draw_commands.hpp"
#include "tools/leaderboard_commands.hpp"
#include "tools/office_commands.hpp"
#include "tools/question_commands.hpp"
#include "tools/screen_commands.hpp"

int main(int argc, char** argv) {
  // The database and the key the tool creates are its owner's alone, as the server's are.
  ::umask(0077);
  CLI::App app{"anquanli-admin: operate an anquanli competition database"};
  app.require_subcommand(1);
  app.fallthrough();  // a parent's options (--data-dir…) may follow a subcommand's name
  anquanli::admin_options options;
  anquanli::add_database_commands(app, options);
  anquanli::add_question_commands(app, options);
  anquanli::add_directory_commands(app, options);
  anquanli::add_leaderboard_commands(app, options);
  anquanli::add_account_commands(app, options);
  anquanli::add_attempt_commands(app, options);
  anquanli::add_office_commands(app, options);
  anquanli::add_backup_commands(app, options);
  anquanli::add_bench_commands(app, options);
  anquanli::add_draw_commands(app, options);
  anquanli::add_screen_commands(app, options);
  anquanli::add_common_options(app, options);  // last: it reaches every subcommand added above
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  try {
    if (const auto stop = anquanli::prepare_admin_options(options)) {
      return *stop;
    }
    return options.run();
  } catch (const anquanli::missing_database& error) {
    std::cerr << "anquanli-admin: " << error.what() << '\n';
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "anquanli-admin: " << error.what() << '\n';
    return 1;
  }
}
