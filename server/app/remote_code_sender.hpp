// What the code senders that deliver over HTTP share (the webhook, Alibaba Cloud SMS, Tencent Cloud
// SMS): each try is built and signed afresh and sent with retries (outbound_http), the reply is
// read into ok-or-an-error-code, and the outcome goes to the log (the provider's code and message,
// the phone number masked, never a credential) and to /metrics (anquanli_code_deliveries_total).
#pragma once

#include <string>

#include "server/api/code_sender.hpp"
#include "server/app/outbound_http.hpp"
#include "server/core/metrics.hpp"
#include "server/core/time_source.hpp"

namespace anquanli {

struct delivery_result {
  bool ok = false;
  std::string code;     // the provider's code ("OK", "isv.BUSINESS_LIMIT_CONTROL"…) or ours
  std::string message;  // the provider's explanation, for the log
};

class remote_code_sender : public code_sender {
 public:
  remote_code_sender(std::string name, outbound_http http, int attempts, metrics& counters);

  // Starts the delivery and returns true at once.
  boost::asio::awaitable<bool> send(std::string phone, std::string code, instant at) final;

 protected:
  // One try's request. `now` is the real time (not the competition's clock): signatures are
  // checked against the provider's own clock.
  [[nodiscard]] virtual outbound_request build(const std::string& phone, const std::string& code,
                                               instant at, instant now) const = 0;
  // Whether the provider took the message; called only when there was an HTTP response.
  [[nodiscard]] virtual delivery_result read_reply(const outbound_response& reply) const = 0;

 private:
  boost::asio::awaitable<void> deliver(std::string phone, std::string code, instant at);

  std::string name_;
  outbound_http http_;
  int attempts_;
  metrics& counters_;
  system_time_source real_time_;
};

// "HTTP_503" for a status without a provider's code, "timeout", "connection"… for no response.
[[nodiscard]] delivery_result transport_failure(const outbound_response& reply);

}  // namespace anquanli
