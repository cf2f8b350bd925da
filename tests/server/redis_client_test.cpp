// The Redis client against a real redis-server (tests/support/redis_process): replies and
// pipelines, error replies, and failing fast then recovering when Redis hangs, dies or comes back.
// The io_context runs on the test's thread; no test asserts how fast anything happens.
#include "server/redis/redis_client.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Long enough that a healthy Redis on a busy machine always answers in time (only the hung and
// stopped cases are meant to meet it); short enough that those cases take a second or two.
constexpr auto command_timeout = 1000ms;
constexpr auto retry_after = 100ms;

// What one coroutine left behind once it finished.
template <class T>
struct outcome {
  bool done = false;
  std::exception_ptr error;
  std::optional<T> value;
};

// Starts work on io; the returned outcome fills in when it completes.
template <class T>
std::shared_ptr<outcome<T>> spawn(asio::io_context& io, asio::awaitable<T> work) {
  auto result = std::make_shared<outcome<T>>();
  asio::co_spawn(io, std::move(work), [result](std::exception_ptr error, T value) {
    result->done = true;
    result->error = error;
    if (!error) {
      result->value = std::move(value);
    }
  });
  return result;
}

// Runs io until done says so; throws std::runtime_error after 30 s (a hang, not a slow run).
template <class Done>
void run_until(asio::io_context& io, Done done) {
  const auto deadline = test::monotonic_now() + test::patient_deadline;
  while (!done()) {
    if (test::monotonic_now() >= deadline) {
      throw std::runtime_error("the io_context did not finish the work within 30 s");
    }
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(100ms);
  }
}

// Runs work to completion on io; returns its value or rethrows its exception.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> work) {
  const auto result = spawn(io, std::move(work));
  run_until(io, [&] { return result->done; });
  if (result->error) {
    std::rethrow_exception(result->error);
  }
  return std::move(*result->value);
}

// Sets started, then sends PING through client (a coroutine, so the flag says it has begun).
asio::awaitable<redis_reply> flag_then_ping(bool& started, redis_client& client) {
  started = true;
  co_return co_await client.command(std::vector<std::string>(1, "PING"));
}

// INCR key (built outside the coroutine: GCC 12 rejects string literals in a braced list there).
std::vector<std::string> incr(const std::string& key) {
  return {"INCR", key};
}

// INCRs key `count` times, one command at a time; true if the replies go 1, 2, … count.
asio::awaitable<bool> count_up(redis_client& client, std::string key, int count) {
  bool in_order = true;
  for (int expected = 1; expected <= count; ++expected) {
    const redis_reply reply = co_await client.command(incr(key));
    in_order = in_order && reply.integer == expected;
  }
  co_return in_order;
}

struct redis_fixture {
  test::redis_process redis;
  asio::io_context io;
  const system_time_source clock;
  redis_client client{io.get_executor(), clock,           "127.0.0.1",
                      redis.port(),      command_timeout, retry_after};

  // Runs one command through the client.
  redis_reply command(std::vector<std::string> arguments) {
    return run(io, client.command(std::move(arguments)));
  }

  // Retries PING (once per retry_after: sooner, the client refuses at once) until the client gets
  // an answer again; false if it never does.
  bool recovers() {
    return test::wait_until(
        [&] {
          try {
            return command({"PING"}).text == "PONG";
          } catch (const redis_unavailable&) {
            return false;
          }
        },
        test::patient_deadline, retry_after);
  }
};

}  // namespace

TEST_CASE_METHOD(redis_fixture, "SET and GET round trip binary-safe values", "[redis]") {
  const std::string value{"a\0b\r\nc", 6};
  const redis_reply set = command({"SET", "key with spaces", value});
  CHECK(set.type == redis_reply::kind::status);
  CHECK(set.text == "OK");
  const redis_reply get = command({"GET", "key with spaces"});
  CHECK(get.type == redis_reply::kind::string);
  CHECK(get.text == value);
  CHECK(command({"GET", "missing"}).type == redis_reply::kind::nil);
  CHECK(client.connected());
  CHECK(redis.command({"DBSIZE"}) == ":1\r\n");
}

