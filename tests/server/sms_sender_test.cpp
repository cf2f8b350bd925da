// The SMS and webhook code senders against a local HTTPS endpoint standing in for the provider
// (tests/support/https_test_server.hpp, with a certificate made by openssl for the test): the real
// server signs in a participant whose code travels only through that endpoint, the request has the
// shape and signature the provider documents, 5xx answers are retried, provider errors reach the
// log and /metrics, and an endpoint whose certificate is not trusted gets nothing.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "server/app/aliyun_signature.hpp"
#include "server/app/request_signing.hpp"
#include "server/app/tencent_signature.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/support/https_test_server.hpp"
#include "tests/support/wait_until.hpp"

using namespace anquanli;
using namespace anquanli::test;

namespace {

constexpr const char* key_id = "LTAI5tTESTKEYID";
constexpr const char* key_secret = "test-secret-never-logged-7f3a";

// Writes the credentials file (0600) into `directory` and returns the [sms] table.
std::string sms_table(const temporary_directory& directory, const https_test_server& provider,
                      const std::string& extra = "") {
  const auto file = directory.path() / "sms-credentials";
  std::ofstream(file) << key_id << '\n' << key_secret << '\n';
  ::chmod(file.c_str(), 0600);
  return "\n[sms]\nsign_name = \"安全生产月\"\ntemplate_id = \"SMS_000000001\"\napp_id = "
         "\"1400000001\"\nendpoint = \"" +
         provider.origin() + "\"\nca_file = \"" + provider.certificate().string() +
         "\"\ncredentials_file = \"" + file.string() + "\"\ntimeout_ms = 3000\n" + extra;
}

fixture_options sender_options(const std::string& sender, const std::string& sms) {
  fixture_options options;
  options.code_sender = sender;
  options.extra_tables = sms;
  return options;
}

std::map<std::string, std::string> query_of(const std::string& target) {
  std::map<std::string, std::string> values;
  for (const auto& param : boost::urls::parse_origin_form(target)->params()) {
    values[param.key] = param.value;
  }
  return values;
}

// Waits until /metrics has `line`.
bool metrics_show(http_client& client, const std::string& line) {
  return wait_until([&] { return client.get("/metrics").body.find(line) != std::string::npos; });
}

std::string server_log(const server_fixture& server) {
  std::ifstream in(server.data_dir() / "server.log");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

boost::json::object request_code(http_client& client, const std::string& phone) {
  const auto sent = client.post("/api/v1/auth/code", boost::json::object{{"phone", phone}});
  REQUIRE(sent.status == 202);
  return sent.json().as_object();
}

}  // namespace

TEST_CASE("aliyun: a participant signs in with a code sent through Alibaba Cloud SendSms",
          "[sms]") {
  const temporary_directory secrets;
  https_test_server provider;
  // The first try meets a 503 and is retried with a fresh signature.
  provider.script({{503, R"({"Code":"ServiceUnavailable"})"}},
                  {200, R"({"Code":"OK","Message":"OK","BizId":"9006197469364984^0",)"
                        R"("RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"})"});
  server_fixture server(sender_options("aliyun", sms_table(secrets, provider)));
  auto client = server.client();
  request_code(client, "13800138000");
  REQUIRE(provider.wait_for_requests(2));
  const auto requests = provider.requests();
  const auto& sent = requests.back();
  CHECK(sent.method == "POST");
  CHECK(sent.body.empty());
  const auto query = query_of(sent.target);
  CHECK(query.at("PhoneNumbers") == "13800138000");
  CHECK(query.at("SignName") == "安全生产月");
  CHECK(query.at("TemplateCode") == "SMS_000000001");
  const std::string code{boost::json::parse(query.at("TemplateParam")).at("code").as_string()};
  CHECK(std::regex_match(code, std::regex{"[0-9]{6}"}));
  CHECK(sent.headers.at("x-acs-action") == "SendSms");
  CHECK(sent.headers.at("x-acs-version") == "2017-05-25");
  CHECK(std::regex_match(sent.headers.at("x-acs-date"),
                         std::regex{"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"}));
  CHECK(std::regex_match(sent.headers.at("x-acs-signature-nonce"), std::regex{"[0-9a-f]{32}"}));
  CHECK(sent.headers.at("x-acs-signature-nonce") !=
        requests.front().headers.at("x-acs-signature-nonce"));
  CHECK(sent.headers.at("x-acs-content-sha256") == sha256_hex(""));
  // The signature the provider would compute from what arrived.
  acs3_request arrived;
  for (const auto& [name, value] : query) {
    arrived.query.emplace_back(name, value);
  }
  for (const char* name : {"host", "x-acs-action", "x-acs-version", "x-acs-date",
                           "x-acs-signature-nonce", "x-acs-content-sha256"}) {
    arrived.headers.emplace_back(name, sent.headers.at(name));
  }
  CHECK(sent.headers.at("authorization") == acs3_authorization(arrived, key_id, key_secret));

  const auto login = client.post("/api/v1/auth/login",
                                 boost::json::object{{"phone", "13800138000"}, {"code", code}});
  CHECK(login.status == 200);
  CHECK(metrics_show(client, R"(anquanli_code_deliveries_total{sender="aliyun",result="ok"} 1)"));
  CHECK(server_log(server).find(key_secret) == std::string::npos);
}

TEST_CASE("aliyun: the provider's error code reaches the log and the metrics", "[sms]") {
  const temporary_directory secrets;
  https_test_server provider;
  provider.script({}, {200, R"({"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发小时级流控)"
                            R"(Permits:5","RequestId":"8AD47A09-3F1B-4E1C-9D1E-0E4B3C54E7A2"})"});
  server_fixture server(sender_options("aliyun", sms_table(secrets, provider)));
  auto client = server.client();
  request_code(client, "13900139000");
  CHECK(metrics_show(
      client,
      R"(anquanli_code_deliveries_total{sender="aliyun",result="isv.BUSINESS_LIMIT_CONTROL"} 1)"));
  const std::string log = server_log(server);
  CHECK(log.find("code sender aliyun: not delivered to 139****9000: isv.BUSINESS_LIMIT_CONTROL") !=
        std::string::npos);
  CHECK(log.find("13900139000") == std::string::npos);
  CHECK(log.find(key_secret) == std::string::npos);
}

