// The `admins` and `audit` command groups of anquanli-admin: the regional office's accounts for a
// whole month (add, list, passwd, disable, enable: a new password or a disable revokes the
// account's tokens at once) and the audit log of sign-ins and of who took personal data.
#pragma once

#include "tools/admin_options.hpp"

namespace anquanli {

void add_account_commands(CLI::App& app, admin_options& options);

}  // namespace anquanli
