// Personal rankings from SQLite, the source of truth (issue 16): each participant's points in
// every region of their path (province, city, county), for the whole window or one day. The relay
// feeds Redis from the same outbox events the unit boards use; these functions give it the events
// with their participant, the snapshot to rebuild from, and the fallback when Redis is away.
// Participants are named only masked (张*) and by unit; their ids never leave the server.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlite/sqlite_database.hpp"

namespace anquanli {

// A participant's key in the boards: the id zero-padded, so that ordering the keys as text orders
// the ids (Redis orders equal scores by member).
[[nodiscard]] std::string participant_member(std::int64_t participant);

// How a participant is shown on a board.
struct participant_display {
  std::string name;                      // masked
  std::optional<std::string> unit_name;  // none: 社会公众
};

// One counted attempt of the outbox with its participant.
struct participant_event {
  std::int64_t id = 0;  // the outbox event's id
  std::string day;
  std::vector<std::string> region_codes;  // the participant's region first, then its ancestors
  std::string member;
  std::int64_t points = 0;
  participant_display display;
};

[[nodiscard]] std::vector<participant_event> read_participant_events(
    sqlite_database& database, const std::string& competition_id, std::int64_t after, int limit);

// A participant's points in one scope.
struct participant_points {
  std::string member;
  std::int64_t points = 0;
};

struct participant_snapshot {
  std::int64_t high_water = 0;                            // the last outbox event included
  std::map<std::string, std::vector<std::string>> paths;  // member → region codes, leaf first
  std::map<std::string, participant_display> displays;    // member → how it is shown
  std::vector<participant_points> window;
  std::map<std::string, std::vector<participant_points>> days;  // "YYYY-MM-DD" → that day's
};

// Everything, from one consistent read.
[[nodiscard]] participant_snapshot snapshot_participants(sqlite_database& database,
                                                         const std::string& competition_id);

// Every participant with points inside `region_code`'s subtree, for the window or one day, with
// how each is shown (member → display).
struct participant_board_rows {
  std::vector<participant_points> points;
  std::map<std::string, participant_display> displays;
};
[[nodiscard]] participant_board_rows read_participant_scores(sqlite_database& database,
                                                             const std::string& competition_id,
                                                             const std::string& region_code,
                                                             const std::optional<std::string>& day);

}  // namespace anquanli
