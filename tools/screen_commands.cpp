#include "tools/screen_commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "server/store/screen_token.hpp"
#include "server/store/secrets.hpp"

namespace anquanli {

namespace {

int print_new_token() {
  const std::string token = secrets::new_token();
  std::cout << "screen token (give it to the display, once; it is not stored anywhere):\n  "
            << token << "\n\nopen on the display:\n  /screen?token=" << token
            << "\n\nput in the server's configuration, then restart it:\n  [screen]\n"
            << "  token_hash = \"" << screen_token_hash(token) << "\"\n";
  return 0;
}

}  // namespace

void add_screen_commands(CLI::App& app, admin_options& options) {
  auto* group = app.add_subcommand("screen", "the 6·16 big screen");
  group->require_subcommand(1);
  auto* token = group->add_subcommand(
      "token", "make a new read-only token for a display; prints it and the hash to configure");
  token->callback([&options] { options.run = [] { return print_new_token(); }; });
}

}  // namespace anquanli
