#include "server/core/address_range.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace anquanli {

namespace {

struct numeric_address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
};

std::optional<numeric_address> read_address(std::string_view text) {
  const std::string copy{text};
  numeric_address result;
  if (::inet_pton(AF_INET, copy.c_str(), result.bytes.data()) == 1) {
    return result;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), result.bytes.data()) != 1) {
    return std::nullopt;
  }
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d seen through an IPv6 socket.
  constexpr std::array<std::uint8_t, 12> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::equal(mapped.begin(), mapped.end(), result.bytes.begin())) {
    std::copy(result.bytes.begin() + 12, result.bytes.end(), result.bytes.begin());
    std::fill(result.bytes.begin() + 4, result.bytes.end(), std::uint8_t{0});
    return result;
  }
  result.v6 = true;
  return result;
}

}  // namespace

std::optional<address_range> address_range::parse(std::string_view cidr) {
  const auto slash = cidr.find('/');
  const auto address = read_address(cidr.substr(0, slash));
  if (!address) {
    return std::nullopt;
  }
  const int bits = address->v6 ? 128 : 32;
  int prefix = bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = cidr.substr(slash + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() ||
        prefix < 0 || prefix > bits) {
      return std::nullopt;
    }
  }
  address_range range;
  range.v6_ = address->v6;
  range.bytes_ = address->bytes;
  range.prefix_ = prefix;
  return range;
}

bool address_range::contains(std::string_view address) const {
  const auto candidate = read_address(address);
  if (!candidate || candidate->v6 != v6_) {
    return false;
  }
  for (int bit = 0; bit < prefix_; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const auto mask = static_cast<std::uint8_t>(0x80U >> static_cast<unsigned>(bit % 8));
    if ((candidate->bytes[byte] & mask) != (bytes_[byte] & mask)) {
      return false;
    }
  }
  return true;
}

bool in_any(const std::vector<address_range>& ranges, std::string_view address) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [address](const address_range& range) { return range.contains(address); });
}

bool is_ip_address(std::string_view text) {
  return read_address(text).has_value();
}

}  // namespace anquanli
