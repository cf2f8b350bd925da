#include "server/store/secrets.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

void write_new_key(const std::filesystem::path& file, std::array<unsigned char, 32>& key) {
  randombytes_buf(key.data(), key.size());
  const std::filesystem::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::write(fd, key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
      ::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, file);
  // The rename is durable only once the directory is: without this a power cut could leave a
  // database whose participants' hashes no key can match.
  const int directory = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (directory < 0 || ::fsync(directory) != 0 || ::close(directory) != 0) {
    throw std::runtime_error("cannot sync " + file.parent_path().string());
  }
}

// True when the data directory's database already holds participants: their phones and tokens
// are keyed hashes under a key that is now missing.
bool database_holds_participants(const std::filesystem::path& data_dir) {
  const std::filesystem::path database_file = data_dir / "anquanli.db";
  if (!std::filesystem::exists(database_file)) {
    return false;
  }
  sqlite_database database(database_file, open_mode::read_only);
  sqlite_statement table = database.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'participants'");
  if (table.step() != step_result::row) {
    return false;
  }
  sqlite_statement any = database.prepare("SELECT EXISTS (SELECT 1 FROM participants)");
  any.step();
  return any.column_int(0) != 0;
}

}  // namespace

void secure_data_dir(const std::filesystem::path& data_dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(data_dir)) {
    fs::create_directories(data_dir);
    fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
  }
  for (const char* name : {"anquanli.db", "anquanli.db-wal", "anquanli.db-shm", "server.key"}) {
    if (fs::exists(data_dir / name)) {
      fs::permissions(data_dir / name, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace);
    }
  }
}

secrets::secrets(const std::filesystem::path& data_dir) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
  const std::filesystem::path file = data_dir / "server.key";
  if (!std::filesystem::exists(file)) {
    if (database_holds_participants(data_dir)) {
      throw std::runtime_error(
          file.string() + " is missing, but " + (data_dir / "anquanli.db").string() +
          " holds participants whose phones and tokens are hashed with it. Restore server.key "
          "from the backup taken with this database; a new key would turn every returning "
          "participant into a new one. Nothing was changed.");
    }
    write_new_key(file, key_);
    return;
  }
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(key_.data()), static_cast<std::streamsize>(key_.size()));
  if (in.gcount() != static_cast<std::streamsize>(key_.size())) {
    throw std::runtime_error(file.string() + " is not a 32-byte key");
  }
}

std::string secrets::keyed_hash(std::string_view purpose, std::string_view value) const {
  std::array<unsigned char, 32> hash{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_.data(), key_.size(), hash.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(purpose.data()),
                            purpose.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  crypto_generichash_final(&state, hash.data(), hash.size());
  return to_hex(hash.data(), hash.size());
}

std::string secrets::seal(std::string_view plain) const {
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plain.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                        box.data(), key_.data());
  return to_hex(box.data(), box.size());
}

std::optional<std::string> secrets::unseal(std::string_view sealed_hex) const {
  std::vector<unsigned char> box(sealed_hex.size() / 2);
  std::size_t length = 0;
  if (sodium_hex2bin(box.data(), box.size(), sealed_hex.data(), sealed_hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), box.data() + crypto_secretbox_NONCEBYTES,
          length - crypto_secretbox_NONCEBYTES, box.data(), key_.data()) != 0) {
    return std::nullopt;
  }
  return plain;
}

std::string secrets::new_token() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string token(
      sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(token.data(), token.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  token.resize(std::char_traits<char>::length(token.c_str()));
  return token;
}

std::string secrets::new_code() {
  std::string code = std::to_string(randombytes_uniform(1'000'000));
  return std::string(6 - code.size(), '0') + code;
}

std::uint64_t secrets::random_u64() {
  std::uint64_t value = 0;
  randombytes_buf(&value, sizeof value);
  return value;
}

}  // namespace anquanli
