// The 6·16 big screen's one feed (issue 17). However many screens watch, the figures are computed
// once per `[screen] interval_ms`, on the store's bulk-read thread (never an I/O thread waiting on
// SQLite), serialized once, and the same frame is handed to every viewer. Each viewer has a small
// bounded queue: a viewer that falls behind (its queue is full) is dropped, so a slow client can
// never stall the feed or the others; its browser reconnects by itself. Every `heartbeat_s`
// without a frame, each stream gets a comment so proxies keep it open and a gone client is
// noticed by the failed write.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "server/api/api_services.hpp"
#include "server/protocol/event_stream.hpp"

namespace anquanli {

class screen_viewer;

class screen_feed {
 public:
  explicit screen_feed(const api_services& services);
  ~screen_feed();
  screen_feed(const screen_feed&) = delete;
  screen_feed& operator=(const screen_feed&) = delete;

  // Starts the feed's loop on `executor`. Call once.
  void start(const boost::asio::any_io_executor& executor);
  // Ends the loop and every viewer's stream (at shutdown).
  void stop();

  // The screen as JSON: the latest computed one while it is younger than the interval, else a
  // fresh one. Throws store_unavailable / store_overloaded like any read.
  boost::asio::awaitable<std::shared_ptr<const std::string>> snapshot();

  // A new viewer's stream, whose frames are awaited on `executor`; nullptr when `max_viewers`
  // are already watching. The latest frame, when there is one, is the stream's first.
  [[nodiscard]] std::shared_ptr<event_stream> subscribe(
      const boost::asio::any_io_executor& executor);

  [[nodiscard]] std::size_t viewers() const;

 private:
  friend class screen_viewer;
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace anquanli
