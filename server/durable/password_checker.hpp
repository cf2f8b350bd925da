// Checks office passwords off every other thread. A password hash is slow on purpose (Argon2id,
// 64 MiB): run on the reader threads, a flood of wrong passwords would stall every participant's
// token check behind them. So hashes run on a pool of their own (one thread: the other core keeps
// serving), with a short queue that refuses at once when full (store_overloaded: 503 with
// Retry-After), and an unknown username costs the same as a wrong password (a dummy hash is
// checked), so timing tells nobody which usernames exist.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <mutex>
#include <string>

namespace anquanli {

class password_checker {
 public:
  explicit password_checker(std::size_t max_waiting = 8);
  ~password_checker();
  password_checker(const password_checker&) = delete;
  password_checker& operator=(const password_checker&) = delete;

  // True when `password` matches `stored_hash`; an empty `stored_hash` checks a dummy hash and
  // returns false. Throws store_overloaded when max_waiting checks are already queued.
  boost::asio::awaitable<bool> matches(std::string stored_hash, std::string password);

  void stop();

 private:
  [[nodiscard]] const std::string& dummy_hash();

  boost::asio::thread_pool pool_{1};
  std::size_t max_waiting_;
  std::atomic<std::size_t> waiting_{0};
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace anquanli
