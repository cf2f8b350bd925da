// `anquanli-admin --data-dir DIR backup DEST`: a consistent copy of a server's data directory,
// safe while the server runs. DEST (a new or empty directory) receives anquanli.db, copied with
// SQLite's online backup API as of one instant and checked with PRAGMA integrity_check, and
// server.key as a separate file of mode 0600. The two belong together: without the key the copy
// cannot match returning participants, nor read the winners' phone numbers; with it, anyone can.
// Restoring is copying both into an empty data directory (docs/operations.md).
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_backup_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
