// Delivers one-time sign-in codes. `log` writes them to the server log, `file:PATH` appends one
// JSON line {"phone","code","at"} (for demos and tests), `webhook:http://HOST:PORT/PATH` POSTs the
// same JSON to an SMS gateway. Sending happens after the code is stored; a failed send is logged
// and the participant asks again after the resend interval.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

#include "engine/instant.hpp"

namespace anquanli {

class code_sender {
 public:
  virtual ~code_sender() = default;
  // True when the code was handed over.
  virtual boost::asio::awaitable<bool> send(std::string phone, std::string code, instant at) = 0;
};

// Builds the sender a configuration names (already validated by the config loader).
[[nodiscard]] std::unique_ptr<code_sender> make_code_sender(const std::string& spec,
                                                            utc_offset offset);

}  // namespace anquanli
