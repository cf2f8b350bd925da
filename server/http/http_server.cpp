#include "server/http/http_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <unordered_map>

#include "server/http/api_request_from_beast.hpp"
#include "server/http/client_address.hpp"
#include "server/http/shared_read_pacer.hpp"
#include "server/protocol/api_error.hpp"
#include "server/protocol/event_stream.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast_request = http::request<http::string_body>;
using beast_response = http::response<http::string_body>;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Participants count as at work for this long after their last write; a shared read waits at most
// this long for its turn (shared_read_pacer.hpp).
constexpr std::chrono::milliseconds busy_window{1000};
constexpr std::chrono::milliseconds longest_shared_read_wait{5000};

bool request_is_api(std::string_view target) {
  return target.starts_with("/api/");
}

// Requests that begin work are admitted while fewer than max_requests_in_flight / this are in
// flight. Measured (docs/performance.md, "Overload"): at a half, a flood of starts overshot and
// answers under way met the full limit; at a quarter, a 10x flood still completes over 90 % of
// the challenges the server can complete.
constexpr std::size_t begins_work_share = 4;

beast_response to_beast(const api_response& reply, unsigned version, bool keep_alive) {
  beast_response response{static_cast<http::status>(reply.status), version};
  response.set(http::field::server, "anquanli");
  response.set(http::field::content_type, reply.content_type);
  response.set(http::field::cache_control, "no-store");  // API answers; pages override it
  response.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : reply.headers) {
    response.set(name, value);
  }
  response.body() = reply.body;
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

// A parse error of a request that did arrive (not a closed, reset or timed-out connection).
bool is_malformed_request(const boost::system::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_method).category() &&
         error != http::error::end_of_stream && error != http::error::partial_message;
}

// Returns an admission ticket when the handler is done.
struct admission_release {
  explicit admission_release(std::atomic<std::size_t>* ticket_counter) : counter(ticket_counter) {}
  std::atomic<std::size_t>* counter;
  admission_release(const admission_release&) = delete;
  admission_release& operator=(const admission_release&) = delete;
  ~admission_release() {
    if (counter != nullptr) {
      counter->fetch_sub(1);
    }
  }
};

}  // namespace

struct http_server::state : std::enable_shared_from_this<http_server::state> {
  asio::io_context& context;
  http_limits limits;
  const router& routes;
  metrics& counters;
  const time_source& clock;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests_in_flight{0};
  // API requests admitted and not yet handled. Refusals are not counted: if they were, a flood of
  // them would hold the gate shut and starve the requests it admitted.
  std::atomic<std::size_t> admitted_in_flight{0};
  std::atomic<std::int64_t> last_overload_warning_s{0};
  std::mutex per_address_mutex;
  std::unordered_map<std::string, std::size_t> per_address;  // open connections per direct peer
  std::function<bool(load_priority)> writes_refused;
  shared_read_pacer shared_reads;

  state(asio::io_context& io, http_limits configured, const router& table, metrics& stats,
        const time_source& time, std::function<bool(load_priority)> refuse_writes)
      : context(io),
        limits(std::move(configured)),
        routes(table),
        counters(stats),
        clock(time),
        acceptor(io),
        writes_refused(std::move(refuse_writes)),
        shared_reads(static_cast<double>(limits.shared_reads_when_busy), busy_window,
                     longest_shared_read_wait) {}

  asio::awaitable<void> accept_loop();
  void accept_waiting();
  // Takes an admission ticket for an API request, or returns false (nothing taken) when too many
  // are in flight or, for a write, the writer is behind. Work that would begin something new
  // meets lower limits than work that continues it.
  bool admit(bool writes, load_priority priority);
  void warn_overloaded();
  struct read_outcome {
    boost::system::error_code error;
    std::optional<beast_request> request;
  };
  asio::awaitable<void> session(tcp::socket socket);
  // One whole request, or the error that ends the connection.
  asio::awaitable<read_outcome> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                             bool first);
  // Answers a request that could not be read (when it arrived at all).
  asio::awaitable<void> refuse(beast::tcp_stream& stream,
                               const boost::system::error_code& error) const;
  // Handles one request and writes its response; false when the connection should close.
  asio::awaitable<bool> serve(beast::tcp_stream& stream, beast_request raw,
                              const std::string& peer);
  bool claim_address_slot(const std::string& peer);
  void release_address_slot(const std::string& peer);
  asio::awaitable<api_response> dispatch(api_request& request, std::string& route_name);
  // Makes a shared read wait its turn while participants work; false: refuse it.
  asio::awaitable<bool> wait_turn();
  asio::awaitable<bool> respond(beast::tcp_stream& stream, api_response reply, unsigned version,
                                bool keep_alive, bool head = false) const;
  // A streaming response (event_stream.hpp): the header, then each frame as a chunk, until the
  // stream ends, the client goes or a write stalls for read_timeout. The connection then closes.
  asio::awaitable<void> stream_events(beast::tcp_stream& stream, const api_response& reply,
                                      unsigned version) const;
};

