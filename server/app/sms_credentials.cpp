#include "server/app/sms_credentials.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace anquanli {

namespace {

constexpr const char* id_variable = "ANQUANLI_SMS_ACCESS_KEY_ID";
constexpr const char* secret_variable = "ANQUANLI_SMS_ACCESS_KEY_SECRET";

std::string without_line_end(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.pop_back();
  }
  return line;
}

sms_credentials from_file(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code error;
  const auto status = fs::status(file, error);
  if (error || !fs::is_regular_file(status)) {
    throw std::runtime_error("[sms] credentials_file " + file.string() + " cannot be read");
  }
  const auto shared = fs::perms::group_all | fs::perms::others_all;
  if ((status.permissions() & shared) != fs::perms::none) {
    throw std::runtime_error("[sms] credentials_file " + file.string() +
                             " may be read by others: chmod 600 it");
  }
  std::ifstream in(file);
  sms_credentials credentials;
  std::getline(in, credentials.key_id);
  std::getline(in, credentials.secret);
  credentials.key_id = without_line_end(credentials.key_id);
  credentials.secret = without_line_end(credentials.secret);
  if (credentials.key_id.empty() || credentials.secret.empty()) {
    throw std::runtime_error("[sms] credentials_file " + file.string() +
                             " must hold the access key id on line 1 and its secret on line 2");
  }
  return credentials;
}

}  // namespace

sms_credentials load_sms_credentials(const std::filesystem::path& file) {
  if (!file.empty()) {
    return from_file(file);
  }
  const char* id = std::getenv(id_variable);
  const char* secret = std::getenv(secret_variable);
  if (id == nullptr || *id == '\0' || secret == nullptr || *secret == '\0') {
    throw std::runtime_error(std::string{"no SMS credentials: set "} + id_variable + " and " +
                             secret_variable + ", or [sms] credentials_file");
  }
  return {id, secret};
}

}  // namespace anquanli
