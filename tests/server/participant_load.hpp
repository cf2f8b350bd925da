// Real traffic for fault tests. A fault (Redis shut down or frozen, a full disk) only means
// something while participants are using the server, so this runs client threads that take whole
// challenges and read the leaderboards until stopped, noting when each request was sent and
// answered. The test then asks which requests failed and how many of each kind were answered
// while the fault lasted (how fast they were is for bench/, not for the suite).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/core/time_source.hpp"
#include "tests/server/server_fixture.hpp"

namespace anquanli::test {

struct timed_request {
  std::string kind;  // "start", "answer", "leaderboard", "me"
  unsigned status = 0;
  monotonic_instant sent{};
  monotonic_instant answered{};  // or failed
  std::string body;              // kept only for a failure, to explain it
  // What was sent: to find, after a restore, what the server acknowledged.
  std::string target;
  std::string request_body;
  std::string token;
};

class participant_load {
 public:
  // Signs in `participants` participants (phones prefix + 4 digits) before returning, then runs
  // `threads` clients that share them out: each takes its participants' challenges one after the
  // other, reading a leaderboard between answers, with `think_time` between requests (a person's
  // pace; no result depends on it). A client whose participants have all played keeps reading
  // leaderboards and its profile.
  participant_load(server_fixture& server, int threads, int participants,
                   const std::string& phone_prefix,
                   std::chrono::milliseconds think_time = std::chrono::milliseconds{20});
  participant_load(const participant_load&) = delete;
  participant_load& operator=(const participant_load&) = delete;
  ~participant_load();

  // Stops and joins the clients; idempotent.
  void stop();

  // Every request sent so far (complete after stop()).
  [[nodiscard]] std::vector<timed_request> requests() const;
  // Requests that got no 2xx status (status 0: the connection failed).
  [[nodiscard]] std::vector<timed_request> failures() const;
  // How many `kind` requests were sent at or after `from` and answered with a 2xx before `to`.
  [[nodiscard]] std::size_t answered_between(const std::string& kind, monotonic_instant from,
                                             monotonic_instant to) const;
  [[nodiscard]] std::size_t challenges_completed() const { return completed_; }

 private:
  void run_client(std::vector<std::string> tokens);
  void play(http_client& client, const std::string& token);
  http_response timed(http_client& client, const std::string& kind, const std::string& method,
                      const std::string& target, const std::string& body, const std::string& token);

  server_fixture& server_;
  std::chrono::milliseconds think_time_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> completed_{0};
  mutable std::mutex mutex_;
  std::vector<timed_request> requests_;
  std::vector<std::thread> clients_;
};

}  // namespace anquanli::test
