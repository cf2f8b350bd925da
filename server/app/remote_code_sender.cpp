#include "server/app/remote_code_sender.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

namespace anquanli {

remote_code_sender::remote_code_sender(std::string name, outbound_http http, int attempts,
                                       metrics& counters)
    : name_(std::move(name)), http_(std::move(http)), attempts_(attempts), counters_(counters) {
  counters_.expect_code_sender(name_);
}

boost::asio::awaitable<bool> remote_code_sender::send(std::string phone, std::string code,
                                                      instant at) {
  auto executor = co_await boost::asio::this_coro::executor;
  // Nothing may escape a detached delivery: it would end the I/O thread that runs it.
  boost::asio::co_spawn(executor, deliver(std::move(phone), std::move(code), at),
                        [name = name_](const std::exception_ptr& failure) {
                          if (!failure) {
                            return;
                          }
                          try {
                            std::rethrow_exception(failure);
                          } catch (const std::exception& error) {
                            spdlog::error("code sender {}: delivery failed: {}", name,
                                          error.what());
                          } catch (...) {
                            spdlog::error("code sender {}: delivery failed", name);
                          }
                        });
  co_return true;
}

boost::asio::awaitable<void> remote_code_sender::deliver(std::string phone, std::string code,
                                                         instant at) {
  const outbound_response reply = co_await http_.send_with_retries(
      [&] { return build(phone, code, at, real_time_.now()); }, attempts_);
  const delivery_result result =
      reply.status == 0 || reply.status >= 500 ? transport_failure(reply) : read_reply(reply);
  counters_.record_code_delivery(name_, result.ok ? "ok" : result.code);
  const std::string masked =
      phone.size() < 7 ? "***" : phone.substr(0, 3) + "****" + phone.substr(phone.size() - 4);
  if (result.ok) {
    spdlog::info("code sender {}: sent to {}", name_, masked);
  } else {
    spdlog::warn("code sender {}: not delivered to {}: {} {}", name_, masked, result.code,
                 result.message);
  }
}

delivery_result transport_failure(const outbound_response& reply) {
  if (reply.status != 0) {
    return {false, "HTTP_" + std::to_string(reply.status), reply.body.substr(0, 200)};
  }
  return {false, reply.failure, "no answer"};
}

}  // namespace anquanli
