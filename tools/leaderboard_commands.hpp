// The `leaderboards` command group of anquanli-admin: rebuild Redis from SQLite, or verify that
// Redis agrees with SQLite. Both read the server's configuration for the competition id and the
// Redis address, and work beside a running server.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_leaderboard_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
