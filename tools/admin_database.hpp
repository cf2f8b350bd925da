// Opens the database the server uses (DATA_DIR/anquanli.db), creating and migrating it as needed.
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

inline std::unique_ptr<sqlite_database> open_admin_database(const std::filesystem::path& data_dir) {
  secure_data_dir(data_dir);
  auto database = std::make_unique<sqlite_database>(data_dir / "anquanli.db");
  apply_migrations(*database, database_migrations());
  return database;
}

inline std::string read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace anquanli
