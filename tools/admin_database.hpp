// Opens the database the server uses (DATA_DIR/anquanli.db) and migrates it forward. Only `init`
// (or --create) makes a new one: any other command given a data directory without a database
// stops with missing_database, having created nothing, so a mistyped path never turns into an
// empty database and an empty export.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "server/store/schema.hpp"
#include "server/store/secrets.hpp"
#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// A data directory without a database; what() tells the operator what to do.
class missing_database : public std::runtime_error {
 public:
  explicit missing_database(const std::filesystem::path& data_dir)
      : std::runtime_error(
            "no database at " + (data_dir / "anquanli.db").string() +
            (std::filesystem::exists(data_dir) ? "" : " (the directory does not exist)") +
            ". Check --data-dir (or the configuration's data_dir); to start a new one, run "
            "`anquanli-admin --data-dir " +
            data_dir.string() + " init`. Nothing was created.") {}
};

[[nodiscard]] inline bool database_exists(const std::filesystem::path& data_dir) {
  return std::filesystem::is_regular_file(data_dir / "anquanli.db");
}

// Throws missing_database unless DATA_DIR/anquanli.db exists; creates nothing.
inline void require_database(const std::filesystem::path& data_dir) {
  if (!database_exists(data_dir)) {
    throw missing_database(data_dir);
  }
}

// The existing database, migrated forward.
inline std::unique_ptr<sqlite_database> open_admin_database(const std::filesystem::path& data_dir) {
  require_database(data_dir);
  secure_data_dir(data_dir);
  auto database = std::make_unique<sqlite_database>(data_dir / "anquanli.db");
  apply_migrations(*database, database_migrations());
  return database;
}

// Makes the data directory (owner only), a migrated database and the server key, keeping what
// exists. Returns whether the database was new.
inline bool create_admin_database(const std::filesystem::path& data_dir) {
  const bool created = !database_exists(data_dir);
  secure_data_dir(data_dir);
  sqlite_database database(data_dir / "anquanli.db");
  apply_migrations(database, database_migrations());
  const secrets keys(data_dir);
  return created;
}

inline std::string read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace anquanli
