// The monitoring shipped in deploy/ against a real server: every metric the Prometheus alert rules
// (deploy/prometheus/anquanli.rules.yml) and the Grafana dashboard (deploy/grafana/anquanli.json)
// use must be in what a running server's /metrics exports, and, where promtool is installed
// (Debian package prometheus), the rules, the scrape configuration, the dashboard's queries and
// the exposition itself must pass it, and the rules' unit tests (tests/deploy/
// anquanli.rules.test.yml) must hold.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.hpp"
#include "tests/support/redis_process.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli::test;

namespace {

const std::filesystem::path source{ANQUANLI_SOURCE_DIR};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The sample names of a Prometheus text exposition.
std::set<std::string> exported_names(const std::string& exposition) {
  std::set<std::string> names;
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.front() != '#') {
      names.insert(line.substr(0, line.find_first_of("{ ")));
    }
  }
  return names;
}

std::set<std::string> metric_names_in(const std::string& text) {
  std::set<std::string> names;
  const std::regex metric{"anquanli_[a-z0-9_]+"};
  for (auto it = std::sregex_iterator(text.begin(), text.end(), metric);
       it != std::sregex_iterator(); ++it) {
    names.insert(it->str());
  }
  return names;
}

// Every PromQL expression of the dashboard: panel targets and the variables' queries.
std::vector<std::string> dashboard_queries(const boost::json::value& dashboard) {
  std::vector<std::string> queries;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    for (const auto& target : panel.at("targets").as_array()) {
      queries.emplace_back(target.at("expr").as_string());
    }
  }
  return queries;
}

bool promtool_installed() {
  return std::system("command -v promtool >/dev/null 2>&1") == 0;
}

// Runs a shell command; on failure, its output is the message.
void expect_success(const std::string& command, const std::filesystem::path& output) {
  const int status = std::system((command + " >'" + output.string() + "' 2>&1").c_str());
  INFO(command << "\n" << read_text(output));
  CHECK(status == 0);
}

std::string scrape_with_redis_up(http_client& client) {
  std::string body;
  (void)wait_until([&] {
    body = client.get("/metrics").body;
    return body.find("\nanquanli_redis_up 1\n") != std::string::npos;
  });
  return body;
}

}  // namespace

TEST_CASE("every metric the alert rules and the dashboard use is exported by a real server",
          "[monitoring]") {
  redis_process redis;
  fixture_options options;
  options.redis_port = redis.port();
  server_fixture server(options);
  auto client = server.client();
  const std::string token = server.participant(client, "13800138000");
  server.take_challenge(client, token, 15);
  const std::string exposition = scrape_with_redis_up(client);
  const auto exported = exported_names(exposition);
  REQUIRE(exported.contains("anquanli_redis_up"));

  const std::string rules = read_text(source / "deploy/prometheus/anquanli.rules.yml");
  const auto dashboard = boost::json::parse(read_text(source / "deploy/grafana/anquanli.json"));
  std::string queries;
  for (const auto& query : dashboard_queries(dashboard)) {
    queries += query + "\n";
  }
  for (const auto& [file, text] :
       {std::pair{"anquanli.rules.yml", rules}, std::pair{"anquanli.json", queries}}) {
    const auto used = metric_names_in(text);
    CHECK(used.size() >= 5);
    for (const auto& name : used) {
      INFO(file << " uses " << name);
      CHECK(exported.contains(name));
    }
  }

  if (!promtool_installed()) {
    WARN(
        "promtool is not installed (Debian package prometheus): the rules, the scrape "
        "configuration and the dashboard's queries were not checked by it");
    return;
  }
  const temporary_directory work;
  expect_success(
      "promtool check rules '" + (source / "deploy/prometheus/anquanli.rules.yml").string() + "'",
      work.path() / "rules.out");
  expect_success(
      "promtool check config '" + (source / "deploy/prometheus/prometheus.yml").string() + "'",
      work.path() / "config.out");
  expect_success("cd '" + (source / "tests/deploy").string() +
                     "' && promtool test rules anquanli.rules.test.yml",
                 work.path() / "test.out");
  std::ofstream(work.path() / "metrics.txt") << exposition;
  expect_success("promtool check metrics < '" + (work.path() / "metrics.txt").string() + "'",
                 work.path() / "metrics.out");
  // The dashboard's queries, with its $instance variable filled in, as recording rules: promtool
  // then parses each one as Prometheus would.
  std::ofstream recorded(work.path() / "dashboard.rules.yml");
  recorded << "groups:\n  - name: dashboard\n    rules:\n";
  int index = 0;
  for (auto query : dashboard_queries(dashboard)) {
    query = std::regex_replace(query, std::regex{"\\$instance"}, ".*");
    recorded << "      - record: dashboard:query_" << ++index
             << "\n        expr: " << boost::json::serialize(boost::json::string{query}) << "\n";
  }
  recorded.close();
  expect_success("promtool check rules '" + (work.path() / "dashboard.rules.yml").string() + "'",
                 work.path() / "dashboard.out");
}
