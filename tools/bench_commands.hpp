// The `bench` command group of anquanli-admin. `bench seed` fills a database with synthetic units,
// participants with complete profiles and ready bearer tokens, and finished challenge history, so
// the load generator (bench/) can measure the server at a realistic size without SMS sign-ins.
// It writes straight to SQLite in large batches on its own fast (unsafe) connection: run it on a
// database no server is using.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_bench_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
