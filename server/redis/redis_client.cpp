#include "server/redis/redis_client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <csignal>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>

namespace anquanli {

namespace asio = boost::asio;

namespace {

// One pipeline in flight: collects its replies (hiredis calls back once per command, with
// nullptr when the connection goes away first) and completes its caller exactly once.
class pending_pipeline {
 public:
  explicit pending_pipeline(std::size_t expected) : expected_(expected) {
    replies_.reserve(expected);
  }
  pending_pipeline(const pending_pipeline&) = delete;
  pending_pipeline& operator=(const pending_pipeline&) = delete;
  virtual ~pending_pipeline() = default;

  [[nodiscard]] monotonic_instant deadline() const { return deadline_; }
  void set_deadline(monotonic_instant deadline) { deadline_ = deadline; }
  // Expects only the first `count` replies (the other commands could not be queued).
  void truncate(std::size_t count) { expected_ = count; }

  // Records one reply. True once every reply (or its loss) has been recorded.
  bool add(redis_reply reply) {
    replies_.push_back(std::move(reply));
    return ++received_ == expected_;
  }
  // Records a reply that will never come. True once every reply (or its loss) has been recorded.
  bool lose(const std::string& why) {
    if (lost_.empty()) {
      lost_ = why;
    }
    return ++received_ == expected_;
  }
  // Completes the caller with the replies, or with redis_unavailable if any was lost.
  void finish() {
    if (!lost_.empty()) {
      fail(lost_);
    } else if (!done_) {
      done_ = true;
      complete(nullptr, std::move(replies_));
    }
  }
  // Completes the caller with redis_unavailable(why), unless it has completed already.
  void fail(const std::string& why) {
    if (!done_) {
      done_ = true;
      complete(std::make_exception_ptr(redis_unavailable(why)), {});
    }
  }

 protected:
  // Hands the outcome to the caller's executor; called at most once.
  virtual void complete(std::exception_ptr error, std::vector<redis_reply> replies) = 0;

 private:
  std::size_t expected_;
  std::size_t received_ = 0;
  std::vector<redis_reply> replies_;
  std::string lost_;
  bool done_ = false;
  monotonic_instant deadline_{};
};

// A pending_pipeline that completes one async_initiate handler, posted to its executor.
template <class Handler>
class pipeline_job final : public pending_pipeline {
 public:
  pipeline_job(std::size_t expected, Handler handler)
      : pending_pipeline(expected), handler_(std::move(handler)) {}

 protected:
  void complete(std::exception_ptr error, std::vector<redis_reply> replies) override {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor,
               [handler = std::move(handler_), error, replies = std::move(replies)]() mutable {
                 std::move(handler)(error, std::move(replies));
               });
  }

 private:
  Handler handler_;
};

// A copy of a hiredis reply (RESP3 types, which hiredis 1.x may report, map to the RESP2 kinds).
redis_reply convert(const redisReply& reply) {
  redis_reply result;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
#ifdef REDIS_REPLY_BOOL
    case REDIS_REPLY_BOOL:
#endif
      result.type = redis_reply::kind::integer;
      result.integer = static_cast<std::int64_t>(reply.integer);
      break;
    case REDIS_REPLY_STATUS: result.type = redis_reply::kind::status; break;
    case REDIS_REPLY_ERROR: result.type = redis_reply::kind::error; break;
    case REDIS_REPLY_ARRAY:
#ifdef REDIS_REPLY_MAP
    case REDIS_REPLY_MAP:
    case REDIS_REPLY_SET:
    case REDIS_REPLY_PUSH:
#endif
      result.type = redis_reply::kind::array;
      for (std::size_t index = 0; index < static_cast<std::size_t>(reply.elements); ++index) {
        result.elements.push_back(convert(*reply.element[index]));
      }
      return result;
    case REDIS_REPLY_NIL: return result;
    case REDIS_REPLY_STRING:
    default: result.type = redis_reply::kind::string; break;  // also double, verbatim, big number
  }
  if (result.type != redis_reply::kind::integer && reply.str != nullptr) {
    result.text.assign(reply.str, static_cast<std::size_t>(reply.len));
  }
  return result;
}

// Throws std::invalid_argument for a command this client cannot run (see pipeline()).
void check_command(const std::vector<std::string>& arguments) {
  if (arguments.empty()) {
    throw std::invalid_argument("redis: empty command");
  }
  std::string name = arguments.front();
  for (char& letter : name) {
    letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  }
  if (name.ends_with("subscribe") || name == "monitor") {
    throw std::invalid_argument("redis: " + arguments.front() + " is not supported");
  }
}

