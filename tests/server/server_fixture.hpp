// A real anquanli-server for integration tests: a temporary data directory with the demo regions,
// units and question bank, a TOML configuration written for the test, the binary started on a free
// loopback port, and helpers that sign participants in through the API as a phone would.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temporary_directory.hpp"

namespace anquanli::test {

// The ids of the first `count` units of a region, as the participant page lists them.
std::vector<std::string> unit_ids(http_client& client, const std::string& region, int count);

struct fixture_options {
  std::string clock_start = "2021-06-16T09:00:00+08:00";
  std::string extra_competition;  // more lines for [competition]
  std::string prizes = R"([[prizes]]
id = "P1"
name = "安全应急包"
total = 100
probability = 0.3
)";
  std::uint16_t redis_port = 0;  // 0: no Redis
  std::string extra_auth{};      // more lines for [auth]
  std::string extra_server{};    // more lines for [server]
  // The writer delays after which writes get 503 (`max_write_wait_ms`) and sign-ins and new
  // challenges get 503 (`max_write_wait_new_ms`). Tests that are not about overload allow the
  // most the configuration does (60 s, beyond the test client's own timeout), so that no speed of
  // the machine turns into a refusal: a sanitizer build on a busy machine met the production
  // 50 ms and 250 ms, and later 2 s (the TSan crash loop's draws). The overload tests set their
  // own. Empty: not written, so the server's default or rule applies.
  std::optional<int> max_write_wait_ms = 60'000;
  std::optional<int> max_write_wait_new_ms = 60'000;
  // How often the server's sweeper expires attempts (a write each time); short, so that expiry
  // tests need not wait.
  int sweep_interval_ms = 200;
  // Where the data directory is made (a small tmpfs for the disk-full test).
  std::filesystem::path data_parent = temporary_directory::default_base();
  // (Fields added later go last: tests initialise the first ones by position.)
  std::string competition_id = "test-2021";
  // [competition.quotas] lines; they must add up to questions_per_attempt.
  std::string quotas = "\"安全生产法律法规\" = 5\n\"安全管理\" = 5\n\"应急避险与自救互救\" = 5\n";
  std::string code_sender{};   // [auth] code_sender; empty: file:DATA_DIR/codes.jsonl
  std::string extra_tables{};  // more tables at the end of the file (e.g. [sms])
};

class server_fixture {
 public:
  explicit server_fixture(fixture_options options = {});
  // Prints the server's log when it died on its own, so a crash is never silent.
  ~server_fixture();
  server_fixture(const server_fixture&) = delete;
  server_fixture& operator=(const server_fixture&) = delete;

  // (Re)starts the server with the same data directory; `clock_start` replaces the configured one.
  void start(std::optional<std::string> clock_start = std::nullopt);
  int stop();    // SIGTERM; returns the exit status
  void crash();  // SIGKILL

  [[nodiscard]] http_client client() const;
  // A client whose connections come from `source_address` (e.g. "127.0.0.2"): another address
  // to the server.
  [[nodiscard]] http_client client_from(const std::string& source_address) const;
  // The end of the server's log (stdout and stderr).
  [[nodiscard]] std::string log_tail(std::size_t bytes = 200000) const;
  // Whether the server process is still running (false once it exited on its own).
  [[nodiscard]] bool running();
  [[nodiscard]] const std::filesystem::path& data_dir() const { return directory_.path(); }
  [[nodiscard]] unsigned short port() const { return process_->port(); }

  // The latest code the file sender wrote for `phone`.
  [[nodiscard]] std::string last_code(const std::string& phone) const;
  // Requests a code and logs in; returns the bearer token.
  std::string sign_in(http_client& client, const std::string& phone);
  // sign_in + a complete profile in 兴庆区 (640104) with its first demo unit there.
  std::string participant(http_client& client, const std::string& phone);
  // sign_in + a complete profile in the given region and unit (none = 社会公众).
  std::string participant_in(http_client& client, const std::string& phone,
                             const std::string& region, const std::string& unit_id);
  // Runs anquanli-admin --data-dir DIR ARGUMENTS (with `input` on stdin); returns its exit
  // status and output.
  [[nodiscard]] std::pair<int, std::string> admin(const std::string& arguments,
                                                  const std::string& input = "") const;
  // Starts a challenge and answers all its questions, the first `correct` right and the rest
  // wrong; returns the attempt id.
  std::int64_t take_challenge(http_client& client, const std::string& token, int correct);
  [[nodiscard]] std::filesystem::path config_file() const {
    return directory_.path() / "test.toml";
  }

  // The correct keys (as shown) of an attempt's question, read from the database.
  [[nodiscard]] boost::json::array correct_keys(std::int64_t attempt, int index) const;
  // Runs one SQL statement against the database while the server is stopped.
  void execute_sql(const std::string& sql) const;

 private:
  void write_config(const std::string& clock_start) const;

  fixture_options options_;
  temporary_directory directory_;
  std::optional<server_process> process_;
  bool stopped_on_purpose_ = false;  // by stop() or crash(): no log dump at the end
};

}  // namespace anquanli::test
