// The SMS provider's access key: an id and a secret (Alibaba Cloud AccessKey ID/Secret, Tencent
// Cloud SecretId/SecretKey). Never in the TOML and never logged. They come from the environment,
// ANQUANLI_SMS_ACCESS_KEY_ID and ANQUANLI_SMS_ACCESS_KEY_SECRET (systemd: EnvironmentFile= of a
// root-only file), or from `[sms] credentials_file`: the id on its first line, the secret on its
// second, in a file no one but its owner may read (mode 0600 or 0400).
#pragma once

#include <filesystem>
#include <string>

namespace anquanli {

struct sms_credentials {
  std::string key_id;
  std::string secret;
};

// Reads `file` when it is not empty, the environment otherwise. Throws std::runtime_error saying
// what is missing or wrong (a file that group or others may read is refused), never the values.
[[nodiscard]] sms_credentials load_sms_credentials(const std::filesystem::path& file);

}  // namespace anquanli
