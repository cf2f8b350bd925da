#include "server/http/client_address.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

namespace {

std::vector<address_range> ranges(std::initializer_list<const char*> texts) {
  std::vector<address_range> result;
  for (const char* text : texts) {
    result.push_back(*address_range::parse(text));
  }
  return result;
}

}  // namespace

TEST_CASE("address ranges match by prefix, for IPv4, IPv6 and mapped addresses", "[address]") {
  const auto office = address_range::parse("10.20.0.0/16");
  REQUIRE(office);
  CHECK(office->contains("10.20.3.4"));
  CHECK_FALSE(office->contains("10.21.0.1"));
  CHECK(office->contains("::ffff:10.20.9.9"));
  CHECK_FALSE(office->contains("not an address"));
  CHECK_FALSE(office->contains("fd00::1"));
  const auto single = address_range::parse("127.0.0.1");
  REQUIRE(single);
  CHECK(single->contains("127.0.0.1"));
  CHECK_FALSE(single->contains("127.0.0.2"));
  const auto v6 = address_range::parse("fd00:1::/32");
  REQUIRE(v6);
  CHECK(v6->contains("fd00:1:ffff::7"));
  CHECK_FALSE(v6->contains("fd00:2::7"));
  CHECK(address_range::parse("0.0.0.0/0")->contains("203.0.113.9"));
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "::/129", "10.0.0/8",
                          "example.org", "10.0.0.0/-1"}) {
    INFO(bad);
    CHECK_FALSE(address_range::parse(bad));
  }
}

TEST_CASE("X-Forwarded-For is believed only from trusted proxies, right to left", "[address]") {
  const auto proxies = ranges({"127.0.0.1/32", "10.0.0.0/8"});
  SECTION("a direct client cannot forge its address") {
    CHECK(client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5");
    CHECK(client_address("203.0.113.5", "", proxies) == "203.0.113.5");
  }
  SECTION("behind a proxy the client is the right-most untrusted entry") {
    CHECK(client_address("127.0.0.1", "198.51.100.7", proxies) == "198.51.100.7");
    CHECK(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7", proxies) == "198.51.100.7");
    CHECK(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1", proxies) ==
          "198.51.100.7");
    CHECK(client_address("127.0.0.1", " 2001:db8::5 ", proxies) == "2001:db8::5");
  }
  SECTION("without a header, or with only proxies in it, the proxy chain's origin is used") {
    CHECK(client_address("127.0.0.1", "", proxies) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "10.9.9.9, 10.1.1.1", proxies) == "10.9.9.9");
  }
  SECTION("garbage from a proxy stops at the last trusted hop") {
    CHECK(client_address("127.0.0.1", "unknown", proxies) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "x, 10.1.1.1", proxies) == "10.1.1.1");
  }
  SECTION("no trusted proxies: the header is ignored") {
    CHECK(client_address("127.0.0.1", "198.51.100.7", {}) == "127.0.0.1");
  }
}