bool http_server::state::admit(bool writes, load_priority priority) {
  const std::size_t in_flight_limit =
      priority == load_priority::begins_work
          ? std::max<std::size_t>(limits.max_requests_in_flight / begins_work_share, 1)
          : limits.max_requests_in_flight;
  if (admitted_in_flight.fetch_add(1) >= in_flight_limit ||
      (writes && writes_refused && writes_refused(priority))) {
    admitted_in_flight.fetch_sub(1);
    warn_overloaded();
    return false;
  }
  return true;
}

// At most one line a second, so that overload cannot also flood the log.
void http_server::state::warn_overloaded() {
  const auto second =
      std::chrono::duration_cast<std::chrono::seconds>(clock.monotonic().time_since_epoch())
          .count();
  if (last_overload_warning_s.exchange(second) != second) {
    spdlog::warn("overloaded: refusing API requests with 503 (see anquanli_http_requests_total)");
  }
}

asio::awaitable<void> http_server::state::accept_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto [error, socket] = co_await acceptor.async_accept(use_tuple);
    if (error) {
      if (stopping || error == asio::error::operation_aborted) {
        co_return;
      }
      // Out of descriptors or memory: retrying at once would spin and flood the log while the
      // condition lasts, so wait for sessions to close first.
      spdlog::warn("accept failed: {}", error.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds{100});
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    asio::co_spawn(asio::make_strand(context), session(std::move(socket)), asio::detached);
    accept_waiting();
  }
}

// Takes the connections already waiting in the listen queue without going back to the event
// loop for each: while thousands of open connections keep the I/O threads busy, one accept per
// turn of the loop lets the kernel's queue overflow, and new clients time out or are reset while
// the connected ones are served. At most a batch at a time, so accepting cannot starve them
// either.
void http_server::state::accept_waiting() {
  constexpr int batch = 256;
  for (int taken = 0; taken < batch && !stopping; ++taken) {
    boost::system::error_code error;
    tcp::socket socket = acceptor.accept(error);
    if (error) {
      return;  // would_block: the queue is empty; anything else: async_accept will see it
    }
    asio::co_spawn(asio::make_strand(context), session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<bool> http_server::state::respond(beast::tcp_stream& stream, api_response reply,
                                                  unsigned version, bool keep_alive,
                                                  bool head) const {
  beast_response response = to_beast(reply, version, keep_alive);
  if (head) {
    response.body().clear();  // Content-Length still tells the size a GET would have
  }
  stream.expires_after(limits.read_timeout);
  auto [error, written] = co_await http::async_write(stream, response, use_tuple);
  co_return !error && keep_alive;
}

asio::awaitable<void> http_server::state::stream_events(beast::tcp_stream& stream,
                                                        const api_response& reply,
                                                        unsigned version) const {
  http::response<http::empty_body> header{static_cast<http::status>(reply.status), version};
  header.set(http::field::server, "anquanli");
  header.set(http::field::content_type, reply.content_type);
  header.set(http::field::cache_control, "no-store");
  header.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : reply.headers) {
    header.set(name, value);
  }
  header.keep_alive(false);
  header.chunked(true);
  http::response_serializer<http::empty_body> serializer{header};
  stream.expires_after(limits.read_timeout);
  auto [error, written] = co_await http::async_write_header(stream, serializer, use_tuple);
  while (!error) {
    const std::shared_ptr<const std::string> frame = co_await reply.stream->next();
    if (!frame) {
      stream.expires_after(limits.read_timeout);
      co_await asio::async_write(stream, http::make_chunk_last(), use_tuple);
      co_return;
    }
    stream.expires_after(limits.read_timeout);
    std::tie(error, written) =
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(*frame)), use_tuple);
  }
}

