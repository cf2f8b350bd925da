#include "tests/server/participant_load.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iomanip>
#include <optional>
#include <sstream>

#include "tests/support/wait_until.hpp"

namespace anquanli::test {

namespace {

std::string phone_of(const std::string& prefix, int number) {
  std::ostringstream phone;
  phone << prefix << std::setw(4) << std::setfill('0') << number;
  return phone.str();
}

const std::vector<std::string> leaderboard_targets{
    "/api/v1/leaderboards/units?limit=10", "/api/v1/leaderboards/regions?parent=640100",
    "/api/v1/leaderboards/units?limit=5&region=640104"};

}  // namespace

participant_load::participant_load(server_fixture& server, int threads, int participants,
                                   const std::string& phone_prefix,
                                   std::chrono::milliseconds think_time)
    : server_(server), think_time_(think_time) {
  std::vector<std::vector<std::string>> shares(static_cast<std::size_t>(threads));
  auto setup = server_.client();
  for (int number = 0; number < participants; ++number) {
    shares[static_cast<std::size_t>(number % threads)].push_back(
        server_.participant(setup, phone_of(phone_prefix, number)));
  }
  for (auto& share : shares) {
    clients_.emplace_back([this, tokens = std::move(share)] { run_client(tokens); });
  }
}

participant_load::~participant_load() {
  stop();
}

void participant_load::stop() {
  stopping_ = true;
  for (auto& client : clients_) {
    if (client.joinable()) {
      client.join();
    }
  }
}

void participant_load::run_client(std::vector<std::string> tokens) {
  auto client = server_.client();
  std::size_t next = 0;
  std::size_t reads = 0;
  while (!stopping_) {
    if (next < tokens.size()) {
      play(client, tokens[next++]);
      continue;
    }
    timed(client, "leaderboard", "GET", leaderboard_targets[reads++ % leaderboard_targets.size()],
          "", "");
    timed(client, "me", "GET", "/api/v1/me", "", tokens.empty() ? "" : tokens.front());
    std::this_thread::sleep_for(think_time_);  // a spectator's pace, part of the traffic
  }
}

// One whole challenge, a leaderboard read after each answer; stops early when asked to.
void participant_load::play(http_client& client, const std::string& token) {
  const auto started = timed(client, "start", "POST", "/api/v1/attempts", "{}", token);
  if (started.status != 201) {
    return;
  }
  const std::int64_t attempt = started.json().at("id").as_int64();
  const std::string answers = "/api/v1/attempts/" + std::to_string(attempt) + "/answers";
  for (int index = 0; index < 15 && !stopping_; ++index) {
    std::this_thread::sleep_for(think_time_);  // a participant reads the question
    const boost::json::object answer{{"index", index},
                                     {"choice", server_.correct_keys(attempt, index)}};
    timed(client, "answer", "POST", answers, boost::json::serialize(answer), token);
    timed(client, "leaderboard", "GET",
          leaderboard_targets[static_cast<std::size_t>(index) % leaderboard_targets.size()], "",
          "");
  }
  if (!stopping_) {
    ++completed_;
  }
}

http_response participant_load::timed(http_client& client, const std::string& kind,
                                      const std::string& method, const std::string& target,
                                      const std::string& body, const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  const auto sent = monotonic_now();
  http_response response;
  try {
    response = client.request(method, target,
                              body.empty() ? std::nullopt : std::optional<std::string>{body},
                              std::move(headers));
  } catch (const std::exception& failure) {
    response.status = 0;
    response.body = failure.what();
  }
  const auto answered = monotonic_now();
  const bool failed = response.status < 200 || response.status >= 300;
  const std::lock_guard lock(mutex_);
  requests_.push_back(
      {kind, response.status, sent, answered, failed ? response.body : "", target, body, token});
  return response;
}

std::vector<timed_request> participant_load::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<timed_request> participant_load::failures() const {
  std::vector<timed_request> failed;
  for (auto& request : requests()) {
    if (request.status < 200 || request.status >= 300) {
      failed.push_back(request);
    }
  }
  return failed;
}

std::size_t participant_load::answered_between(const std::string& kind, monotonic_instant from,
                                               monotonic_instant to) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(requests_.begin(), requests_.end(), [&](const timed_request& request) {
        return request.kind == kind && request.status >= 200 && request.status < 300 &&
               request.sent >= from && request.answered < to;
      }));
}

}  // namespace anquanli::test
