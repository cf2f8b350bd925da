// The big screen's one feed (server/api/screen_feed.hpp) over the in-memory store, on a real
// io_context and its real interval: one read of the figures per interval whatever the number of
// viewers, the same frames to each, a viewer that does not read dropped once its queue is full
// while the others go on, and max_viewers.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "tests/engine/test_rules.hpp"
#include "tests/support/fake_api.hpp"

using namespace anquanli;
using namespace anquanli::test;
namespace asio = boost::asio;

TEST_CASE("a viewer that does not read is dropped and the others keep their frames", "[screen]") {
  fake_api api(june(16));
  server_config config = api.config;
  config.screen.interval = std::chrono::milliseconds{200};
  config.screen.max_viewers = 2;
  const api_services services{config, api.store, api.clock, api.sender, api.counters};
  // The context outlives the feed: the feed's timer is destroyed with it, while its service lives.
  asio::io_context context;
  screen_feed feed(services);
  feed.start(context.get_executor());
  const auto reader = feed.subscribe(context.get_executor());
  const auto idle = feed.subscribe(context.get_executor());
  REQUIRE(reader);
  REQUIRE(idle);
  CHECK_FALSE(feed.subscribe(context.get_executor()));  // beyond max_viewers
  CHECK(feed.viewers() == 2);

  int read = 0;
  int idle_frames = 0;
  bool idle_ended = false;
  std::exception_ptr failure;
  const auto watch = [&]() -> asio::awaitable<void> {
    // More frames than an idle viewer's queue holds.
    for (; read < 12; ++read) {
      if (!co_await reader->next()) {
        co_return;
      }
    }
    while (co_await idle->next()) {
      ++idle_frames;
    }
    idle_ended = true;
    feed.stop();
  };
  asio::co_spawn(context, watch(), [&](std::exception_ptr error) { failure = error; });
  context.run();
  REQUIRE_FALSE(failure);
  CHECK(read == 12);
  CHECK(idle_ended);  // dropped: its stream ended, at most after the frames its queue held
  CHECK(idle_frames <= 8);
  // One read of the figures per frame, not one per viewer.
  CHECK(api.store.screen_reads() <= read + 1);
  CHECK(feed.viewers() == 2);  // both still held here; a viewer counts until its stream is gone
}
