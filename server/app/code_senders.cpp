#include "server/app/code_senders.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <fstream>
#include <mutex>

#include "server/app/aliyun_sms_sender.hpp"
#include "server/app/remote_code_sender.hpp"
#include "server/app/sms_credentials.hpp"
#include "server/app/tencent_sms_sender.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

std::string code_json(const std::string& phone, const std::string& code, instant at,
                      utc_offset offset) {
  return boost::json::serialize(
      boost::json::object{{"phone", phone}, {"code", code}, {"at", format_rfc3339(at, offset)}});
}

class log_sender final : public code_sender {
 public:
  explicit log_sender(metrics& counters) : counters_(counters) {}

  asio::awaitable<bool> send(std::string phone, std::string code, instant /*at*/) override {
    // For development and demos only: the phone number stays masked even here.
    spdlog::info("sign-in code for {}***{}: {}", phone.substr(0, 3), phone.substr(7), code);
    counters_.record_code_delivery("log", "ok");
    co_return true;
  }

 private:
  metrics& counters_;
};

class file_sender final : public code_sender {
 public:
  file_sender(std::string path, utc_offset offset, metrics& counters)
      : path_(std::move(path)), offset_(offset), counters_(counters) {}

  asio::awaitable<bool> send(std::string phone, std::string code, instant at) override {
    const std::lock_guard lock(mutex_);
    std::ofstream out(path_, std::ios::app);
    out << code_json(phone, code, at, offset_) << '\n';
    out.flush();
    if (!out) {
      spdlog::error("code sender: cannot append to {}", path_);
    }
    counters_.record_code_delivery("file", out ? "ok" : "write_failed");
    co_return static_cast<bool>(out);
  }

 private:
  std::string path_;
  utc_offset offset_;
  metrics& counters_;
  std::mutex mutex_;
};

class webhook_sender final : public remote_code_sender {
 public:
  webhook_sender(std::string url, const server_config& config, metrics& counters)
      : remote_code_sender("webhook", outbound_http(config.sms.ca_file, config.sms.timeout),
                           config.sms.attempts, counters),
        url_(std::move(url)),
        offset_(config.competition.offset) {}

 protected:
  outbound_request build(const std::string& phone, const std::string& code, instant at,
                         instant /*now*/) const override {
    return {
        "POST", url_, {{"Content-Type", "application/json"}}, code_json(phone, code, at, offset_)};
  }
  delivery_result read_reply(const outbound_response& reply) const override {
    if (reply.status >= 200 && reply.status < 300) {
      return {true, "ok", {}};
    }
    return transport_failure(reply);
  }

 private:
  std::string url_;
  utc_offset offset_;
};

}  // namespace

std::unique_ptr<code_sender> make_code_sender(const server_config& config, metrics& counters) {
  const std::string& spec = config.auth.code_sender;
  if (spec.starts_with("file:")) {
    counters.expect_code_sender("file");
    return std::make_unique<file_sender>(spec.substr(5), config.competition.offset, counters);
  }
  if (spec.starts_with("webhook:")) {
    const auto parsed = boost::urls::parse_absolute_uri(spec.substr(8));
    if (!parsed || parsed->host().empty()) {
      throw std::runtime_error("auth.code_sender: bad webhook URL");
    }
    return std::make_unique<webhook_sender>(spec.substr(8), config, counters);
  }
  if (spec == "aliyun") {
    return std::make_unique<aliyun_sms_sender>(
        config.sms, load_sms_credentials(config.sms.credentials_file), counters);
  }
  if (spec == "tencentcloud") {
    return std::make_unique<tencent_sms_sender>(
        config.sms, load_sms_credentials(config.sms.credentials_file), counters);
  }
  counters.expect_code_sender("log");
  return std::make_unique<log_sender>(counters);
}

}  // namespace anquanli