asio::awaitable<api_response> http_server::state::dispatch(api_request& request,
                                                           std::string& route_name) {
  const route_match match = routes.match(request.method, request.path);
  if (match.found == nullptr) {
    route_name = match.allow.empty() ? "unmatched" : "method_not_allowed";
    if (!match.allow.empty()) {
      auto reply = error_response(api_error_code::method_not_allowed);
      reply.headers.emplace_back("Allow", match.allow);
      co_return reply;
    }
    co_return error_response(api_error_code::no_such_route);
  }
  route_name = match.found->pattern;
  request.path_parameters = match.parameters;
  // Admission control, before any work is spent on the request. Health checks and pages are
  // cheap and stay answered, so an overloaded server is not mistaken for a dead one.
  const bool api = request.path.starts_with("/api/");
  const bool writes = request.method != "GET" && request.method != "HEAD";
  bool admitted = true;
  if (api && writes) {
    shared_reads.note_work(clock.monotonic());
  } else if (api && match.found->priority == load_priority::shared_read) {
    admitted = co_await wait_turn();
  }
  if (api && (!admitted || !admit(writes, match.found->priority))) {
    co_return error_response(api_error_code::overloaded);
  }
  const admission_release release{api ? &admitted_in_flight : nullptr};
  try {
    co_return co_await match.found->handle(request);
  } catch (const std::exception& failure) {
    // A surprise: handlers answer every expected failure themselves.
    spdlog::error("{} {}: unexpected failure: {}", request.method, request.path, failure.what());
    co_return error_response(api_error_code::internal_error);
  }
}

asio::awaitable<bool> http_server::state::wait_turn() {
  const auto wait = shared_reads.reserve(clock.monotonic());
  if (!wait) {
    co_return false;
  }
  if (wait->count() > 0) {
    asio::steady_timer turn(co_await asio::this_coro::executor, *wait);
    co_await turn.async_wait(use_tuple);
  }
  co_return true;
}

bool http_server::state::claim_address_slot(const std::string& peer) {
  const std::lock_guard lock(per_address_mutex);
  auto& open = per_address[peer];
  if (open >= limits.max_connections_per_address) {
    if (open == 0) {
      per_address.erase(peer);
    }
    return false;
  }
  ++open;
  return true;
}

void http_server::state::release_address_slot(const std::string& peer) {
  const std::lock_guard lock(per_address_mutex);
  if (const auto found = per_address.find(peer);
      found != per_address.end() && --found->second == 0) {
    per_address.erase(found);
  }
}

asio::awaitable<http_server::state::read_outcome> http_server::state::read_request(
    beast::tcp_stream& stream, beast::flat_buffer& buffer, bool first) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
  parser.body_limit(limits.body_bytes);
  if (buffer.size() == 0) {
    // A keep-alive connection may wait idle for its next request; once a byte of it arrives, the
    // whole header must follow within read_timeout, so a drip-fed header cannot hold the slot.
    stream.expires_after(first ? limits.read_timeout : limits.idle_timeout);
    auto [error, received] =
        co_await stream.async_read_some(buffer.prepare(limits.header_bytes + 1), use_tuple);
    if (error) {
      co_return read_outcome{error, std::nullopt};
    }
    buffer.commit(received);
  }
  stream.expires_after(limits.read_timeout);
  auto [error, header_bytes] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
  // Beast leaves the request line and a few bytes out of its own count, so the limit is made
  // exact here: header_bytes is the whole header section as it arrived.
  if (!error && header_bytes > limits.header_bytes) {
    error = http::error::header_limit;
  }
  if (!error && !parser.is_done()) {
    stream.expires_after(limits.read_timeout);
    std::tie(error, header_bytes) = co_await http::async_read(stream, buffer, parser, use_tuple);
  }
  if (error) {
    co_return read_outcome{error, std::nullopt};
  }
  co_return read_outcome{error, parser.release()};
}

