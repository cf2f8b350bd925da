#include "server/durable/password_checker.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/durable/durable_store.hpp"
#include "server/store/admin_store.hpp"
#include "server/store/secrets.hpp"

namespace anquanli {

namespace asio = boost::asio;

password_checker::password_checker(std::size_t max_waiting) : max_waiting_(max_waiting) {}

password_checker::~password_checker() {
  stop();
}

void password_checker::stop() {
  pool_.join();
}

const std::string& password_checker::dummy_hash() {
  // Made once, on the hashing thread, the first time an unknown username is tried.
  std::call_once(dummy_once_, [this] { dummy_hash_ = hash_password(secrets::new_token()); });
  return dummy_hash_;
}

asio::awaitable<bool> password_checker::matches(std::string stored_hash, std::string password) {
  if (waiting_.fetch_add(1) >= max_waiting_) {
    waiting_.fetch_sub(1);
    throw store_overloaded("too many office sign-ins are being checked");
  }
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      [this, &stored_hash, &password](auto handler) {
        asio::post(pool_, [this, stored = std::move(stored_hash), typed = std::move(password),
                           handler = std::move(handler)]() mutable {
          const bool unknown = stored.empty();
          bool result = false;
          try {
            result = password_matches(unknown ? dummy_hash() : stored, typed) && !unknown;
          } catch (const std::exception&) {
            result = false;  // out of memory for the hash: a refusal, not a crash
          }
          waiting_.fetch_sub(1);
          auto executor = asio::get_associated_executor(handler);
          asio::post(executor, [handler = std::move(handler), result]() mutable {
            std::move(handler)(result);
          });
        });
      },
      asio::use_awaitable);
}

}  // namespace anquanli
