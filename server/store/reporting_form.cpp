#include "server/store/reporting_form.hpp"

#include <array>
#include <charconv>
#include <regex>

#include "engine/day_key.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli {

namespace {

using enum reporting_field_kind;

constexpr std::string_view study_group = "学习习近平总书记关于安全生产重要论述";
constexpr std::string_view campaign_group = "“专项整治集中攻坚战”专题宣传活动";

// 附件1: the header line, then every blank of the 进展情况 column in the annex's order.
constexpr std::array progress_fields{
    reporting_field{"filer_name", "填报单位", text, 100, true, {}},
    reporting_field{"contact_name", "联系人", text, 32, true, {}},
    reporting_field{"contact_phone", "电话", phone, 20, true, {}},
    reporting_field{"filed_on", "填报日期", date, 10, true, {}},
    reporting_field{"study_sessions", "理论学习中心组学习（次）", count, 0, true, study_group},
    reporting_field{"study_participants", "理论学习中心组学习参与（人次）", count, 0, true,
                    study_group},
    reporting_field{"documentary_viewers",
                    "专题学习《生命重于泰山——学习习近平总书记重要论述》电视专题片（人次）", count,
                    0, true, study_group},
    reporting_field{"talk_events", "组织安全生产“大家谈”“公开课”“微课堂”和在线访谈、基层宣讲（场）",
                    count, 0, true, study_group},
    reporting_field{"talk_participants", "“大家谈”“公开课”“微课堂”、在线访谈、基层宣讲参与（人次）",
                    count, 0, true, study_group},
    reporting_field{"media_reports", "组织媒体报道集中攻坚重点任务进展情况、工作成效等（次）",
                    count, 0, true, campaign_group},
    reporting_field{"media_articles", "刊发新闻（篇）", count, 0, true, campaign_group},
    reporting_field{"practices_promoted", "宣传推介经验做法（个）", count, 0, true, campaign_group},
    reporting_field{"practice_articles", "经验做法刊发新闻报道（篇）", count, 0, true,
                    campaign_group},
    reporting_field{"enterprise_events",
                    "企业开展“安全红袖章”“事故隐患大扫除”“争做安全吹哨人”等活动（场）", count, 0,
                    true, campaign_group},
    reporting_field{"enterprise_participants", "企业开展上述活动参与（人次）", count, 0, true,
                    campaign_group},
};

// 附件2, row by row.
constexpr std::array contacts_fields{
    reporting_field{"name", "姓名", text, 32, true, {}},
    reporting_field{"gender", "性别", gender, 1, true, {}},
    reporting_field{"position", "职务", text, 50, true, {}},
    reporting_field{"office_phone", "办公电话", phone, 20, true, {}},
    reporting_field{"mobile", "手机", mobile, 11, true, {}},
    reporting_field{"fax", "传真", phone, 20, false, {}},
    reporting_field{"qq", "QQ 号", digits, 12, false, {}},
    reporting_field{"wechat", "微信号", text, 32, false, {}},
    reporting_field{"email", "电子邮箱", email, 100, true, {}},
    reporting_field{"organisation", "单位名称", text, 100, true, {}},
    reporting_field{"address", "通信地址", text, 200, true, {}},
};

const reporting_form progress_form{reporting_form_kind::progress,
                                   "全区“安全生产月”活动进展情况统计表", progress_fields};
const reporting_form contacts_form{reporting_form_kind::contacts,
                                   "全区“安全生产月”活动联络员反馈表", contacts_fields};

bool is_count(std::string_view value) {
  std::int64_t number = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  return error == std::errc{} && end == value.data() + value.size() && number >= 0 &&
         number <= reporting_count_max && (value.size() == 1 || value.front() != '0');
}

// A fixed line with an optional area code and extension, or a mobile number.
bool is_phone(const std::string& value) {
  static const std::regex fixed_line{R"(^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$)"};
  return is_mobile_number(value) || std::regex_match(value, fixed_line);
}

bool is_email(const std::string& value) {
  static const std::regex address{R"(^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$)"};
  return std::regex_match(value, address);
}

bool is_qq(const std::string& value) {
  static const std::regex qq{R"(^[1-9]\d{4,11}$)"};
  return std::regex_match(value, qq);
}

// The problem of one present value of `field`, if any (lengths were bounded by the caller).
std::optional<reporting_problem_kind> value_problem(const reporting_field& field,
                                                    const std::string& value) {
  using enum reporting_problem_kind;
  // A UTF-8 code point takes at most 4 bytes: a longer value cannot have been bounded.
  if (field.kind != count && (value.empty() || value.size() > field.max_length * 4)) {
    return bad_text;
  }
  switch (field.kind) {
    case count: return is_count(value) ? std::nullopt : std::optional{bad_count};
    case text: return std::nullopt;
    case phone: return is_phone(value) ? std::nullopt : std::optional{bad_phone};
    case mobile: return is_mobile_number(value) ? std::nullopt : std::optional{bad_phone};
    case email: return is_email(value) ? std::nullopt : std::optional{bad_email};
    case date: return parse_day_key(value) ? std::nullopt : std::optional{bad_date};
    case gender: return value == "男" || value == "女" ? std::nullopt : std::optional{bad_gender};
    case digits: return is_qq(value) ? std::nullopt : std::optional{bad_text};
  }
  return bad_text;
}

}  // namespace

std::string_view to_string(reporting_form_kind form) noexcept {
  return form == reporting_form_kind::progress ? "progress" : "contacts";
}

std::optional<reporting_form_kind> parse_reporting_form_kind(std::string_view text) {
  if (text == "progress") {
    return reporting_form_kind::progress;
  }
  if (text == "contacts") {
    return reporting_form_kind::contacts;
  }
  return std::nullopt;
}

const reporting_form& reporting_form_of(reporting_form_kind form) noexcept {
  return form == reporting_form_kind::progress ? progress_form : contacts_form;
}

const reporting_field* find_reporting_field(const reporting_form& form,
                                            std::string_view key) noexcept {
  for (const reporting_field& field : form.fields) {
    if (field.key == key) {
      return &field;
    }
  }
  return nullptr;
}

std::optional<reporting_problem> check_reporting_values(const reporting_form& form,
                                                        const reporting_values& values,
                                                        bool complete) {
  for (const auto& [key, value] : values) {
    const reporting_field* field = find_reporting_field(form, key);
    if (field == nullptr) {
      return reporting_problem{reporting_problem_kind::unknown_field, key};
    }
    if (const auto problem = value_problem(*field, value)) {
      return reporting_problem{*problem, key};
    }
  }
  if (!complete) {
    return std::nullopt;
  }
  for (const reporting_field& field : form.fields) {
    if (field.required && !values.contains(std::string{field.key})) {
      return reporting_problem{reporting_problem_kind::missing, std::string{field.key}};
    }
  }
  return std::nullopt;
}

std::int64_t reporting_count(const reporting_values& values, std::string_view key) {
  const auto found = values.find(std::string{key});
  if (found == values.end()) {
    return 0;
  }
  std::int64_t number = 0;
  std::from_chars(found->second.data(), found->second.data() + found->second.size(), number);
  return number;
}

}  // namespace anquanli
