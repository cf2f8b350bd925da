#include "tests/server/server_fixture.hpp"

#include <sys/wait.h>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "question_bank/question_import.hpp"
#include "question_bank/question_store.hpp"
#include "server/store/attempt_papers.hpp"
#include "server/store/directory.hpp"
#include "server/store/schema.hpp"

namespace anquanli::test {

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

const std::filesystem::path source_dir{ANQUANLI_SOURCE_DIR};

// Loads the demo directory and question bank the way an operator's import would.
void seed_database(const std::filesystem::path& file) {
  sqlite_database database(file);
  apply_migrations(database, database_migrations());
  directory_store directory(database);
  const auto regions = parse_regions(read_text(source_dir / "server/demo/regions-ningxia.csv"), {});
  directory.upsert_regions(regions.items);
  const auto units =
      parse_units(read_text(source_dir / "server/demo/units-demo.csv"), regions.items);
  directory.upsert_units(units.items);
  const auto questions = parse_questions(
      read_text(source_dir / "question_bank/demo/demo-bank.jsonl"), question_format::jsonl);
  question_store(database).upsert(questions.questions);
}

}  // namespace

std::vector<std::string> unit_ids(http_client& client, const std::string& region, int count) {
  const auto found =
      client.get("/api/v1/units?region=" + region + "&limit=" + std::to_string(count)).json();
  std::vector<std::string> ids;
  for (const auto& item : found.at("items").as_array()) {
    ids.emplace_back(item.at("id").as_string());
  }
  return ids;
}

server_fixture::server_fixture(fixture_options options)
    : options_(std::move(options)), directory_(options_.data_parent) {
  seed_database(directory_.path() / "anquanli.db");
  start();
}

server_fixture::~server_fixture() {
  if (process_ && !stopped_on_purpose_ && !process_->running()) {
    std::cerr << "anquanli-server exited on its own; the end of its log:\n"
              << process_->log_tail(200000) << '\n';
  }
}

void server_fixture::write_config(const std::string& clock_start) const {
  std::ofstream out(directory_.path() / "test.toml");
  out << "listen = \"127.0.0.1:0\"\n"
      << "data_dir = \"" << directory_.path().string() << "\"\n"
      << "[competition]\nid = \"" << options_.competition_id << "\"\n"
      << options_.extra_competition << '\n'
      << "[competition.quotas]\n"
      << options_.quotas << "[clock]\nstart = \"" << clock_start << "\"\n"
      << "[auth]\ncode_sender = \""
      << (options_.code_sender.empty() ? "file:" + (directory_.path() / "codes.jsonl").string()
                                       : options_.code_sender)
      << "\"\n"
      << (options_.extra_auth.empty()
              ? "codes_per_address_per_hour = 100000\ncodes_per_address_per_day = 100000\n"
              : options_.extra_auth)
      << "[server]\nsqlite_synchronous = \"NORMAL\"\nsweep_interval_ms = "
      << options_.sweep_interval_ms << '\n'
      << options_.extra_server;
  if (options_.max_write_wait_ms) {
    out << "max_write_wait_ms = " << *options_.max_write_wait_ms << '\n';
  }
  if (options_.max_write_wait_new_ms) {
    out << "max_write_wait_new_ms = " << *options_.max_write_wait_new_ms << '\n';
  }
  if (options_.redis_port != 0) {
    out << "[redis]\naddress = \"127.0.0.1:" << options_.redis_port << "\"\n";
  }
  out << options_.prizes << options_.extra_tables;
}

void server_fixture::start(std::optional<std::string> clock_start) {
  process_.reset();
  stopped_on_purpose_ = false;
  write_config(clock_start.value_or(options_.clock_start));
  process_.emplace(std::filesystem::path{ANQUANLI_SERVER_BINARY},
                   std::vector<std::string>{"--config", (directory_.path() / "test.toml").string()},
                   directory_.path() / "server.addr", directory_.path() / "server.log");
}

int server_fixture::stop() {
  stopped_on_purpose_ = true;
  return process_->stop();
}

void server_fixture::crash() {
  stopped_on_purpose_ = true;
  process_->kill_hard();
}

http_client server_fixture::client() const {
  return http_client(process_->port());
}

http_client server_fixture::client_from(const std::string& source_address) const {
  return http_client(process_->port(), source_address);
}

