// `anquanli-admin init`: makes a new data directory (owner only) with a migrated database and the
// server key. The only command, with --create, that creates a database: every other one refuses a
// data directory without one.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_database_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
