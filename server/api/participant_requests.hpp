// The participant routes' parse_ functions: each turns what a client sent into the command it asks
// for, or the error refusing it, before anything touches storage. Pure functions of the request
// (docs/api.md lists the routes; tests/api/request_parse_test.cpp tests these).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/durable/durable_store.hpp"
#include "server/protocol/parsed.hpp"

namespace anquanli {

inline constexpr int max_unit_page = 50;

// GET /api/v1/units?region=&q=&limit=&parents=true (parents: also the region's ancestors' units)
[[nodiscard]] parsed<unit_query> parse_unit_search(const api_request& request);

// POST /api/v1/auth/code {"phone"}
struct code_request_command {
  std::string phone;
};
[[nodiscard]] parsed<code_request_command> parse_code_request(const api_request& request);

// POST /api/v1/auth/login {"phone","code"}
struct login_command {
  std::string phone;
  std::string code;
};
[[nodiscard]] parsed<login_command> parse_login(const api_request& request);

// PUT /api/v1/me {"name","region","unit_id","consent"}
struct profile_command {
  std::string name;
  std::string region_code;
  std::optional<std::string> unit_id;  // none: 社会公众
  bool consent = false;                // agreed to the privacy notice (issue 16)
};
[[nodiscard]] parsed<profile_command> parse_profile(const api_request& request);

// GET /api/v1/attempts/{id} and POST /api/v1/attempts/{id}/finish
[[nodiscard]] parsed<attempt_id> parse_attempt_ref(const api_request& request);

// POST /api/v1/attempts/{id}/answers {"index","choice"}
struct answer_command {
  attempt_id attempt;
  int index = 0;
  choice_keys choice;
};
[[nodiscard]] parsed<answer_command> parse_answer(const api_request& request);

}  // namespace anquanli
