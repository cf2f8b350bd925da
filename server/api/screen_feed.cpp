#include "server/api/screen_feed.hpp"

#include <spdlog/spdlog.h>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <vector>

#include "server/api/screen_views.hpp"

namespace anquanli {

namespace asio = boost::asio;
// (Not `frame_ptr`: GCC 12 names a coroutine's own frame so, and warns of the shadowing.)
using shared_frame = std::shared_ptr<const std::string>;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Frames a viewer may have waiting. One frame a second is the normal pace, so a viewer this far
// behind is not reading: it is dropped rather than buffered without end.
constexpr std::size_t viewer_queue = 8;
// What a browser waits before it reconnects a dropped stream.
constexpr std::string_view retry_line = "retry: 2000\n";
// One comment frame shared by every heartbeat (made on first use, not at static initialisation).
shared_frame heartbeat_frame() {
  static const shared_frame frame = std::make_shared<const std::string>(": heartbeat\n\n");
  return frame;
}

shared_frame event_frame(const std::string& json) {
  return std::make_shared<const std::string>("event: screen\ndata: " + json + "\n\n");
}

using channel =
    asio::experimental::concurrent_channel<void(boost::system::error_code, shared_frame)>;

}  // namespace

class screen_viewer;

struct screen_feed::state : std::enable_shared_from_this<screen_feed::state> {
  explicit state(const api_services& dependencies) : services(dependencies) {}

  const api_services& services;
  std::atomic<std::size_t> viewer_count{0};
  std::atomic<bool> stopping{false};
  std::unique_ptr<asio::steady_timer> timer;
  mutable std::mutex mutex;  // guards everything below
  std::vector<std::weak_ptr<screen_viewer>> viewers;
  shared_frame latest_json;    // the last computed screen, with as_of
  std::string latest_figures;  // the same without as_of, to tell a change
  shared_frame latest_frame;   // latest_json as an event
  monotonic_instant latest_at{};
  bool snapshot_reading = false;  // a GET /api/v1/screen is reading new figures
  std::string draws_day;          // the day draws_before_day counts up to
  std::int64_t draws_before_day = 0;

  asio::awaitable<shared_frame> refresh(bool& changed);
  asio::awaitable<void> loop();
  // Hands `frame` to every viewer, dropping those whose queue is full and forgetting gone ones.
  void broadcast(const shared_frame& frame);
};

class screen_viewer final : public event_stream {
 public:
  screen_viewer(const asio::any_io_executor& executor, std::shared_ptr<screen_feed::state> feed)
      : channel_(executor, viewer_queue), feed_(std::move(feed)) {}
  ~screen_viewer() override { feed_->viewer_count.fetch_sub(1); }
  screen_viewer(const screen_viewer&) = delete;
  screen_viewer& operator=(const screen_viewer&) = delete;

  asio::awaitable<shared_frame> next() override {
    auto [error, frame] = co_await channel_.async_receive(use_tuple);
    co_return error ? nullptr : frame;
  }

  // False when the viewer was dropped (its queue was full, or it was closed).
  bool offer(const shared_frame& frame) {
    if (channel_.try_send(boost::system::error_code{}, frame)) {
      return true;
    }
    close();
    return false;
  }
  void close() { channel_.close(); }

 private:
  channel channel_;
  std::shared_ptr<screen_feed::state> feed_;
};

asio::awaitable<shared_frame> screen_feed::state::refresh(bool& changed) {
  const server_config& config = services.config;
  const instant now = services.clock.now();
  const std::string today = to_string(day_key_of(now, config.competition.offset));
  screen_query query{config.competition.id, today, std::nullopt, 10, 10};
  {
    const std::lock_guard lock(mutex);
    if (draws_day == today) {
      query.draws_before_today = draws_before_day;
    }
  }
  if (!query.draws_before_today) {
    query.draws_before_today = co_await services.store.draws_before(today);
  }
  const screen_figures figures = co_await services.store.read_screen(query);
  boost::json::object document = screen_json(figures, config, today);
  std::string without_time = boost::json::serialize(document);
  document["as_of"] = format_rfc3339(now, config.competition.offset);
  auto json = std::make_shared<const std::string>(boost::json::serialize(document));
  const std::lock_guard lock(mutex);
  draws_day = today;
  draws_before_day = *query.draws_before_today;
  changed = without_time != latest_figures;
  latest_figures = std::move(without_time);
  latest_json = json;
  latest_frame = event_frame(*json);
  latest_at = services.clock.monotonic();
  co_return json;
}

