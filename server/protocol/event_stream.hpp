// A response that goes on after its header: Server-Sent Events (text/event-stream). A handler
// returns an api_response whose `stream` is set; the transport writes the response's status and
// headers (no Content-Length), then each frame `next()` gives, until it gives none, the client
// goes away or a write takes longer than the read timeout. Handlers never see Beast.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

namespace anquanli {

class event_stream {
 public:
  virtual ~event_stream() = default;

  // The next frame, already in the wire format ("event: …\ndata: …\n\n" or ": comment\n\n");
  // nullptr when the stream is over (the server stops, or the viewer was dropped for being slow).
  // Awaited on the connection's executor, one call at a time.
  virtual boost::asio::awaitable<std::shared_ptr<const std::string>> next() = 0;
};

}  // namespace anquanli
