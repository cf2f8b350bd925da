// The `screen` command group of anquanli-admin: `screen token` makes a read-only token for a
// big-screen display (issue 17). It prints the token, to put in the display's URL
// (/screen?token=…), and the line to put in the server's configuration ([screen] token_hash),
// which holds only the token's hash; the token itself is never stored. A new token replaces the
// old one when its hash replaces the old hash (and the server restarts).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_screen_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