// Sets SIGPIPE to ignored once per process, unless someone chose a disposition already.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      ::signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

class redis_client::state : public std::enable_shared_from_this<state> {
 public:
  state(const asio::any_io_executor& executor, const time_source& clock, std::string host,
        std::uint16_t port, std::chrono::milliseconds command_timeout,
        std::chrono::milliseconds retry_after)
      : strand_(asio::make_strand(executor)),
        clock_(clock),
        host_(std::move(host)),
        port_(port),
        command_timeout_(command_timeout),
        retry_after_(retry_after),
        timer_(strand_) {}
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  // Reached only when no handler holds the state (none pending, or the io_context is gone).
  ~state() {
    stopped_ = true;
    drop("redis: client destroyed", false);
  }

  [[nodiscard]] const asio::strand<asio::any_io_executor>& strand() const { return strand_; }
  [[nodiscard]] bool connected() const { return connected_.load(); }

  // Starts one pipeline on the strand; handler gets (exception_ptr, replies) exactly once.
  template <class Handler>
  void submit(std::vector<std::vector<std::string>> commands, Handler handler) {
    std::unique_ptr<pending_pipeline> job =
        std::make_unique<pipeline_job<Handler>>(commands.size(), std::move(handler));
    asio::dispatch(strand_, [self = shared_from_this(), job = std::move(job),
                             commands = std::move(commands)]() mutable {
      self->start(std::move(job), commands);
    });
  }

  // On the strand: frees the connection; pending pipelines fail with `reason`. A failure (as
  // opposed to close()) makes the next connection wait for retry_after.
  void drop(std::string reason, bool failure) {
    if (context_ == nullptr) {
      return;
    }
    drop_reason_ = std::move(reason);
    closing_ = !failure;
    redisAsyncFree(context_);  // runs the pending reply callbacks, then cleanup (detach)
    drop_reason_.clear();
    closing_ = false;
  }

  // On the strand: drops the connection for good; later pipelines fail at once.
  void shut_down() {
    stopped_ = true;
    drop("redis: client destroyed", false);
  }

 private:
  // On the strand: queues the commands (connecting first if due) or fails the pipeline.
  void start(std::unique_ptr<pending_pipeline> job,
             const std::vector<std::vector<std::string>>& commands) {
    if (stopped_) {
      return job->fail("redis: client destroyed");
    }
    if (context_ == nullptr && !connect()) {
      return job->fail(last_failure_);
    }
    job->set_deadline(clock_.monotonic() + command_timeout_);
    pending_pipeline& pipeline = *job;
    in_flight_.push_back(std::move(job));
    std::size_t queued = 0;
    while (queued < commands.size() && queue(commands[queued], pipeline)) {
      ++queued;
    }
    if (queued < commands.size()) {
      pipeline.truncate(queued);
      pipeline.fail("redis: cannot queue a command");
      if (queued == 0) {
        in_flight_.pop_back();
      }
      return drop("redis: cannot queue a command", true);
    }
    arm_timer();
  }