std::string server_fixture::log_tail(std::size_t bytes) const {
  return process_->log_tail(bytes);
}

bool server_fixture::running() {
  return process_ && process_->running();
}

std::string server_fixture::last_code(const std::string& phone) const {
  std::istringstream lines(read_text(directory_.path() / "codes.jsonl"));
  std::string line;
  std::string code;
  while (std::getline(lines, line)) {
    const auto entry = boost::json::parse(line).as_object();
    if (entry.at("phone").as_string() == phone) {
      code = std::string{entry.at("code").as_string()};
    }
  }
  if (code.empty()) {
    throw std::runtime_error("no code was sent to " + phone);
  }
  return code;
}

std::string server_fixture::sign_in(http_client& client, const std::string& phone) {
  const auto sent = client.post("/api/v1/auth/code", boost::json::object{{"phone", phone}});
  if (sent.status != 202) {
    throw std::runtime_error("code request failed: " + sent.body);
  }
  const auto login = client.post("/api/v1/auth/login",
                                 boost::json::object{{"phone", phone}, {"code", last_code(phone)}});
  if (login.status != 200) {
    throw std::runtime_error("login failed: " + login.body);
  }
  return std::string{login.json().at("token").as_string()};
}

std::string server_fixture::participant_in(http_client& client, const std::string& phone,
                                           const std::string& region, const std::string& unit_id) {
  const std::string token = sign_in(client, phone);
  boost::json::object body{{"name", "测试者"}, {"region", region}};
  if (!unit_id.empty()) {
    body["unit_id"] = unit_id;
  }
  const auto profile = client.put("/api/v1/me", body, token);
  if (profile.status != 200) {
    throw std::runtime_error("profile failed: " + profile.body);
  }
  return token;
}

std::pair<int, std::string> server_fixture::admin(const std::string& arguments,
                                                  const std::string& input) const {
  const auto input_file = directory_.path() / "admin-input.txt";
  std::ofstream(input_file) << input;
  const std::string command = std::string{ANQUANLI_ADMIN_BINARY} + " --data-dir '" +
                              directory_.path().string() + "' " + arguments + " < '" +
                              input_file.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run " + command);
  }
  std::string output;
  std::array<char, 4096> buffer{};
  while (const auto read = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), read);
  }
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::int64_t server_fixture::take_challenge(http_client& client, const std::string& token,
                                            int correct) {
  const auto started = client.post("/api/v1/attempts", boost::json::object{}, token);
  if (started.status != 201) {
    throw std::runtime_error("start failed: " + started.body);
  }
  const std::int64_t attempt = started.json().at("id").as_int64();
  for (int index = 0; index < 15; ++index) {
    boost::json::array keys = correct_keys(attempt, index);
    if (index >= correct) {
      keys = boost::json::array{keys.at(0).as_string() == "A" ? "B" : "A"};
    }
    const auto answered =
        client.post("/api/v1/attempts/" + std::to_string(attempt) + "/answers",
                    boost::json::object{{"index", index}, {"choice", keys}}, token);
    if (answered.status != 200) {
      throw std::runtime_error("answer failed: " + answered.body);
    }
  }
  return attempt;
}

std::string server_fixture::participant(http_client& client, const std::string& phone) {
  const std::string token = sign_in(client, phone);
  const std::string unit = unit_ids(client, "640104", 1).at(0);
  const auto profile = client.put(
      "/api/v1/me",
      boost::json::object{{"name", "测试者"}, {"region", "640104"}, {"unit_id", unit}}, token);
  if (profile.status != 200) {
    throw std::runtime_error("profile failed: " + profile.body);
  }
  return token;
}

boost::json::array server_fixture::correct_keys(std::int64_t attempt, int index) const {
  sqlite_database database(directory_.path() / "anquanli.db", open_mode::read_only);
  const auto paper = paper_of(database, attempt_id{attempt});
  if (!paper || index < 0 || static_cast<std::size_t>(index) >= paper->size()) {
    throw std::runtime_error("no such attempt question");
  }
  boost::json::array keys;
  for (const auto& key : (*paper)[static_cast<std::size_t>(index)].correct_keys) {
    keys.emplace_back(key);
  }
  return keys;
}

void server_fixture::execute_sql(const std::string& sql) const {
  sqlite_database database(directory_.path() / "anquanli.db");
  database.execute(sql);
}

}  // namespace anquanli::test
