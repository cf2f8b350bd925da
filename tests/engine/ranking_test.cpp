#include "engine/ranking.hpp"

#include <catch2/catch.hpp>

using namespace anquanli;

TEST_CASE("standard competition ranking shares ranks and skips after ties", "[ranking]") {
  const auto ranked =
      rank_entries({{"U4", 5.0}, {"U2", 9.0}, {"U3", 9.0}, {"U1", 7.0}, {"U5", 9.0}});
  REQUIRE(ranked.size() == 5);
  CHECK(ranked[0].id == "U2");
  CHECK(ranked[1].id == "U3");
  CHECK(ranked[2].id == "U5");
  CHECK(ranked[0].rank == 1);
  CHECK(ranked[1].rank == 1);
  CHECK(ranked[2].rank == 1);
  CHECK(ranked[3].id == "U1");
  CHECK(ranked[3].rank == 4);
  CHECK(ranked[4].rank == 5);
}

TEST_CASE("entries without a value come last and unranked", "[ranking]") {
  const auto ranked = rank_entries({{"B", std::nullopt}, {"A", std::nullopt}, {"C", 0.0}});
  CHECK(ranked[0].id == "C");
  CHECK(ranked[0].rank == 1);
  CHECK(ranked[1].id == "A");
  CHECK(ranked[1].rank == 0);
  CHECK(ranked[2].id == "B");
}