asio::awaitable<void> http_server::state::refuse(beast::tcp_stream& stream,
                                                 const boost::system::error_code& error) const {
  if (error == http::error::header_limit) {
    co_await respond(stream, error_response(api_error_code::header_too_large), 11, false);
  } else if (error == http::error::body_limit) {
    co_await respond(stream, error_response(api_error_code::body_too_large), 11, false);
  } else if (is_malformed_request(error)) {
    co_await respond(stream, error_response(api_error_code::bad_request), 11, false);
  }
}

asio::awaitable<bool> http_server::state::serve(beast::tcp_stream& stream, beast_request raw,
                                                const std::string& peer) {
  const auto started = clock.monotonic();
  ++requests_in_flight;
  std::string route_name = "invalid_target";
  const std::string address = client_address(peer, raw["X-Forwarded-For"], limits.trusted_proxies);
  auto request = api_request_from_beast(raw, address);
  // No co_await inside ?: here: GCC 12 miscompiles it.
  api_response reply = error_response(api_error_code::invalid_target);
  if (request) {
    reply = co_await dispatch(*request, route_name);
  }
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(clock.monotonic() - started);
  counters.record_request(route_name, reply.status, elapsed);
  // Refusals are counted in the metrics only: logging each one would make overload worse. Probes
  // and pages that were served are logged at debug level: a load balancer's health checks and the
  // pages' assets would otherwise cost a formatted line and a write each (the proxy in front logs
  // pages anyway); the API, and every failure, stays at info.
  if (!reply.load_refusal) {
    const bool routine = reply.status < 400 && !request_is_api(raw.target());
    spdlog::log(routine ? spdlog::level::debug : spdlog::level::info, "{} {} {} {} {}us", address,
                raw.method_string(), route_name, reply.status, elapsed.count());
  }
  if (reply.stream) {
    --requests_in_flight;  // a stream may last for hours: shutdown does not wait for it
    co_await stream_events(stream, reply, raw.version());
    co_return false;
  }
  const bool keep_going =
      co_await respond(stream, std::move(reply), raw.version(), raw.keep_alive() && !stopping,
                       raw.method() == http::verb::head);
  --requests_in_flight;
  co_return keep_going;
}

asio::awaitable<void> http_server::state::session(tcp::socket socket) {
  auto self = shared_from_this();
  const auto count = ++connections;
  counters.open_connections.fetch_add(1);
  beast::tcp_stream stream(std::move(socket));
  boost::system::error_code ignored;
  const std::string peer = stream.socket().remote_endpoint(ignored).address().to_string();
  // Proxies carry many clients each, so only direct clients are counted per address.
  const bool counted = !in_any(limits.trusted_proxies, peer);
  if (count > limits.max_connections) {
    co_await respond(stream, error_response(api_error_code::too_many_connections), 11, false);
  } else if (counted && !claim_address_slot(peer)) {
    co_await respond(stream, error_response(api_error_code::too_many_connections_from_address), 11,
                     false);
  } else {
    beast::flat_buffer buffer;
    for (bool keep_going = true, first = true; keep_going && !stopping; first = false) {
      auto [error, raw] = co_await read_request(stream, buffer, first);
      if (error) {
        co_await refuse(stream, error);
        break;
      }
      keep_going = co_await serve(stream, std::move(*raw), peer);
    }
    if (counted) {
      release_address_slot(peer);
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  --connections;
  counters.open_connections.fetch_sub(1);
}

http_server::http_server(asio::io_context& context, const http_limits& limits, const router& routes,
                         metrics& counters, const time_source& clock,
                         std::function<bool(load_priority)> writes_refused)
    : state_(std::make_shared<state>(context, limits, routes, counters, clock,
                                     std::move(writes_refused))) {}

http_server::~http_server() = default;

listen_address http_server::start(const listen_address& address) {
  const tcp::endpoint endpoint{asio::ip::make_address(address.host), address.port};
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen(asio::socket_base::max_listen_connections);
  state_->acceptor.non_blocking(true);  // accept_waiting() must never block an I/O thread
  const auto bound = state_->acceptor.local_endpoint();
  asio::co_spawn(state_->acceptor.get_executor(), state_->accept_loop(), asio::detached);
  return {bound.address().to_string(), bound.port()};
}

void http_server::stop_accepting() {
  state_->stopping = true;
  asio::post(state_->acceptor.get_executor(), [state = state_] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
}

std::size_t http_server::in_flight() const {
  return state_->requests_in_flight.load();
}

}  // namespace anquanli
