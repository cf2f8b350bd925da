#include "tools/admin_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

// The three options on one (sub)command, all writing to the same admin_options.
void add_options_to(CLI::App& command, admin_options& options) {
  command
      .add_option_function<std::string>(
          "--data-dir",
          [&options](const std::string& dir) {
            options.data_dir = dir;
            options.data_dir_given = true;
          },
          "directory holding anquanli.db (default: the configuration's data_dir, else ./data)")
      ->type_name("DIR");
  command
      .add_option("--config", options.config_file,
                  "the server's TOML configuration: supplies data_dir, Redis and the rules")
      ->type_name("FILE")
      ->check(CLI::Validator(CLI::ExistingFile).description(""));
  command.add_flag("--create", options.create,
                   "create the database when the data directory has none (as `init` does)");
}

// Every subcommand below `app` that has no subcommands of its own.
void collect_leaves(CLI::App& app, std::vector<CLI::App*>& leaves) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_subcommands([](CLI::App*) { return true; }).empty()) {
      leaves.push_back(sub);
    } else {
      collect_leaves(*sub, leaves);
    }
  }
}

// Loads --config, whose data_dir applies unless --data-dir was given.
std::optional<int> load_configuration(admin_options& options) {
  if (options.config_file.empty()) {
    return std::nullopt;
  }
  config_result loaded = load_server_config(options.config_file);
  for (const auto& problem : loaded.problems) {
    std::cerr << options.config_file.string() << ": " << problem << '\n';
  }
  if (!loaded.problems.empty()) {
    return 2;
  }
  if (options.data_dir_given) {
    loaded.config.data_dir = options.data_dir;
  } else {
    options.data_dir = loaded.config.data_dir;
  }
  options.config = std::move(loaded.config);
  return std::nullopt;
}

}  // namespace

const server_config& admin_options::configuration() const {
  if (!config) {
    throw std::logic_error("this command needs --config FILE");
  }
  return *config;
}

void add_common_options(CLI::App& app, admin_options& options) {
  add_options_to(app, options);
  std::vector<CLI::App*> leaves;
  collect_leaves(app, leaves);
  for (CLI::App* leaf : leaves) {
    add_options_to(*leaf, options);
  }
}

std::optional<int> prepare_admin_options(admin_options& options) {
  if (const auto stop = load_configuration(options)) {
    return stop;
  }
  if (options.create && create_admin_database(options.data_dir)) {
    std::cerr << "created " << (options.data_dir / "anquanli.db").string() << '\n';
  }
  return std::nullopt;
}

}  // namespace anquanli