TEST_CASE_METHOD(redis_fixture, "values of several megabytes survive partial reads and writes",
                 "[redis]") {
  std::string value(4 * 1024 * 1024, 'x');
  for (std::size_t index = 0; index < value.size(); index += 4099) {
    value[index] = static_cast<char>('a' + index % 26);
  }
  // Moving 8 MiB through loopback takes longer than the fixture's short deadline on a busy
  // machine; this test is about partial reads and writes, not about the deadline.
  redis_client patient{io.get_executor(),      clock,      "127.0.0.1", redis.port(),
                       test::patient_deadline, retry_after};
  const std::vector<redis_reply> replies =
      run(io, patient.pipeline({{"SET", "big", value}, {"GET", "big"}, {"STRLEN", "big"}}));
  REQUIRE(replies.size() == 3);
  CHECK(replies[0].text == "OK");
  CHECK(replies[1].text == value);
  CHECK(replies[2].integer == static_cast<std::int64_t>(value.size()));
}

TEST_CASE_METHOD(redis_fixture, "a pipeline of 100 INCRs returns 1 to 100 in order", "[redis]") {
  std::vector<std::vector<std::string>> commands(100, {"INCR", "counter"});
  const std::vector<redis_reply> replies = run(io, client.pipeline(std::move(commands)));
  REQUIRE(replies.size() == 100);
  for (std::size_t index = 0; index < replies.size(); ++index) {
    CHECK(replies[index].type == redis_reply::kind::integer);
    CHECK(replies[index].integer == static_cast<std::int64_t>(index + 1));
  }
  CHECK(redis.command({"GET", "counter"}) == "$3\r\n100\r\n");
  CHECK(run(io, client.pipeline({})).empty());
}

TEST_CASE_METHOD(redis_fixture, "EVAL returns nested arrays", "[redis]") {
  const redis_reply reply = command({"EVAL", "return {1, 'two', {3, ARGV[1]}}", "0", "four"});
  REQUIRE(reply.type == redis_reply::kind::array);
  REQUIRE(reply.elements.size() == 3);
  CHECK(reply.elements[0].type == redis_reply::kind::integer);
  CHECK(reply.elements[0].integer == 1);
  CHECK(reply.elements[1].type == redis_reply::kind::string);
  CHECK(reply.elements[1].text == "two");
  REQUIRE(reply.elements[2].elements.size() == 2);
  CHECK(reply.elements[2].elements[0].integer == 3);
  CHECK(reply.elements[2].elements[1].text == "four");
}

TEST_CASE_METHOD(redis_fixture, "error replies are returned in place without throwing", "[redis]") {
  command({"SET", "plain", "text"});
  const redis_reply wrong_type = command({"LPUSH", "plain", "x"});
  CHECK(wrong_type.type == redis_reply::kind::error);
  CHECK(wrong_type.text.starts_with("WRONGTYPE"));
  const std::vector<redis_reply> replies =
      run(io, client.pipeline({{"INCR", "n"}, {"NOSUCHCOMMAND"}, {"INCR", "n"}}));
  REQUIRE(replies.size() == 3);
  CHECK(replies[0].integer == 1);
  CHECK(replies[1].type == redis_reply::kind::error);
  CHECK(replies[2].integer == 2);
  CHECK(client.connected());
}

TEST_CASE_METHOD(redis_fixture, "commands that cannot be pipelined are refused", "[redis]") {
  CHECK_THROWS_AS(command({}), std::invalid_argument);
  CHECK_THROWS_AS(command({"SUBSCRIBE", "news"}), std::invalid_argument);
  CHECK_THROWS_AS(command({"monitor"}), std::invalid_argument);
  CHECK(command({"PING"}).text == "PONG");
}

TEST_CASE_METHOD(redis_fixture, "a hung Redis fails commands and the client recovers after resume",
                 "[redis]") {
  REQUIRE(command({"SET", "kept", "1"}).text == "OK");
  redis.pause();
  CHECK_THROWS_AS(command({"GET", "kept"}), redis_unavailable);
  CHECK_FALSE(client.connected());
  CHECK_THROWS_AS(command({"GET", "kept"}), redis_unavailable);  // retried or refused at once
  redis.resume();
  REQUIRE(recovers());
  CHECK(command({"GET", "kept"}).text == "1");
}

