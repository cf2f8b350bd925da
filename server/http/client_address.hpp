// Who the client is. Behind a reverse proxy every connection comes from the proxy, and the proxy
// says who it serves in X-Forwarded-For. That header is believed only when the connection comes
// from a configured proxy ([server] trusted_proxies), and then, as nginx's real_ip_recursive does,
// the client is the right-most entry that is not itself a trusted proxy: entries to its left were
// written by the client and may be forged. Every per-address limit and log line uses this address.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/core/address_range.hpp"

namespace anquanli {

// `peer` is the TCP peer's address; `forwarded_for` the X-Forwarded-For header (empty if none).
[[nodiscard]] std::string client_address(std::string_view peer, std::string_view forwarded_for,
                                         const std::vector<address_range>& trusted_proxies);

}  // namespace anquanli