void screen_feed::state::broadcast(const shared_frame& frame) {
  const std::lock_guard lock(mutex);
  std::erase_if(viewers, [&frame](const std::weak_ptr<screen_viewer>& weak) {
    const auto viewer = weak.lock();
    return !viewer || !viewer->offer(frame);
  });
}

asio::awaitable<void> screen_feed::state::loop() {
  const auto self = shared_from_this();
  const screen_config& settings = services.config.screen;
  auto last_sent = services.clock.monotonic();
  while (!stopping) {
    timer->expires_after(settings.interval);
    co_await timer->async_wait(use_tuple);
    if (stopping) {
      break;
    }
    if (viewer_count.load() > 0) {
      try {
        bool changed = false;
        co_await refresh(changed);
        if (changed) {
          broadcast(latest_frame);
          last_sent = services.clock.monotonic();
        }
      } catch (const std::exception& failure) {
        // The viewers keep their last figures; the next tick tries again.
        spdlog::warn("screen: the figures could not be read: {}", failure.what());
      }
    }
    if (services.clock.monotonic() - last_sent >= settings.heartbeat) {
      broadcast(heartbeat_frame());
      last_sent = services.clock.monotonic();
    }
  }
}

screen_feed::screen_feed(const api_services& services)
    : state_(std::make_shared<state>(services)) {}

screen_feed::~screen_feed() {
  stop();
}

void screen_feed::start(const asio::any_io_executor& executor) {
  state_->timer = std::make_unique<asio::steady_timer>(executor);
  asio::co_spawn(executor, state_->loop(), asio::detached);
}

void screen_feed::stop() {
  state_->stopping = true;
  const std::lock_guard lock(state_->mutex);
  for (const auto& weak : state_->viewers) {
    if (const auto viewer = weak.lock()) {
      viewer->close();
    }
  }
  state_->viewers.clear();
}

asio::awaitable<shared_frame> screen_feed::snapshot() {
  {
    const std::lock_guard lock(state_->mutex);
    const bool fresh =
        state_->latest_json && state_->services.clock.monotonic() - state_->latest_at <
                                   state_->services.config.screen.interval;
    // Single flight: while one request reads new figures, the others get the latest ones.
    if (fresh || (state_->latest_json && state_->snapshot_reading)) {
      co_return state_->latest_json;
    }
    state_->snapshot_reading = true;
  }
  const auto done = [this] {
    const std::lock_guard lock(state_->mutex);
    state_->snapshot_reading = false;
  };
  try {
    bool changed = false;
    shared_frame json = co_await state_->refresh(changed);
    done();
    co_return json;
  } catch (...) {
    done();
    throw;
  }
}

std::shared_ptr<event_stream> screen_feed::subscribe(const asio::any_io_executor& executor) {
  if (state_->stopping ||
      state_->viewer_count.fetch_add(1) >= state_->services.config.screen.max_viewers) {
    state_->viewer_count.fetch_sub(1);
    return nullptr;
  }
  auto viewer = std::make_shared<screen_viewer>(executor, state_);
  const std::lock_guard lock(state_->mutex);
  // The browser's reconnection delay, and the figures at once when there are some.
  const auto first = std::make_shared<const std::string>(
      std::string{retry_line} + (state_->latest_frame ? *state_->latest_frame : "\n"));
  viewer->offer(first);
  state_->viewers.push_back(viewer);
  return viewer;
}

std::size_t screen_feed::viewers() const {
  return state_->viewer_count.load();
}

}  // namespace anquanli