  // Hands one command to hiredis (which writes it when the socket is writable).
  bool queue(const std::vector<std::string>& command, pending_pipeline& pipeline) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(command.size());
    lengths.reserve(command.size());
    for (const std::string& argument : command) {
      argv.push_back(argument.data());
      lengths.push_back(argument.size());
    }
    return redisAsyncCommandArgv(context_, &state::on_reply, &pipeline,
                                 static_cast<int>(command.size()), argv.data(),
                                 lengths.data()) == REDIS_OK;
  }

  // Starts a non-blocking connect unless the last failure is more recent than retry_after.
  // False (with last_failure_ saying why) when there is no connection to use.
  bool connect() {
    if (clock_.monotonic() < retry_at_) {
      return false;
    }
    redisAsyncContext* context = redisAsyncConnect(host_.c_str(), port_);
    if (context == nullptr || context->c.err != 0) {
      failed(std::string("redis: cannot connect to ") + where() + ": " +
             (context != nullptr ? context->c.errstr : "out of memory"));
      spdlog::warn("{}", last_failure_);
      if (context != nullptr) {
        redisAsyncFree(context);
      }
      return false;
    }
    return attach(context);
  }

  // Installs the hooks and watches the new context's socket; the connect completes (or fails)
  // on its first writable event, which the hooks' caller, hiredis, reports to on_connect.
  bool attach(redisAsyncContext* context) {
    context_ = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = &state::add_read;
    context->ev.delRead = &state::del_read;
    context->ev.addWrite = &state::add_write;
    context->ev.delWrite = &state::del_write;
    context->ev.cleanup = &state::cleanup;
    redisAsyncSetConnectCallback(context, &state::on_connect);
    redisAsyncSetDisconnectCallback(context, &state::on_disconnect);
    boost::system::error_code error;
    descriptor_.emplace(strand_);
    descriptor_->assign(context->c.fd, error);
    if (error) {
      drop("redis: cannot watch the socket: " + error.message(), true);
      return false;
    }
    add_write(this);
    return true;
  }

  // Waits for the socket to become readable (or writable), unless a wait is pending already.
  void wait_for(bool readable) {
    bool& waiting = readable ? read_waiting_ : write_waiting_;
    auto self = weak_from_this().lock();  // empty only if hiredis asked from ~state
    if (waiting || !descriptor_.has_value() || !self) {
      return;
    }
    waiting = true;
    descriptor_->async_wait(readable ? asio::posix::descriptor_base::wait_read
                                     : asio::posix::descriptor_base::wait_write,
                            [self = std::move(self), generation = generation_,
                             readable](const boost::system::error_code& error) {
                              self->on_ready(generation, readable, error);
                            });
  }

  // The socket is ready: lets hiredis read (or write) if it still wants to, then waits again.
  void on_ready(std::uint64_t generation, bool readable, const boost::system::error_code& error) {
    if (generation != generation_) {
      return;  // a wait on a connection that is gone
    }
    (readable ? read_waiting_ : write_waiting_) = false;
    if (error) {
      return drop("redis: waiting on the socket failed: " + error.message(), true);
    }
    if (!(readable ? want_read_ : want_write_)) {
      return;  // a stale wait: hiredis no longer asked for this
    }
    if (readable) {
      redisAsyncHandleRead(context_);
    } else {
      redisAsyncHandleWrite(context_);
    }
    if (generation == generation_ && (readable ? want_read_ : want_write_)) {
      wait_for(readable);
    }
  }

  // Makes the timer fire by the deadline of the oldest pipeline in flight (replies come in order).
  void arm_timer() {
    if (timer_armed_ || in_flight_.empty()) {
      return;
    }
    timer_armed_ = true;
    timer_.expires_at(in_flight_.front()->deadline());
    timer_.async_wait([self = shared_from_this(), generation = generation_](
                          const boost::system::error_code&) { self->on_timer(generation); });
  }

  // Drops the connection if the oldest pipeline is overdue, else waits for the next deadline.
  void on_timer(std::uint64_t generation) {
    if (generation != generation_) {
      return;
    }
    timer_armed_ = false;
    if (in_flight_.empty()) {
      return;
    }
    if (in_flight_.front()->deadline() > clock_.monotonic()) {
      return arm_timer();
    }
    const std::string reason = std::string("redis: no reply from ") + where() + " within " +
                               std::to_string(command_timeout_.count()) + " ms";
    spdlog::warn("{}; dropping the connection", reason);
    drop(reason, true);
  }

  // One hiredis reply (nullptr: the connection went away) for a command of `pipeline`.
  void receive(pending_pipeline& pipeline, const redisReply* reply,
               const redisAsyncContext& context) {
    const bool last =
        reply != nullptr ? pipeline.add(convert(*reply)) : pipeline.lose(loss_reason(context));
    if (!last) {
      return;
    }
    pipeline.finish();
    const auto found = std::find_if(in_flight_.begin(), in_flight_.end(),
                                    [&](const auto& entry) { return entry.get() == &pipeline; });
    if (found != in_flight_.end()) {
      in_flight_.erase(found);  // the front one, as replies come in order
    }
  }

  // Why replies of context will not come: the reason we dropped it, or hiredis's error.
  [[nodiscard]] std::string loss_reason(const redisAsyncContext& context) const {
    if (!drop_reason_.empty()) {
      return drop_reason_;
    }
    const bool established = (context.c.flags & REDIS_CONNECTED) != 0;
    std::string reason =
        std::string("redis: ") + (established ? "connection to " : "cannot connect to ") + where();
    return context.c.err != 0 ? reason + ": " + context.c.errstr : reason + " lost";
  }

  // hiredis is freeing the context (and will close the fd): stop watching it, and unless the
  // drop was asked for, wait retry_after before connecting again.
  void detach() {
    if (context_ == nullptr) {
      return;
    }
    ++generation_;  // pending waits and timer callbacks now belong to a gone connection
    if (descriptor_.has_value()) {
      descriptor_->release();  // cancels the waits; hiredis owns the fd
      descriptor_.reset();
    }
    timer_.cancel();
    timer_armed_ = read_waiting_ = write_waiting_ = want_read_ = want_write_ = false;
    connected_ = false;
    if (!closing_) {
      failed(loss_reason(*context_));
    }
    context_ = nullptr;
  }

  // Remembers a failure: calls fail with `why` until retry_after has passed.
  void failed(std::string why) {
    last_failure_ = std::move(why);
    retry_at_ = clock_.monotonic() + retry_after_;
  }

  [[nodiscard]] std::string where() const { return host_ + ":" + std::to_string(port_); }

  // hiredis's hooks and callbacks; `data` is the state (they all run on the strand).
  static state& of(void* data) { return *static_cast<state*>(data); }
  static void add_read(void* data) {
    of(data).want_read_ = true;
    of(data).wait_for(true);
  }
  static void del_read(void* data) { of(data).want_read_ = false; }
  static void add_write(void* data) {
    of(data).want_write_ = true;
    of(data).wait_for(false);
  }
  static void del_write(void* data) { of(data).want_write_ = false; }
  static void cleanup(void* data) { of(data).detach(); }
  static void on_reply(redisAsyncContext* context, void* reply, void* pipeline) {
    of(context->data)
        .receive(*static_cast<pending_pipeline*>(pipeline), static_cast<const redisReply*>(reply),
                 *context);
  }
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);

  asio::strand<asio::any_io_executor> strand_;
  const time_source& clock_;
  const std::string host_;
  const std::uint16_t port_;
  const std::chrono::milliseconds command_timeout_;
  const std::chrono::milliseconds retry_after_;
  std::atomic<bool> connected_{false};
  // Everything below is used on the strand only.
  redisAsyncContext* context_ = nullptr;
  std::optional<asio::posix::stream_descriptor> descriptor_;
  asio::steady_timer timer_;
  std::deque<std::unique_ptr<pending_pipeline>> in_flight_;  // oldest first
  std::uint64_t generation_ = 0;                             // bumped when a connection ends
  bool want_read_ = false;   // hiredis asked to be told when the socket is readable
  bool want_write_ = false;  // … writable
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool timer_armed_ = false;
  bool stopped_ = false;
  bool closing_ = false;     // the current drop was asked for, not a failure
  std::string drop_reason_;  // while dropping: what pending pipelines fail with
  std::string last_failure_ = "redis: not connected";
  monotonic_instant retry_at_{};
};

