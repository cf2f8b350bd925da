#include "server/http/client_address.hpp"

#include <boost/algorithm/string/trim.hpp>

namespace anquanli {

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<address_range>& trusted_proxies) {
  if (forwarded_for.empty() || !in_any(trusted_proxies, peer)) {
    return std::string{peer};
  }
  // Walk from the right: each trusted hop vouches for the entry to its left.
  std::string vouched_by{peer};
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    std::string entry{comma == std::string_view::npos ? forwarded_for
                                                      : forwarded_for.substr(comma + 1)};
    boost::algorithm::trim(entry);
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (!is_ip_address(entry)) {
      return vouched_by;  // a proxy that wrote garbage: the last hop we trust is all we know
    }
    if (!in_any(trusted_proxies, entry)) {
      return entry;
    }
    vouched_by = entry;
  }
  return vouched_by;  // every hop is a trusted proxy: the left-most is the origin
}

}  // namespace anquanli
