// Integration tests talk to the real server over real HTTP on loopback, as a participant's browser
// would: one keep-alive connection per client, reopened once when the server closed it while idle.
// Beast stays in the .cpp (pimpl) because it is slow to compile on the build machines.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anquanli::test {

struct http_response {
  unsigned status = 0;  // 0 only from send_raw: the server closed without answering
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names; repeats joined with ", "

  // The body parsed as JSON; throws std::runtime_error quoting the status and body if it is not.
  [[nodiscard]] boost::json::value json() const;
  // The value of a header (any case), or "" when the response has none.
  [[nodiscard]] std::string header(std::string_view name) const;
};

class http_client {
 public:
  // Connects lazily to 127.0.0.1:port on the first request, from `source_address` when given
  // (loopback has a whole /8: 127.0.0.2, 127.0.0.3… are distinct clients to the server).
  explicit http_client(unsigned short port, std::string source_address = {});
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;
  http_client(http_client&& other) noexcept;
  http_client& operator=(http_client&& other) noexcept;
  ~http_client();

  // Sends one HTTP/1.1 request and reads its response within 30 s. A body is sent as
  // application/json; `headers` are set last, so they replace any default of the same name.
  // Retries once on a fresh connection when a reused one turns out closed; throws
  // std::runtime_error on any other failure. Any status, 4xx and 5xx included, is returned.
  http_response request(std::string_view method, std::string_view target,
                        std::optional<std::string> body = std::nullopt,
                        std::vector<std::pair<std::string, std::string>> headers = {});

  // GET target, with `Authorization: Bearer <token>` when token is not empty.
  http_response get(std::string_view target, std::string_view token = "");
  // POST the serialized body, with `Authorization: Bearer <token>` when token is not empty.
  http_response post(std::string_view target, const boost::json::value& body,
                     std::string_view token = "");
  // PUT the serialized body, with `Authorization: Bearer <token>` when token is not empty.
  http_response put(std::string_view target, const boost::json::value& body,
                    std::string_view token = "");

  // Closes the keep-alive connection; the next request opens a new one.
  void disconnect();

  [[nodiscard]] unsigned short port() const noexcept { return port_; }

  // Writes raw_bytes on a new connection to 127.0.0.1:port and reads one response within 30 s.
  // Returns status 0 when the server closes (or resets) the connection without answering.
  static http_response send_raw(unsigned short port, std::string_view raw_bytes);

 private:
  struct connection;

  unsigned short port_;
  std::string source_address_;
  std::unique_ptr<connection> connection_;
};

}  // namespace anquanli::test
