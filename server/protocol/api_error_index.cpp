#include "server/protocol/api_error_index.hpp"

#include <initializer_list>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "server/protocol/api_error.hpp"

namespace anquanli {

namespace {

constexpr std::string_view preamble = R"(# API errors

<!-- Generated from the error catalogue (server/protocol/api_error.cpp) by
     `anquanli-server --print-error-catalogue > docs/api-errors.md`. Do not edit by hand:
     tests/server/api_error_index_test.cpp fails when this file and the catalogue differ. -->

Every error the anquanli API answers. The body is always

```json
{"error": {"code": "too_many_requests", "message": "请求过于频繁，请稍后再试"}}
```

- **`code`** is stable: program against it. Several catalogue entries share a code when people
  need different words for one situation (see [by code](#by-code)).
- **`message`** is Simplified Chinese for display and may change. A few errors append a detail
  after `：` (for example `缺少或错误的字段：index`).
- `already_attempted_today` adds a top-level `attempt_id` beside `error`: today's attempt.
- **Retry-After**: "—" sends none; a number of seconds is sent as is; "seconds left" is the
  remaining time of the lock or rate limit that refused the request.

Which route can answer which error is in [openapi.yaml](openapi.yaml); [api.md](api.md) explains
the conventions.

## All errors

In the catalogue's order: the transport, what a client sent, who is asking, the state of the
competition.

| status | code | message | Retry-After | catalogue entry |
|---|---|---|---|---|
)";

// A table cell: a message holding '|' must not split the row.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string retry_after(const api_error_entry& entry) {
  switch (entry.retry) {
    case retry_policy::none: return "—";
    case retry_policy::fixed: return std::to_string(entry.retry_after_s);
    case retry_policy::computed: return "seconds left";
  }
  return "—";
}

std::string code(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append("`").append(text).append("`");
  return out;
}

// Appends `item` to a comma-separated list. (Spelled out: GCC 12 at -O3 reports a false
// -Wrestrict on `(cond ? "" : ", ") + std::string`.)
void append_listed(std::string& list, std::string_view item) {
  if (!list.empty()) {
    list.append(", ");
  }
  list.append(item);
}

// One table row: "| a | b | c |".
void append_row(std::string& out, std::initializer_list<std::string> cells) {
  for (const std::string& text : cells) {
    out.append("| ").append(text).append(" ");
  }
  out += "|\n";
}

// One row per wire code, alphabetically: its statuses and the entries that answer it.
void append_by_code(std::string& out) {
  struct uses {
    std::set<unsigned> statuses;
    std::vector<std::string_view> entries;
  };
  std::map<std::string_view, uses> codes;
  for (const api_error_entry& entry : api_error_catalogue()) {
    codes[entry.code].statuses.insert(entry.status);
    codes[entry.code].entries.push_back(to_string(entry.id));
  }
  out += "\n## By code\n\n| code | status | catalogue entries |\n|---|---|---|\n";
  for (const auto& [wire, use] : codes) {
    std::string statuses;
    for (const unsigned status : use.statuses) {
      append_listed(statuses, std::to_string(status));
    }
    std::string entries;
    for (const std::string_view entry : use.entries) {
      append_listed(entries, code(entry));
    }
    append_row(out, {code(wire), statuses, entries});
  }
}

}  // namespace

std::string api_error_index_markdown() {
  std::string out{preamble};
  for (const api_error_entry& entry : api_error_catalogue()) {
    append_row(out, {std::to_string(entry.status), code(entry.code), cell(entry.message),
                     retry_after(entry), code(to_string(entry.id))});
  }
  append_by_code(out);
  return out;
}

}  // namespace anquanli
