// The `attempts` command group of anquanli-admin: what an operator (or a test harness) may read
// of one attempt without knowing how its paper is stored.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_attempt_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
