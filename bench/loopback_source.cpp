#include "bench/loopback_source.hpp"

#include <linux/in.h>
#include <sys/socket.h>

#include <algorithm>

namespace anquanli::bench {

std::string loopback_source(int block, int count, int index) {
  if (count <= 0) {
    return {};
  }
  const int host = index % std::min(count, 254) + 1;
  return "127.0." + std::to_string(block) + "." + std::to_string(host);
}

void bind_source(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp::endpoint& remote,
                 const std::string& source, boost::system::error_code& error) {
  if (source.empty()) {
    return;
  }
  socket.open(remote.protocol(), error);
  if (error) {
    return;
  }
  const int defer = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &defer, sizeof defer);
  socket.bind({boost::asio::ip::make_address(source, error), 0}, error);
}

}  // namespace anquanli::bench
