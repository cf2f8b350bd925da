// The `regions` and `units` command groups of anquanli-admin: import the directory from CSV and
// list it (`list [--region CODE]`: one item a line, tab-separated, then a count).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_directory_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
