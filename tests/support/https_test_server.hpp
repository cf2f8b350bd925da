// A stand-in for an SMS provider or gateway in integration tests: an HTTPS server (Beast + OpenSSL)
// on a free port of 127.0.0.1 with a self-signed certificate for that address, made by the
// `openssl` command in a temporary directory. It records every request it receives and answers
// from a script of replies, so a test sees exactly what the server sent and can make the provider
// fail, refuse or accept. It runs on its own thread until destroyed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/temporary_directory.hpp"

namespace anquanli::test {

struct received_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct scripted_reply {
  unsigned status = 200;
  std::string body;
};

class https_test_server {
 public:
  // Makes the key and certificate, binds and starts serving. Throws std::runtime_error.
  https_test_server();
  https_test_server(const https_test_server&) = delete;
  https_test_server& operator=(const https_test_server&) = delete;
  ~https_test_server();

  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  // The certificate (PEM): the CA file a client must trust to talk to this server.
  [[nodiscard]] std::filesystem::path certificate() const;
  // "https://127.0.0.1:PORT".
  [[nodiscard]] std::string origin() const;

  // Replies to the next requests, in order; once they are used up, `fallback` answers.
  void script(std::vector<scripted_reply> replies, scripted_reply fallback);
  // Every request received so far.
  [[nodiscard]] std::vector<received_request> requests() const;
  // Waits up to 20 s for `count` requests; false if they did not come.
  bool wait_for_requests(std::size_t count) const;

 private:
  struct engine;
  friend struct engine;
  scripted_reply next_reply(received_request request);

  temporary_directory directory_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<received_request> requests_;
  std::deque<scripted_reply> replies_;
  scripted_reply fallback_{200, "{}"};
  std::unique_ptr<engine> engine_;
  std::thread thread_;
};

// Runs `openssl req` to make a self-signed EC certificate for IP 127.0.0.1 (and DNS localhost):
// writes KEY and CERT. Throws std::runtime_error when openssl fails.
void make_self_signed_certificate(const std::filesystem::path& key,
                                  const std::filesystem::path& certificate);

}  // namespace anquanli::test
