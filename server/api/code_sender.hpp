// Delivers one-time sign-in codes. The handler asks; the senders (server/app/code_senders.hpp)
// deliver to a log, a file, a webhook or an SMS provider. Sending happens after the code is
// stored; a failed send is logged and the participant asks again after the resend interval.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "engine/instant.hpp"

namespace anquanli {

class code_sender {
 public:
  virtual ~code_sender() = default;
  // True when the code was handed over.
  virtual boost::asio::awaitable<bool> send(std::string phone, std::string code, instant at) = 0;
};

}  // namespace anquanli
