// Connections from many loopback addresses. The server limits connections per client address, so
// a load generator on the same machine speaks from 127.0.B.1 … 127.0.B.n (all of 127/8 is
// loopback on Linux), as the clients of a real network would, instead of from 127.0.0.1 alone.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <string>

namespace anquanli::bench {

// Connection `index`'s address in block B of `count` addresses (at most 254); "" when count <= 0:
// the system's choice.
[[nodiscard]] std::string loopback_source(int block, int count, int index);

// Opens `socket` for `remote`'s protocol and binds it to `source` (nothing to do when empty). The
// port is left to connect(), which picks it for the whole address pair: picked at bind(), for the
// local address alone, thousands of connections from a few addresses would run out of ports.
void bind_source(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp::endpoint& remote,
                 const std::string& source, boost::system::error_code& error);

}  // namespace anquanli::bench