TEST_CASE("tencentcloud: a participant signs in with a code sent through Tencent Cloud SendSms",
          "[sms]") {
  const temporary_directory secrets;
  https_test_server provider;
  provider.script(
      {},
      {200,
       R"({"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613700137000","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}})"});
  server_fixture server(
      sender_options("tencentcloud", sms_table(secrets, provider, "region = \"ap-nanjing\"\n")));
  auto client = server.client();
  request_code(client, "13700137000");
  REQUIRE(provider.wait_for_requests(1));
  const auto sent = provider.requests().back();
  CHECK(sent.method == "POST");
  CHECK(sent.target == "/");
  CHECK(sent.headers.at("content-type") == "application/json; charset=utf-8");
  CHECK(sent.headers.at("x-tc-action") == "SendSms");
  CHECK(sent.headers.at("x-tc-version") == "2021-01-11");
  CHECK(sent.headers.at("x-tc-region") == "ap-nanjing");
  const auto body = boost::json::parse(sent.body).as_object();
  CHECK(body.at("PhoneNumberSet") == boost::json::array{"+8613700137000"});
  CHECK(body.at("SmsSdkAppId") == "1400000001");
  CHECK(body.at("SignName") == "安全生产月");
  CHECK(body.at("TemplateId") == "SMS_000000001");
  const std::string code{body.at("TemplateParamSet").as_array().at(0).as_string()};
  tc3_request arrived{"sms",
                      sent.headers.at("host"),
                      "SendSms",
                      std::stoll(sent.headers.at("x-tc-timestamp")),
                      sent.headers.at("content-type"),
                      sent.body,
                      true};
  CHECK(sent.headers.at("authorization") == tc3_authorization(arrived, key_id, key_secret));

  const auto login = client.post("/api/v1/auth/login",
                                 boost::json::object{{"phone", "13700137000"}, {"code", code}});
  CHECK(login.status == 200);
  CHECK(metrics_show(client,
                     R"(anquanli_code_deliveries_total{sender="tencentcloud",result="ok"} 1)"));
}