void redis_client::state::on_connect(const redisAsyncContext* context, int status) {
  state& self = of(context->data);
  if (status == REDIS_OK) {
    self.connected_ = true;
    spdlog::info("redis: connected to {}", self.where());
  } else {
    spdlog::warn("redis: cannot connect to {}: {}", self.where(), context->c.errstr);
  }
}

void redis_client::state::on_disconnect(const redisAsyncContext* context, int status) {
  if (status != REDIS_OK) {
    spdlog::warn("redis: connection to {} lost: {}", of(context->data).where(), context->c.errstr);
  }
}

redis_client::redis_client(const asio::any_io_executor& executor, const time_source& clock,
                           std::string host, std::uint16_t port,
                           std::chrono::milliseconds command_timeout,
                           std::chrono::milliseconds retry_after)
    : state_(std::make_shared<state>(executor, clock, std::move(host), port, command_timeout,
                                     retry_after)) {
  ignore_sigpipe();
}

redis_client::~redis_client() {
  asio::dispatch(state_->strand(), [target = state_] { target->shut_down(); });
}

asio::awaitable<std::vector<redis_reply>> redis_client::pipeline(
    std::vector<std::vector<std::string>> commands) {
  for (const auto& command : commands) {
    check_command(command);
  }
  if (commands.empty()) {
    co_return std::vector<redis_reply>{};
  }
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                          void(std::exception_ptr, std::vector<redis_reply>)>(
      // Plain pointer, no owning capture: GCC 12 destroys owning captures of a closure inside a
      // co_await expression twice. The state is alive: the client is, while this call starts.
      [target = state_.get(), &commands](auto handler) {
        target->submit(std::move(commands), std::move(handler));
      },
      asio::use_awaitable);
}

asio::awaitable<redis_reply> redis_client::command(std::vector<std::string> arguments) {
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::move(arguments));
  std::vector<redis_reply> replies = co_await pipeline(std::move(commands));
  co_return std::move(replies.front());
}

bool redis_client::connected() const {
  return state_->connected();
}

void redis_client::close() {
  asio::dispatch(state_->strand(),
                 [target = state_] { target->drop("redis: connection closed", false); });
}

}  // namespace anquanli
