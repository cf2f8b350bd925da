// The campaign's two reporting forms (宁安办〔2021〕66号) as data: 附件1, the 活动进展情况统计表
// with every count of the annex and its header (填报单位、联系人、电话、填报日期), and 附件2, the
// 联络员反馈表. The handlers, the store, the exports and the web page all read these definitions,
// so a field is named, labelled, bounded and checked in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace anquanli {

enum class reporting_form_kind { contacts, progress };

// "contacts" | "progress"
[[nodiscard]] std::string_view to_string(reporting_form_kind form) noexcept;
[[nodiscard]] std::optional<reporting_form_kind> parse_reporting_form_kind(std::string_view text);

enum class reporting_field_kind {
  count,   // a whole number from 0 to reporting_count_max
  text,    // free text of at most max_length code points
  phone,   // a fixed line (0951-1234567, extension allowed) or a mobile number
  mobile,  // an 11-digit mobile number
  email,
  date,    // YYYY-MM-DD
  gender,  // 男 | 女
  digits,  // a QQ number: 5 to 12 digits
};

inline constexpr std::int64_t reporting_count_max = 10'000'000;

struct reporting_field {
  std::string_view key;    // the wire name (snake_case)
  std::string_view label;  // what the annex calls it
  reporting_field_kind kind = reporting_field_kind::text;
  std::size_t max_length = 0;  // code points, for every kind but count
  bool required = false;       // on submission
  std::string_view group;      // 活动项目 of a count (附件1); empty otherwise
};

struct reporting_form {
  reporting_form_kind kind = reporting_form_kind::contacts;
  std::string_view title;  // the annex's title
  std::span<const reporting_field> fields;
};

[[nodiscard]] const reporting_form& reporting_form_of(reporting_form_kind form) noexcept;
[[nodiscard]] const reporting_field* find_reporting_field(const reporting_form& form,
                                                          std::string_view key) noexcept;

// A form's values by field key; counts as decimal text. Absent keys are blank.
using reporting_values = std::map<std::string, std::string>;

enum class reporting_problem_kind {
  unknown_field,
  missing,
  bad_count,
  bad_text,
  bad_phone,
  bad_email,
  bad_date,
  bad_gender,
};

struct reporting_problem {
  reporting_problem_kind kind = reporting_problem_kind::unknown_field;
  std::string field;  // the key
};

// The first problem of `values` (text already normalised by the caller), or none. A draft may
// leave any field blank; `complete` (a submission) requires every required field.
[[nodiscard]] std::optional<reporting_problem> check_reporting_values(
    const reporting_form& form, const reporting_values& values, bool complete);

// The value of a count field as a number (0 when blank).
[[nodiscard]] std::int64_t reporting_count(const reporting_values& values, std::string_view key);

}  // namespace anquanli