TEST_CASE("tencentcloud: an API error is logged and counted with its code", "[sms]") {
  const temporary_directory secrets;
  https_test_server provider;
  provider.script({}, {200, R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure",)"
                            R"("Message":"The provided credentials could not be validated."},)"
                            R"("RequestId":"2fbaf7e8-5a1b-4c1e-9a67-1c6f0c1d7e1a"}})"});
  server_fixture server(sender_options("tencentcloud", sms_table(secrets, provider)));
  auto client = server.client();
  request_code(client, "13600136000");
  CHECK(metrics_show(
      client,
      R"(anquanli_code_deliveries_total{sender="tencentcloud",result="AuthFailure.SignatureFailure"} 1)"));
  CHECK(server_log(server).find("AuthFailure.SignatureFailure") != std::string::npos);
}

TEST_CASE("webhook: the code is POSTed to an https:// gateway", "[sms]") {
  https_test_server gateway;
  gateway.script({}, {204, ""});
  fixture_options options;
  options.code_sender = "webhook:" + gateway.origin() + "/sms/send";
  options.extra_tables = "\n[sms]\nca_file = \"" + gateway.certificate().string() + "\"\n";
  server_fixture server(options);
  auto client = server.client();
  request_code(client, "13500135000");
  REQUIRE(gateway.wait_for_requests(1));
  const auto sent = gateway.requests().back();
  CHECK(sent.target == "/sms/send");
  CHECK(sent.headers.at("content-type") == "application/json");
  const auto body = boost::json::parse(sent.body).as_object();
  CHECK(body.at("phone") == "13500135000");
  const std::string code{body.at("code").as_string()};
  const auto login = client.post("/api/v1/auth/login",
                                 boost::json::object{{"phone", "13500135000"}, {"code", code}});
  CHECK(login.status == 200);
  CHECK(metrics_show(client, R"(anquanli_code_deliveries_total{sender="webhook",result="ok"} 1)"));
}

TEST_CASE("a provider whose certificate is not trusted is sent nothing", "[sms]") {
  const temporary_directory secrets;
  https_test_server provider;
  provider.script({}, {200, R"({"Code":"OK"})"});
  // Without ca_file the system's CAs decide, and they do not know the test's certificate.
  std::string sms = sms_table(secrets, provider, "attempts = 1\n");
  sms = std::regex_replace(sms, std::regex{"ca_file = \"[^\"]*\"\n"}, "");
  server_fixture server(sender_options("aliyun", sms));
  auto client = server.client();
  request_code(client, "13400134000");
  CHECK(metrics_show(client, R"(anquanli_code_deliveries_total{sender="aliyun",result="tls"} 1)"));
  CHECK(provider.requests().empty());
}

TEST_CASE("an SMS sender without credentials stops start-up with a clear message", "[sms]") {
  https_test_server provider;
  fixture_options options;
  options.code_sender = "aliyun";
  options.extra_tables =
      "\n[sms]\nsign_name = \"安全生产月\"\ntemplate_id = \"SMS_1\"\nendpoint = \"" +
      provider.origin() + "\"\n";
  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_ID");
  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_SECRET");
  CHECK_THROWS_WITH(server_fixture(options), Catch::Contains("no SMS credentials"));
}
