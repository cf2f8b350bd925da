#include "server/store/draw_commitments.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "engine/random_sequence.hpp"

namespace anquanli {

namespace {

constexpr int most_days_committed = 1000;

std::int64_t millis(instant at) {
  return at.time_since_epoch().count();
}

std::string hex_of(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::string table_json(const std::vector<prize_table_entry>& entries) {
  boost::json::array array;
  for (const auto& entry : entries) {
    boost::json::value cap = nullptr;
    if (entry.daily_cap) {
      cap = *entry.daily_cap;
    }
    array.push_back(boost::json::object{{"id", entry.id},
                                        {"total", entry.total},
                                        {"daily_cap", cap},
                                        {"probability", entry.probability}});
  }
  return boost::json::serialize(array);
}

}  // namespace

std::string draw_message(const draw_identity& identity) {
  return "anquanli-draw:" + identity.day + ":" + std::to_string(identity.participant) + ":" +
         std::to_string(identity.draw_number);
}

std::string draw_hmac(const draw_seed& seed, const std::string& message) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), seed.data());
  return hex_of(mac.data(), mac.size());
}

std::uint64_t draw_random(const std::string& hmac_hex) {
  std::array<unsigned char, 8> bytes{};
  std::size_t length = 0;
  if (sodium_hex2bin(bytes.data(), bytes.size(), hmac_hex.data(),
                     std::min<std::size_t>(hmac_hex.size(), 16), nullptr, &length, nullptr) != 0 ||
      length != bytes.size()) {
    return 0;
  }
  std::uint64_t value = 0;
  for (const unsigned char byte : bytes) {
    value = (value << 8U) | byte;
  }
  return value;
}

std::string seed_commitment(const draw_seed& seed) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> hash{};
  crypto_hash_sha256(hash.data(), seed.data(), seed.size());
  return hex_of(hash.data(), hash.size());
}

std::string seed_hex(const draw_seed& seed) {
  return hex_of(seed.data(), seed.size());
}

std::optional<draw_seed> seed_from_hex(const std::string& hex) {
  draw_seed seed{};
  std::size_t length = 0;
  if (hex.size() != seed.size() * 2 ||
      sodium_hex2bin(seed.data(), seed.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != seed.size()) {
    return std::nullopt;
  }
  return seed;
}

void draw_commitments::ensure_seeds(day_key first, day_key last, instant now) {
  day_key day = first;
  for (int count = 0; day <= last && count < most_days_committed; ++count) {
    seed_for(to_string(day), now);
    day = day.next();
  }
}

draw_seed draw_commitments::seed_for(const std::string& day, instant now) {
  if (auto stored = stored_seed(day)) {
    return *stored;
  }
  draw_seed seed{};
  randombytes_buf(seed.data(), seed.size());
  sqlite_statement insert = database_.prepare(
      "INSERT INTO draw_seeds (day, seed_sealed, commitment, created_at) VALUES (?1, ?2, ?3, ?4)");
  insert.bind(1, std::string_view{day})
      .bind(2, std::string_view{keys_.seal(seed_hex(seed))})
      .bind(3, std::string_view{seed_commitment(seed)})
      .bind(4, millis(now));
  insert.run();
  return seed;
}

std::optional<draw_seed> draw_commitments::stored_seed(const std::string& day) {
  sqlite_statement select = database_.prepare("SELECT seed_sealed FROM draw_seeds WHERE day = ?1");
  select.bind(1, std::string_view{day});
  if (select.step() != step_result::row) {
    return std::nullopt;
  }
  const auto hex = keys_.unseal(select.column_text(0));
  if (!hex) {
    throw std::runtime_error("the draw seed of " + day + " cannot be unsealed with this key");
  }
  return seed_from_hex(*hex);
}

draw_proof draw_commitments::prove(const draw_identity& identity, instant now) {
  const draw_seed seed = seed_for(identity.day, now);
  draw_proof proof;
  proof.day = identity.day;
  proof.message = draw_message(identity);
  proof.hmac = draw_hmac(seed, proof.message);
  proof.roll = unit_interval(draw_random(proof.hmac));
  proof.commitment = seed_commitment(seed);
  return proof;
}

std::vector<draw_commitment> draw_commitments::list(day_key today) {
  sqlite_statement select =
      database_.prepare("SELECT day, commitment, seed_sealed FROM draw_seeds ORDER BY day");
  std::vector<draw_commitment> result;
  const std::string current = to_string(today);
  while (select.step() == step_result::row) {
    draw_commitment item{select.column_text(0), select.column_text(1), std::nullopt};
    if (item.day < current) {
      item.seed = keys_.unseal(select.column_text(2));
    }
    result.push_back(std::move(item));
  }
  return result;
}

std::int64_t draw_commitments::prize_table_in_effect(instant now) {
  sqlite_statement prizes =
      database_.prepare("SELECT id, total, daily_cap, probability FROM prizes ORDER BY id");
  std::vector<prize_table_entry> entries;
  while (prizes.step() == step_result::row) {
    entries.push_back({prizes.column_text(0), prizes.column_int64(1),
                       prizes.column_is_null(2)
                           ? std::nullopt
                           : std::optional<std::int64_t>{prizes.column_int64(2)},
                       prizes.column_double(3)});
  }
  const std::string text = table_json(entries);
  sqlite_statement last =
      database_.prepare("SELECT id, prizes FROM prize_tables ORDER BY id DESC LIMIT 1");
  if (last.step() == step_result::row && last.column_text(1) == text) {
    return last.column_int64(0);
  }
  sqlite_statement insert =
      database_.prepare("INSERT INTO prize_tables (created_at, prizes) VALUES (?1, ?2)");
  insert.bind(1, millis(now)).bind(2, std::string_view{text});
  insert.run();
  return database_.last_insert_rowid();
}

std::vector<prize_table_entry> draw_commitments::prize_table(std::int64_t id) {
  sqlite_statement select = database_.prepare("SELECT prizes FROM prize_tables WHERE id = ?1");
  select.bind(1, id);
  std::vector<prize_table_entry> entries;
  if (select.step() != step_result::row) {
    return entries;
  }
  // Named: a range-for over a temporary's member would outlive the temporary.
  const boost::json::value table = boost::json::parse(select.column_text(0));
  for (const auto& item : table.as_array()) {
    const auto& object = item.as_object();
    prize_table_entry entry{std::string{object.at("id").as_string()},
                            object.at("total").to_number<std::int64_t>(), std::nullopt,
                            object.at("probability").to_number<double>()};
    if (!object.at("daily_cap").is_null()) {
      entry.daily_cap = object.at("daily_cap").to_number<std::int64_t>();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace anquanli
