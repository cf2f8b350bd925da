// Requests the server itself sends: to an SMS provider or a code webhook. One HTTP/1.1 exchange per
// call over http:// or https:// (Beast + OpenSSL: TLS 1.2 or later, the peer's certificate checked
// against the system's CA certificates, or `ca_file` when given, and against the URL's host name or
// address), with one deadline for connecting, the handshake, the request and the response. The
// connection is closed afterwards: a code is sent now and then, not in a stream.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace anquanli {

struct outbound_request {
  std::string method = "POST";
  std::string url;  // http[s]://HOST[:PORT]/PATH[?QUERY], already encoded
  std::vector<std::pair<std::string, std::string>> headers;  // Host is added from the URL
  std::string body;
};

struct outbound_response {
  unsigned status = 0;  // 0: no response; `failure` says why
  std::string body;
  std::string failure;  // "bad_url", "resolve", "connect", "tls", "timeout", "write", "read"
};

class outbound_http {
 public:
  // Throws std::runtime_error when `ca_file` is given but cannot be loaded.
  outbound_http(const std::string& ca_file, std::chrono::milliseconds timeout);

  [[nodiscard]] boost::asio::awaitable<outbound_response> send(outbound_request request);

  // Sends `build()` up to `attempts` times while there is no response or the status is 5xx,
  // waiting 0.5 s, 1 s, 2 s… between tries. Each try is built afresh (a signature is dated and
  // carries a new nonce). Returns the last try's outcome.
  [[nodiscard]] boost::asio::awaitable<outbound_response> send_with_retries(
      const std::function<outbound_request()>& build, int attempts);

 private:
  boost::asio::ssl::context tls_;
  std::chrono::milliseconds timeout_;
};

}  // namespace anquanli
