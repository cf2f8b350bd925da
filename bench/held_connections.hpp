// The connection attack of bench/run.sh's attack stage: while a run measures a real client, this
// holds `idle` connections that never send a byte and `slow` ones that send a request one byte
// every 5 s, the way a slowloris client does. They are opened before the run starts and closed
// when this object goes away. The server drops them at its read timeout, so a run that should see
// them all must end before it (the run's report shows how many the server still held at its end).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace anquanli::bench {

class held_connections {
 public:
  // Connects to host:port (an IP address), from `sources` loopback addresses 127.0.2.x when above
  // 0 (an attack from many clients; the real client speaks from 127.0.1.x); throws
  // std::runtime_error when a connection fails.
  held_connections(const std::string& host, std::uint16_t port, int idle, int slow,
                   int sources = 0);
  held_connections(const held_connections&) = delete;
  held_connections& operator=(const held_connections&) = delete;
  ~held_connections();

 private:
  struct sockets;
  void drip();

  std::unique_ptr<sockets> sockets_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread dripper_;
};

}  // namespace anquanli::bench
