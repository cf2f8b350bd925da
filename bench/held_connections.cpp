#include "bench/held_connections.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <stdexcept>

#include "bench/loopback_source.hpp"

namespace anquanli::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto drip_interval = std::chrono::seconds{5};
constexpr std::string_view slow_request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

struct held_connections::sockets {
  asio::io_context context;
  std::vector<tcp::socket> idle;
  std::vector<tcp::socket> slow;

  tcp::socket open(const tcp::endpoint& endpoint, const std::string& source) {
    tcp::socket socket(context);
    boost::system::error_code error;
    bind_source(socket, endpoint, source, error);
    if (!error) {
      socket.connect(endpoint, error);
    }
    if (error) {
      throw std::runtime_error("cannot hold a connection: " + error.message());
    }
    return socket;
  }
};

held_connections::held_connections(const std::string& host, std::uint16_t port, int idle, int slow,
                                   int sources)
    : sockets_(std::make_unique<sockets>()) {
  const tcp::endpoint endpoint{asio::ip::make_address(host), port};
  for (int i = 0; i < slow; ++i) {
    sockets_->slow.push_back(sockets_->open(endpoint, loopback_source(2, sources, i)));
  }
  for (int i = 0; i < idle; ++i) {
    sockets_->idle.push_back(sockets_->open(endpoint, loopback_source(2, sources, slow + i)));
  }
  if (slow > 0) {
    dripper_ = std::thread([this] { drip(); });
  }
}

held_connections::~held_connections() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (dripper_.joinable()) {
    dripper_.join();
  }
}

// Sends each slow connection the next byte of its request now and then every drip_interval; a
// connection the server has closed just fails its write.
void held_connections::drip() {
  std::unique_lock lock(mutex_);
  for (std::size_t next = 0; !stopping_; next = (next + 1) % slow_request.size()) {
    for (auto& socket : sockets_->slow) {
      boost::system::error_code ignored;
      asio::write(socket, asio::buffer(&slow_request[next], 1), ignored);
    }
    wake_.wait_for(lock, drip_interval, [this] { return stopping_; });
  }
}

}  // namespace anquanli::bench
