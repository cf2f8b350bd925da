// The SMS senders' signatures against the examples the providers publish, value for value, and the
// requests the senders build from them. A signer that passes these signs exactly as documented.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "server/app/aliyun_signature.hpp"
#include "server/app/aliyun_sms_sender.hpp"
#include "server/app/request_signing.hpp"
#include "server/app/sms_credentials.hpp"
#include "server/app/tencent_signature.hpp"
#include "server/app/tencent_sms_sender.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;

namespace {

// The request of the worked example in Alibaba Cloud's "V3版本请求体&签名机制"
// (help.aliyun.com/document_detail/2593177.html): ECS RunInstances, POST with an empty body,
// AccessKeyId "YourAccessKeyId", AccessKeySecret "YourAccessKeySecret".
acs3_request aliyun_example(const std::string& date, const std::string& nonce) {
  acs3_request request;
  request.query = {{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
                   {"RegionId", "cn-shanghai"}};
  request.headers = {
      {"host", "ecs.cn-shanghai.aliyuncs.com"},
      {"x-acs-action", "RunInstances"},
      {"x-acs-version", "2014-05-26"},
      {"x-acs-date", date},
      {"x-acs-signature-nonce", nonce},
      {"x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}};
  return request;
}

// The example of Tencent Cloud's "签名方法 v3" (cloud.tencent.com/document/api/213/30654): CVM
// DescribeInstances with SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE and SecretKey
// Gu5t9xGARNpq86cd98joQYCN3EXAMPLE at 1551113065, signing content-type and host.
tc3_request tencent_example() {
  tc3_request request;
  request.service = "cvm";
  request.host = "cvm.tencentcloudapi.com";
  request.action = "DescribeInstances";
  request.timestamp = 1551113065;
  request.payload =
      R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  request.sign_action = false;
  return request;
}

sms_config test_settings() {
  sms_config settings;
  settings.sign_name = "安全生产月";
  settings.template_id = "SMS_000000001";
  settings.app_id = "1400000001";
  settings.endpoint = "https://127.0.0.1:4443";
  return settings;
}

std::string header(const outbound_request& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("ACS3-HMAC-SHA256 reproduces Alibaba Cloud's published signatures", "[sms]") {
  // The documentation's worked example: its hashed canonical request and its signature.
  const auto worked = aliyun_example("2023-10-26T10:22:32Z", "3156853299f313e23d1673dc12e1703d");
  CHECK(sha256_hex(acs3_canonical_request(worked)) ==
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
  CHECK(acs3_signature(worked, "YourAccessKeySecret") ==
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  CHECK(acs3_authorization(worked, "YourAccessKeyId", "YourAccessKeySecret") ==
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
        "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  // The request-header example of the same documentation family (the ROA-style page), dated
  // 09:01:01 with nonce d410180a…
  CHECK(acs3_signature(aliyun_example("2023-10-26T09:01:01Z", "d410180a5abf7fe235dd9b74aca91fc0"),
                       "YourAccessKeySecret") ==
        "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804");
}

TEST_CASE("ACS3 canonical queries are percent-encoded as RFC 3986 and sorted", "[sms]") {
  CHECK(percent_encode("a b*~-_.") == "a%20b%2A~-_.");
  CHECK(percent_encode("安全") == "%E5%AE%89%E5%85%A8");
  CHECK(acs3_canonical_query({{"b", "2"}, {"a", "{\"code\":\"1\"}"}, {"A", ""}}) ==
        "A=&a=%7B%22code%22%3A%221%22%7D&b=2");
}

TEST_CASE("TC3-HMAC-SHA256 reproduces Tencent Cloud's published signature", "[sms]") {
  const auto example = tencent_example();
  CHECK(tc3_canonical_request(example) ==
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
        "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  CHECK(tc3_string_to_sign(example) ==
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  CHECK(tc3_authorization(example, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                          "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE") ==
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

TEST_CASE("the aliyun sender builds a signed SendSms request", "[sms]") {
  metrics counters;
  const aliyun_sms_sender sender(test_settings(), {"KEY-ID", "KEY-SECRET"}, counters);
  const instant now{std::chrono::milliseconds{1'700'000'000'123}};
  const auto request =
      sender.request_for("13800138000", "246810", now, "00112233445566778899aabbccddeeff");
  CHECK(request.method == "POST");
  CHECK(request.body.empty());
  CHECK(
      request.url ==
      "https://127.0.0.1:4443/?PhoneNumbers=13800138000&SignName=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%"
      "A7%E6%9C%88&TemplateCode=SMS_000000001&TemplateParam=%7B%22code%22%3A%22246810%22%7D");
  CHECK(header(request, "x-acs-action") == "SendSms");
  CHECK(header(request, "x-acs-version") == "2017-05-25");
  CHECK(header(request, "x-acs-date") == "2023-11-14T22:13:20Z");
  // The signature covers exactly what is sent, the Host header included.
  acs3_request signed_part;
  signed_part.query = {{"PhoneNumbers", "13800138000"},
                       {"SignName", "安全生产月"},
                       {"TemplateCode", "SMS_000000001"},
                       {"TemplateParam", R"({"code":"246810"})"}};
  signed_part.headers = {{"host", "127.0.0.1:4443"}};
  for (const auto& [name, value] : request.headers) {
    if (name != "Authorization") {
      signed_part.headers.emplace_back(name, value);
    }
  }
  CHECK(header(request, "Authorization") ==
        acs3_authorization(signed_part, "KEY-ID", "KEY-SECRET"));
}

TEST_CASE("the tencentcloud sender builds a signed SendSms request", "[sms]") {
  metrics counters;
  const tencent_sms_sender sender(test_settings(), {"AKID-TEST", "SECRET-TEST"}, counters);
  const instant now{std::chrono::milliseconds{1'700'000'000'999}};
  const auto request = sender.request_for("13800138000", "246810", now);
  CHECK(request.url == "https://127.0.0.1:4443/");
  const auto body = boost::json::parse(request.body).as_object();
  CHECK(body.at("PhoneNumberSet") == boost::json::array{"+8613800138000"});
  CHECK(body.at("SmsSdkAppId") == "1400000001");
  CHECK(body.at("SignName") == "安全生产月");
  CHECK(body.at("TemplateId") == "SMS_000000001");
  CHECK(body.at("TemplateParamSet") == boost::json::array{"246810"});
  CHECK(header(request, "X-TC-Action") == "SendSms");
  CHECK(header(request, "X-TC-Version") == "2021-01-11");
  CHECK(header(request, "X-TC-Region") == "ap-guangzhou");
  CHECK(header(request, "X-TC-Timestamp") == "1700000000");
  tc3_request signed_part{"sms",
                          "127.0.0.1:4443",
                          "SendSms",
                          1700000000,
                          "application/json; charset=utf-8",
                          request.body,
                          true};
  CHECK(header(request, "Authorization") ==
        tc3_authorization(signed_part, "AKID-TEST", "SECRET-TEST"));
}

TEST_CASE("SMS credentials come from a private file or the environment, never a shared file",
          "[sms]") {
  const test::temporary_directory directory;
  const auto file = directory.path() / "sms-credentials";
  std::ofstream(file) << "LTAI-TEST-ID\nsecret-value\n";
  ::chmod(file.c_str(), 0644);
  CHECK_THROWS_WITH(load_sms_credentials(file), Catch::Contains("chmod 600"));
  ::chmod(file.c_str(), 0600);
  const auto from_file = load_sms_credentials(file);
  CHECK(from_file.key_id == "LTAI-TEST-ID");
  CHECK(from_file.secret == "secret-value");

  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_ID");
  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_SECRET");
  CHECK_THROWS_WITH(load_sms_credentials({}), Catch::Contains("ANQUANLI_SMS_ACCESS_KEY_ID"));
  ::setenv("ANQUANLI_SMS_ACCESS_KEY_ID", "env-id", 1);
  ::setenv("ANQUANLI_SMS_ACCESS_KEY_SECRET", "env-secret", 1);
  const auto from_environment = load_sms_credentials({});
  CHECK(from_environment.key_id == "env-id");
  CHECK(from_environment.secret == "env-secret");
  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_ID");
  ::unsetenv("ANQUANLI_SMS_ACCESS_KEY_SECRET");
}