TEST_CASE_METHOD(redis_fixture, "a stopped Redis fails commands and a restarted one is reconnected",
                 "[redis]") {
  REQUIRE(command({"SET", "gone", "1"}).text == "OK");
  redis.stop();
  CHECK_THROWS_AS(command({"PING"}), redis_unavailable);
  CHECK_THROWS_AS(command({"PING"}), redis_unavailable);
  CHECK_FALSE(client.connected());
  redis.start();
  REQUIRE(recovers());
  CHECK(client.connected());
  CHECK(command({"DBSIZE"}).integer == 0);  // no persistence: the restarted Redis is empty
}

TEST_CASE_METHOD(redis_fixture, "close drops the connection and the next call reconnects",
                 "[redis]") {
  REQUIRE(command({"PING"}).text == "PONG");
  REQUIRE(client.connected());
  client.close();
  run_until(io, [&] { return !client.connected(); });
  CHECK(command({"PING"}).text == "PONG");  // close is not a failure: no retry_after wait
  CHECK(client.connected());
  client.close();  // a connected client keeps a read pending: closing lets run() return
  io.restart();
  io.run_for(5s);
  CHECK(io.stopped());
}

TEST_CASE("a failure delays reconnecting by retry_after", "[redis]") {
  test::redis_process redis;
  asio::io_context io;
  const system_time_source clock;
  redis_client client{io.get_executor(), clock, "127.0.0.1", redis.port(), command_timeout, 1h};
  REQUIRE(run(io, client.command({"PING"})).text == "PONG");
  redis.stop();
  CHECK_THROWS_AS(run(io, client.command({"PING"})), redis_unavailable);
  redis.start();
  CHECK_THROWS_AS(run(io, client.command({"PING"})), redis_unavailable);
  CHECK_FALSE(client.connected());
}

TEST_CASE("destroying the client fails pending calls and leaves no work behind", "[redis]") {
  test::redis_process redis;
  asio::io_context io;
  const system_time_source clock;
  auto client =
      std::make_unique<redis_client>(io.get_executor(), clock, "127.0.0.1", redis.port(), 1h);
  REQUIRE(run(io, client->command({"PING"})).text == "PONG");
  redis.pause();
  bool started = false;
  const auto pending = spawn(io, flag_then_ping(started, *client));
  run_until(io, [&] { return started; });
  client.reset();
  run_until(io, [&] { return pending->done; });
  REQUIRE(pending->error);
  CHECK_THROWS_AS(std::rethrow_exception(pending->error), redis_unavailable);
  io.restart();
  io.run_for(5s);
  CHECK(io.stopped());  // no wait or timer of the client is left
  redis.resume();
}

TEST_CASE("coroutines on several threads share one client", "[redis]") {
  test::redis_process redis;
  asio::io_context io;
  const system_time_source clock;
  auto client =
      std::make_unique<redis_client>(io.get_executor(), clock, "127.0.0.1", redis.port(), 10s);
  constexpr int coroutines = 40;
  std::atomic<int> finished{0};
  std::atomic<int> in_order{0};
  for (int index = 0; index < coroutines; ++index) {
    asio::co_spawn(io, count_up(*client, "key" + std::to_string(index), 25),
                   [&](std::exception_ptr error, bool ordered) {
                     in_order += !error && ordered ? 1 : 0;
                     ++finished;
                   });
  }
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 3; ++thread) {
    threads.emplace_back([&io] { io.run(); });
  }
  const bool all_finished = test::wait_until([&] { return finished == coroutines; });
  client.reset();  // drops the connection, after which io runs out of work
  const bool ran_out_of_work = test::wait_until([&] { return io.stopped(); });
  io.stop();
  for (std::thread& thread : threads) {
    thread.join();
  }
  CHECK(all_finished);
  CHECK(finished == coroutines);
  CHECK(in_order == coroutines);
  CHECK(ran_out_of_work);
  CHECK(redis.command({"GET", "key7"}) == "$2\r\n25\r\n");
}
