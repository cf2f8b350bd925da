// The whole database schema as one ordered list of migrations: the question bank's steps first,
// then the server's. `PRAGMA user_version` records how far a database has come.
#pragma once

#include <span>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

[[nodiscard]] std::span<const migration> database_migrations();

}  // namespace anquanli
