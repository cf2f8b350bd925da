// The code senders a configuration can name ([auth] code_sender):
//   log           writes codes to the server log (development and demos only);
//   file:PATH     appends one JSON line {"phone","code","at"} (demos and tests);
//   webhook:URL   POSTs the same JSON to an http:// or https:// SMS gateway;
//   aliyun        Alibaba Cloud SMS (aliyun_sms_sender.hpp);
//   tencentcloud  Tencent Cloud SMS (tencent_sms_sender.hpp).
// The last three deliver over HTTP with a timeout and retries, and count every outcome in
// /metrics; the SMS providers' credentials come from the environment or [sms] credentials_file.
#pragma once

#include <memory>

#include "server/api/code_sender.hpp"
#include "server/core/metrics.hpp"
#include "server/core/server_config.hpp"

namespace anquanli {

// Builds the sender the configuration names (already validated by the config loader). Throws
// std::runtime_error when it cannot: a webhook URL that does not parse, missing SMS credentials,
// a CA file that cannot be loaded.
[[nodiscard]] std::unique_ptr<code_sender> make_code_sender(const server_config& config,
                                                            metrics& counters);

}  // namespace anquanli
