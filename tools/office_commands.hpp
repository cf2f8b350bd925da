// The regional office's command of anquanli-admin: `bulletin`, the same exports as the admin API
// written to a file, for the competition of --config (from the database of its data_dir unless
// --data-dir says otherwise).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_office_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
