// The `draws` command group of anquanli-admin: `draws verify --day DAY [--seed HEX]` recomputes
// every draw of a day from its seed (the published one with --seed, else the one stored for the
// day) and the prize tables, stock and daily caps replayed in commit order, and exits 1 when any
// recorded draw differs (docs/draws.md).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_draw_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
