// An IPv4 or IPv6 address range in CIDR notation ("10.0.0.0/8", "::1/128"; a bare address is a
// range of one), for the addresses the server trusts to tell it who the client is
// ([server] trusted_proxies) and those it answers /metrics to ([server] metrics_allow). Addresses
// are read by the system's inet_pton; an IPv4-mapped IPv6 address ("::ffff:10.1.2.3") is matched
// as the IPv4 address it carries.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace anquanli {

class address_range {
 public:
  // Empty when `cidr` is not an address with an optional /prefix of the right size.
  [[nodiscard]] static std::optional<address_range> parse(std::string_view cidr);

  // False for anything that is not a numeric address.
  [[nodiscard]] bool contains(std::string_view address) const;

 private:
  bool v6_ = false;
  std::array<std::uint8_t, 16> bytes_{};
  int prefix_ = 0;
};

// True when `address` lies in one of `ranges`.
[[nodiscard]] bool in_any(const std::vector<address_range>& ranges, std::string_view address);

// True when `text` is a numeric IPv4 or IPv6 address.
[[nodiscard]] bool is_ip_address(std::string_view text);

}  // namespace anquanli
