// The storage of frozen bulletins on a real SQLite database: the stored model round-trips every
// field, a series' movement is computed once at storing, and the table refuses to be edited.
#include "server/store/bulletin_snapshot_store.hpp"

#include <catch2/catch.hpp>

#include "server/store/bulletin_codec.hpp"
#include "server/store/schema.hpp"
#include "tests/support/temporary_directory.hpp"

using namespace anquanli;

namespace {

bulletin_row full_row(std::string code, int rank, std::int64_t participants) {
  bulletin_row row;
  row.rank = rank;
  row.code = std::move(code);
  row.name = "兴庆区";
  row.parent_name = "银川市";
  row.participants = participants;
  row.participants_with_unit = participants - 1;
  row.participants_public = 1;
  row.attempts = participants * 2;
  row.attempts_with_unit = participants * 2 - 1;
  row.attempts_public = 1;
  row.points = participants * 3;
  row.headcount = 100;
  row.participation_rate = 0.125;
  row.rate_capped = true;
  row.average_correct_rate = 1.0 / 3.0;
  row.flagged_attempts = 2;
  row.target = 40;
  row.target_rate = 0.3;
  row.previous_rank = 4;
  row.rank_change = -2;
  row.new_participants = 5;
  return row;
}

bulletin sample(std::int64_t participants_of_first) {
  bulletin report;
  report.title = "测测你的安全力 参与情况通报";
  report.scope_code = "640100";
  report.scope_name = "银川市";
  report.from = *parse_day_key("2021-06-01");
  report.to = *parse_day_key("2021-06-16");
  report.level = bulletin_level::county;
  report.rank_by = bulletin_rank_by::rate;
  report.sector = "危险化学品";
  report.generated_at = instant{std::chrono::milliseconds{1623805375612}};
  report.rows = {full_row("640104", 1, participants_of_first), full_row("640105", 2, 3)};
  report.rows[1].headcount.reset();
  report.rows[1].previous_rank.reset();
  report.totals = full_row("", 0, participants_of_first + 3);
  report.public_participation.level = bulletin_level::county;
  report.public_participation.rows = {{1, "640104", "兴庆区", "银川市", 1, 1, 3}};
  report.public_participation.totals = {0, "", "合计", "", 1, 1, 3};
  report.zero_participation = {{"U1", "某单位", "西夏区", 20}};
  report.headcount_problems = {{"U2", "另一单位", "金凤区", 1, 2}};
  return report;
}

bulletin_snapshot_draft draft_of(bulletin report) {
  bulletin_snapshot_draft draft;
  draft.competition_id = "test";
  draft.created_by = "yinchuan";
  draft.created_at = report.generated_at;
  draft.title_template = "关于“{competition}”网络竞赛参与情况的通报（截至{as_of}）";
  draft.issuer = "银川市安委办";
  draft.copy_to = {"各县（市、区）安委办"};
  for (auto& row : report.rows) {
    row.previous_rank.reset();
    row.rank_change.reset();
    row.new_participants.reset();
  }
  draft.levels = {std::move(report)};
  return draft;
}

struct snapshot_database {
  test::temporary_directory directory;
  sqlite_database database{directory.path() / "anquanli.db", open_mode::read_write_create};
  snapshot_database() {
    apply_migrations(database, database_migrations());
    database.execute(
        "INSERT INTO regions (code, name, parent_code, level) VALUES ('640000', '宁夏', NULL, 1), "
        "('640100', '银川市', '640000', 2)");
  }
};

}  // namespace

TEST_CASE("the stored bulletin round-trips every field", "[snapshots]") {
  const std::vector<bulletin> levels{sample(7)};
  const std::string stored = encode_bulletins(levels);
  const std::vector<bulletin> decoded = decode_bulletins(stored);
  REQUIRE(decoded.size() == 1);
  CHECK(encode_bulletins(decoded) == stored);
  CHECK(decoded[0].rows[0].average_correct_rate == levels[0].rows[0].average_correct_rate);
  CHECK_FALSE(decoded[0].rows[1].headcount.has_value());
  CHECK(decoded[0].sector == "危险化学品");
  CHECK(decoded[0].generated_at == levels[0].generated_at);
  CHECK_THROWS_AS(decode_bulletins("{\"format\":1}"), bulletin_codec_error);
  CHECK_THROWS_AS(decode_bulletins("not json"), bulletin_codec_error);
  CHECK_THROWS_AS(decode_bulletins("{\"format\":2,\"levels\":[]}"), bulletin_codec_error);
}

TEST_CASE("a series' movement is computed when stored, and snapshots cannot be edited",
          "[snapshots]") {
  snapshot_database db;
  bulletin_snapshot_store store(db.database);
  const auto first = store.create(draft_of(sample(2)));
  CHECK_FALSE(first.previous_id.has_value());
  bulletin later = sample(9);
  later.generated_at += std::chrono::hours{1};
  std::swap(later.rows[0].rank, later.rows[1].rank);
  const auto second = store.create(draft_of(later));
  CHECK(second.previous_id == first.id);

  const auto loaded = store.load("test", second.id);
  REQUIRE(loaded);
  const bulletin& report = loaded->levels.at(0);
  REQUIRE(report.compared_snapshot.has_value());
  CHECK(report.compared_snapshot->snapshot_id == first.id);
  CHECK(report.rows[0].previous_rank == 1);
  CHECK(report.rows[0].rank_change == -1);
  CHECK(report.rows[0].new_participants == 7);
  CHECK(loaded->issuer == "银川市安委办");
  CHECK(loaded->copy_to == std::vector<std::string>{"各县（市、区）安委办"});

  // Another competition's ids are not found; the list is newest first within the subtree.
  CHECK_FALSE(store.load("other", second.id).has_value());
  const auto listed = store.list({"test", "640000", std::nullopt});
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == second.id);
  CHECK(store.list({"test", "640000", std::string{"矿山"}}).empty());
  CHECK_THROWS(db.database.execute("UPDATE bulletin_snapshots SET participants = 0"));
}
