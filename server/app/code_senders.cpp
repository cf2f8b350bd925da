#include "server/app/code_senders.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <fstream>
#include <mutex>

namespace anquanli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::string code_json(const std::string& phone, const std::string& code, instant at,
                      utc_offset offset) {
  return boost::json::serialize(
      boost::json::object{{"phone", phone}, {"code", code}, {"at", format_rfc3339(at, offset)}});
}

class log_sender final : public code_sender {
 public:
  asio::awaitable<bool> send(std::string phone, std::string code, instant /*at*/) override {
    // For development and demos only: the phone number stays masked even here.
    spdlog::info("sign-in code for {}***{}: {}", phone.substr(0, 3), phone.substr(7), code);
    co_return true;
  }
};

class file_sender final : public code_sender {
 public:
  file_sender(std::string path, utc_offset offset) : path_(std::move(path)), offset_(offset) {}

  asio::awaitable<bool> send(std::string phone, std::string code, instant at) override {
    const std::lock_guard lock(mutex_);
    std::ofstream out(path_, std::ios::app);
    out << code_json(phone, code, at, offset_) << '\n';
    out.flush();
    if (!out) {
      spdlog::error("code sender: cannot append to {}", path_);
    }
    co_return static_cast<bool>(out);
  }

 private:
  std::string path_;
  utc_offset offset_;
  std::mutex mutex_;
};

class webhook_sender final : public code_sender {
 public:
  webhook_sender(boost::urls::url url, utc_offset offset) : url_(std::move(url)), offset_(offset) {}

  asio::awaitable<bool> send(std::string phone, std::string code, instant at) override {
    auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    stream.expires_after(std::chrono::seconds{5});
    const std::string port = url_.has_port() ? std::string(url_.port()) : std::string("80");
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(
        std::string(url_.host()), port, asio::as_tuple(asio::use_awaitable));
    if (resolve_error) {
      spdlog::warn("code webhook: cannot resolve {}: {}", url_.host(), resolve_error.message());
      co_return false;
    }
    auto [connect_error, endpoint] =
        co_await stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
    if (connect_error) {
      spdlog::warn("code webhook: cannot connect: {}", connect_error.message());
      co_return false;
    }
    http::request<http::string_body> request{http::verb::post, std::string(url_.encoded_target()),
                                             11};
    request.set(http::field::host, url_.host());
    request.set(http::field::content_type, "application/json");
    request.body() = code_json(phone, code, at, offset_);
    request.prepare_payload();
    auto [write_error, written] =
        co_await http::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    auto [read_error, read] =
        co_await http::async_read(stream, buffer, response, asio::as_tuple(asio::use_awaitable));
    if (write_error || read_error || response.result_int() >= 300) {
      spdlog::warn("code webhook: delivery failed (status {})", response.result_int());
      co_return false;
    }
    co_return true;
  }

 private:
  boost::urls::url url_;
  utc_offset offset_;
};

}  // namespace

std::unique_ptr<code_sender> make_code_sender(const std::string& spec, utc_offset offset) {
  if (spec.starts_with("file:")) {
    return std::make_unique<file_sender>(spec.substr(5), offset);
  }
  if (spec.starts_with("webhook:")) {
    auto parsed = boost::urls::parse_absolute_uri(spec.substr(8));
    if (!parsed) {
      throw std::runtime_error("auth.code_sender: bad webhook URL");
    }
    return std::make_unique<webhook_sender>(boost::urls::url(*parsed), offset);
  }
  return std::make_unique<log_sender>();
}

}  // namespace anquanli
