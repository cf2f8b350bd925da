#include "tools/database_commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/admin_database.hpp"

namespace anquanli {

namespace {

// Creates what is missing and says what it found; an existing database is migrated, never reset.
int init_database(const std::filesystem::path& data_dir) {
  const bool created = create_admin_database(data_dir);
  sqlite_database database(data_dir / "anquanli.db", open_mode::read_only);
  std::cout << (created ? "created " : "already there, kept: ")
            << (data_dir / "anquanli.db").string() << " (schema version " << database.user_version()
            << ")\n";
  return 0;
}

}  // namespace

void add_database_commands(CLI::App& app, admin_options& options) {
  app.add_subcommand("init",
                     "create the data directory, its database and server key (keeps existing ones)")
      ->callback(
          [&options] { options.run = [&options] { return init_database(options.data_dir); }; });
}

}  // namespace anquanli
