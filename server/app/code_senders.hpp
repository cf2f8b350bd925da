// The code senders a configuration can name: `log` writes codes to the server log, `file:PATH`
// appends one JSON line {"phone","code","at"} (for demos and tests),
// `webhook:http://HOST:PORT/PATH` POSTs the same JSON to an SMS gateway.
#pragma once

#include <memory>
#include <string>

#include "server/api/code_sender.hpp"

namespace anquanli {

// Builds the sender a configuration names (already validated by the config loader).
[[nodiscard]] std::unique_ptr<code_sender> make_code_sender(const std::string& spec,
                                                            utc_offset offset);

}  // namespace anquanli
