// What every anquanli-admin subcommand is given: the data directory, the server's configuration
// when --config names one, and, once a subcommand is chosen, the function that runs it.
//
// Every subcommand accepts --data-dir, --config and --create, before or after its name (its help
// lists them). --config supplies the data directory, Redis and the competition's rules;
// --data-dir overrides the configuration's data_dir. A subcommand that needs the database refuses
// a data directory without one (open_admin_database) unless --create or `init` made it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>

#include "server/core/server_config.hpp"

namespace CLI {
class App;
}

namespace anquanli {

struct admin_options {
  std::filesystem::path data_dir = "data";
  bool data_dir_given = false;
  std::filesystem::path config_file;    // empty: no --config
  std::optional<server_config> config;  // loaded from config_file by prepare_admin_options
  bool create = false;                  // --create: make the database when it is missing
  std::function<int()> run;             // set by the chosen subcommand

  // The loaded configuration; throws std::logic_error when the command was given none.
  [[nodiscard]] const server_config& configuration() const;
};

// Adds --data-dir, --config and --create to the whole command line: to `app` itself and to every
// subcommand without subcommands of its own, so that each one's --help shows them. Call after
// every subcommand has been added.
void add_common_options(CLI::App& app, admin_options& options);

// After parsing: loads --config (problems on stderr) and settles the data directory. Returns the
// exit status to stop with (2 for a bad configuration), or nothing to go on.
[[nodiscard]] std::optional<int> prepare_admin_options(admin_options& options);

}  // namespace anquanli
