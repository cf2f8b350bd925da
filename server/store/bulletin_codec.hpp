// The bulletin model as stored JSON, for frozen snapshots (bulletin_snapshot_store.hpp). This is
// a storage format, not the API's view (that is bulletin_render's bulletin_json): every field of
// bulletin.hpp round-trips exactly, so a snapshot renders the same numbers in every format for as
// long as it is kept. Fields added to the model later must be optional here, so that snapshots
// stored before them still decode.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/bulletin.hpp"

namespace anquanli {

// A stored body that does not decode (a damaged database): never a client's mistake.
class bulletin_codec_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[nodiscard]] std::string encode_bulletins(const std::vector<bulletin>& levels);

// A level or ranking as stored (to_string's names); throws bulletin_codec_error for another name.
[[nodiscard]] bulletin_level stored_level(std::string_view name);
[[nodiscard]] bulletin_rank_by stored_rank_by(std::string_view name);

// Throws bulletin_codec_error when `stored` is not what encode_bulletins wrote.
[[nodiscard]] std::vector<bulletin> decode_bulletins(std::string_view stored);

}  // namespace anquanli
