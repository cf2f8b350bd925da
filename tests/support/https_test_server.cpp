#include "tests/support/https_test_server.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace anquanli::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

received_request to_record(const http::request<http::string_body>& request) {
  received_request record{
      std::string{request.method_string()}, std::string{request.target()}, {}, request.body()};
  for (const auto& field : request) {
    record.headers[lower(std::string{field.name_string()})] = std::string{field.value()};
  }
  return record;
}

}  // namespace

void make_self_signed_certificate(const std::filesystem::path& key,
                                  const std::filesystem::path& certificate) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
      key.string() + "' -out '" + certificate.string() + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl could not make a test certificate");
  }
}

struct https_test_server::engine {
  explicit engine(https_test_server& server) : owner(server) {}

  https_test_server& owner;
  asio::io_context context{1};
  asio::ssl::context tls{asio::ssl::context::tls_server};
  asio::ip::tcp::acceptor acceptor{context};

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [error, socket] = co_await acceptor.async_accept(use_tuple);
      if (error) {
        co_return;  // closed: the server is being destroyed
      }
      asio::co_spawn(context, serve(std::move(socket)), asio::detached);
    }
  }

  // One request per connection, as the senders make them.
  asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds{10});
    auto [handshake_error] =
        co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (handshake_error) {
      co_return;  // a client that does not trust this certificate ends here
    }
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    auto [read_error, read] = co_await http::async_read(stream, buffer, request, use_tuple);
    if (read_error) {
      co_return;
    }
    const scripted_reply reply = owner.next_reply(to_record(request));
    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, "application/json; charset=utf-8");
    response.set(http::field::connection, "close");
    response.body() = reply.body;
    response.prepare_payload();
    co_await http::async_write(stream, response, use_tuple);
    co_await stream.async_shutdown(use_tuple);
  }
};

https_test_server::https_test_server() : engine_(std::make_unique<engine>(*this)) {
  const auto key = directory_.path() / "key.pem";
  make_self_signed_certificate(key, certificate());
  engine_->tls.use_certificate_chain_file(certificate().string());
  engine_->tls.use_private_key_file(key.string(), asio::ssl::context::pem);
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), 0};
  engine_->acceptor.open(endpoint.protocol());
  engine_->acceptor.bind(endpoint);
  engine_->acceptor.listen();
  port_ = engine_->acceptor.local_endpoint().port();
  asio::co_spawn(engine_->context, engine_->accept_loop(), asio::detached);
  thread_ = std::thread([this] { engine_->context.run(); });
}

https_test_server::~https_test_server() {
  engine_->context.stop();
  thread_.join();
}

std::filesystem::path https_test_server::certificate() const {
  return directory_.path() / "certificate.pem";
}

std::string https_test_server::origin() const {
  return "https://127.0.0.1:" + std::to_string(port_);
}

void https_test_server::script(std::vector<scripted_reply> replies, scripted_reply fallback) {
  const std::lock_guard lock(mutex_);
  replies_.assign(replies.begin(), replies.end());
  fallback_ = std::move(fallback);
}

std::vector<received_request> https_test_server::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

bool https_test_server::wait_for_requests(std::size_t count) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, std::chrono::seconds{20},
                           [this, count] { return requests_.size() >= count; });
}

scripted_reply https_test_server::next_reply(received_request request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
  arrived_.notify_all();
  if (replies_.empty()) {
    return fallback_;
  }
  scripted_reply reply = replies_.front();
  replies_.pop_front();
  return reply;
}

}  // namespace anquanli::test
