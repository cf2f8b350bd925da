#include "server/protocol/api_error.hpp"

#include <array>
#include <boost/json.hpp>

namespace anquanli {

namespace {

using enum api_error_code;
constexpr auto fixed = retry_policy::fixed;
constexpr auto computed = retry_policy::computed;

constexpr std::array catalogue{
    api_error_entry{bad_request, 400, "bad_request", "请求格式错误"},
    api_error_entry{invalid_target, 400, "bad_request", "请求地址无效"},
    api_error_entry{header_too_large, 431, "header_too_large", "请求头过大"},
    api_error_entry{body_too_large, 413, "body_too_large", "请求体过大"},
    api_error_entry{no_such_route, 404, "not_found", "接口不存在"},
    api_error_entry{method_not_allowed, 405, "method_not_allowed", "不支持该请求方法"},
    api_error_entry{too_many_connections, 503, "too_many_connections", "服务器繁忙，请稍后再试",
                    fixed, 1, true},
    api_error_entry{too_many_connections_from_address, 429, "too_many_requests",
                    "来自同一地址的连接过多，请稍后再试", fixed, 1},
    // Nothing was recorded; the writer should have caught up within a second.
    api_error_entry{overloaded, 503, "overloaded", "服务器繁忙，请稍后再试", fixed, 1, true},
    // Nothing of the request was committed, so the client may safely send it again.
    api_error_entry{storage_unavailable, 503, "storage_unavailable", "服务暂时不可用，请稍后再试",
                    fixed, 5},
    api_error_entry{internal_error, 500, "internal_error", "服务器内部错误"},

    api_error_entry{invalid_json, 400, "invalid_json", "请求体必须是 JSON 对象"},
    api_error_entry{invalid_request, 400, "invalid_request", "缺少或错误的字段"},
    api_error_entry{invalid_phone, 400, "invalid_phone", "请输入正确的 11 位手机号码"},
    api_error_entry{invalid_name, 400, "invalid_name", "姓名须为 1 到 32 个字符，不能含控制字符"},
    api_error_entry{invalid_region, 400, "invalid_region", "请选择有效的地区"},
    api_error_entry{invalid_unit, 400, "invalid_unit", "该单位不在所选地区内"},
    api_error_entry{invalid_limit, 400, "invalid_limit", "分页参数超出范围"},
    api_error_entry{invalid_query, 400, "invalid_query", "搜索词无效"},
    api_error_entry{invalid_metric, 400, "invalid_metric",
                    "metric 只能是 points、attempts、participants 或 rate"},
    api_error_entry{invalid_day, 400, "invalid_day", "day 必须是竞赛期间内的日期（YYYY-MM-DD）"},
    api_error_entry{invalid_period, 400, "invalid_period", "请提供有效的起止日期（YYYY-MM-DD）"},
    api_error_entry{invalid_choice, 400, "invalid_choice", "所选选项无效"},
    api_error_entry{invalid_admin_request, 400, "invalid_request", "请输入用户名和密码"},
    api_error_entry{invalid_bulletin_request, 400, "invalid_request",
                    "level 须为 city/county/unit，format 须为 json/csv/xlsx/html/pdf，detail 须为 "
                    "full，rank_by 须为 "
                    "participants/rate/points/attempts，compare_to 须在统计期间内且早于结束日期"},

    api_error_entry{unauthorized, 401, "unauthorized", "请先登录"},
    api_error_entry{admin_unauthorized, 401, "unauthorized", "请先登录管理账号"},
    api_error_entry{not_an_admin, 403, "forbidden", "该账号无权访问管理接口"},
    api_error_entry{region_forbidden, 403, "forbidden", "无权查看该地区"},
    api_error_entry{metrics_forbidden, 403, "forbidden", "无权访问"},
    api_error_entry{invalid_code, 401, "invalid_code", "验证码错误或已过期"},
    api_error_entry{invalid_credentials, 401, "invalid_credentials", "用户名或密码错误"},
    api_error_entry{code_requests_limited, 429, "too_many_requests", "请求过于频繁，请稍后再试",
                    computed},
    api_error_entry{sign_in_locked, 429, "too_many_requests", "验证码错误次数过多，请稍后再试",
                    computed},
    api_error_entry{sign_in_throttled, 429, "too_many_requests", "错误尝试过于频繁，请稍后再试",
                    computed},
    api_error_entry{admin_locked, 429, "too_many_requests", "密码错误次数过多，账号已暂时锁定",
                    computed},

    api_error_entry{not_found, 404, "not_found", "未找到该记录"},
    api_error_entry{unit_not_found, 404, "not_found", "单位不存在"},
    api_error_entry{profile_locked, 409, "profile_locked", "已参加答题，个人信息不能再修改"},
    api_error_entry{profile_incomplete, 403, "profile_incomplete", "请先填写姓名和所在地区"},
    api_error_entry{already_answered, 409, "already_answered", "该题已作答，不能更改答案"},
    api_error_entry{out_of_order, 409, "out_of_order", "请按顺序作答当前题目"},
    api_error_entry{attempt_finished, 409, "attempt_finished", "本次挑战已结束"},
    api_error_entry{attempt_expired, 409, "attempt_expired", "本次挑战已超时"},
    api_error_entry{competition_not_started, 403, "competition_closed", "竞赛尚未开始"},
    api_error_entry{competition_closed, 403, "competition_closed", "竞赛已结束"},
    api_error_entry{already_attempted_today, 409, "already_attempted_today",
                    "今日已答题，请明天再来"},
    api_error_entry{insufficient_questions, 503, "insufficient_questions",
                    "题库暂时无法组卷，请稍后再试"},
    api_error_entry{no_draws_available, 409, "no_draws_available", "暂无可用的抽奖机会"},

    api_error_entry{invalid_category, 400, "invalid_category", "没有该分类的题目"},
    api_error_entry{invalid_address, 400, "invalid_address",
                    "请填写收货地址，1 到 200 个字符，不能含控制字符"},
    api_error_entry{practice_disabled, 403, "practice_disabled", "练功房暂未开放"},
    api_error_entry{practice_limit_reached, 409, "practice_limit_reached",
                    "今天的练习次数已用完，明天再来"},
    api_error_entry{no_mistakes, 409, "no_mistakes", "错题本里还没有题目"},
    api_error_entry{participant_boards_disabled, 404, "not_found", "个人排行榜未开放"},
    api_error_entry{prize_already_sent, 409, "prize_already_sent",
                    "奖品已寄出，收货信息不能再修改"},
    api_error_entry{bulletin_snapshot_not_found, 404, "not_found", "通报快照不存在"},
    // The campaign's reporting forms (issue 17); the detail names the field.
    api_error_entry{invalid_reporting_form, 404, "not_found",
                    "没有该报表（contacts 为联络员反馈表，progress 为活动进展情况统计表）"},
    api_error_entry{invalid_reporting_request, 400, "invalid_request",
                    "form 须为 contacts 或 progress，format 须为 xlsx 或 csv"},
    api_error_entry{reporting_unknown_field, 400, "invalid_field", "表中没有该栏目"},
    api_error_entry{reporting_field_missing, 400, "invalid_field", "提交前请填写全部必填栏目"},
    api_error_entry{reporting_count_invalid, 400, "invalid_field",
                    "数量须为 0 到 10000000 之间的整数"},
    api_error_entry{reporting_text_invalid, 400, "invalid_field",
                    "内容为空、过长、格式不符或含有不可见字符"},
    api_error_entry{reporting_phone_invalid, 400, "invalid_field",
                    "电话号码格式不正确（如 0951-1234567 或 11 位手机号码）"},
    api_error_entry{reporting_email_invalid, 400, "invalid_field", "电子邮箱格式不正确"},
    api_error_entry{reporting_date_invalid, 400, "invalid_field", "日期须为 YYYY-MM-DD"},
    api_error_entry{reporting_gender_invalid, 400, "invalid_field", "性别须为“男”或“女”"},
    api_error_entry{reporting_filer_only, 403, "forbidden",
                    "成员单位账号只能查看和填报本单位的报表"},
    // The 6·16 big screen (issue 17).
    api_error_entry{screen_unauthorized, 401, "screen_unauthorized",
                    "大屏需要管理账号登录或大屏令牌"},
    api_error_entry{screen_full, 503, "screen_full", "大屏连接数已满，请稍后再试", fixed, 5},
    // Also for participants outside the account's region or sector: nothing leaks.
    api_error_entry{participant_not_found, 404, "not_found", "未找到该参与者"},
    api_error_entry{invalid_correction, 400, "invalid_correction",
                    "更正须填写原因（1 到 200 个字符），并给出与当前不同的地区或单位"},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (static_cast<std::size_t>(catalogue[i].id) != i) {
      return false;
    }
  }
  return true;
}
static_assert(in_enum_order(), "the catalogue lists every api_error_code once, in enum order");
static_assert(catalogue.back().id == invalid_correction, "the catalogue ends with the enum");

}  // namespace

std::span<const api_error_entry> api_error_catalogue() {
  return catalogue;
}

const api_error_entry& describe(api_error_code id) {
  return catalogue.at(static_cast<std::size_t>(id));
}

std::string_view to_string(api_error_code id) noexcept {
  switch (id) {
    case bad_request: return "bad_request";
    case invalid_target: return "invalid_target";
    case header_too_large: return "header_too_large";
    case body_too_large: return "body_too_large";
    case no_such_route: return "no_such_route";
    case method_not_allowed: return "method_not_allowed";
    case too_many_connections: return "too_many_connections";
    case too_many_connections_from_address: return "too_many_connections_from_address";
    case overloaded: return "overloaded";
    case storage_unavailable: return "storage_unavailable";
    case internal_error: return "internal_error";
    case invalid_json: return "invalid_json";
    case invalid_request: return "invalid_request";
    case invalid_phone: return "invalid_phone";
    case invalid_name: return "invalid_name";
    case invalid_region: return "invalid_region";
    case invalid_unit: return "invalid_unit";
    case invalid_limit: return "invalid_limit";
    case invalid_query: return "invalid_query";
    case invalid_metric: return "invalid_metric";
    case invalid_day: return "invalid_day";
    case invalid_period: return "invalid_period";
    case invalid_choice: return "invalid_choice";
    case invalid_admin_request: return "invalid_admin_request";
    case invalid_bulletin_request: return "invalid_bulletin_request";
    case unauthorized: return "unauthorized";
    case admin_unauthorized: return "admin_unauthorized";
    case not_an_admin: return "not_an_admin";
    case region_forbidden: return "region_forbidden";
    case metrics_forbidden: return "metrics_forbidden";
    case invalid_code: return "invalid_code";
    case invalid_credentials: return "invalid_credentials";
    case code_requests_limited: return "code_requests_limited";
    case sign_in_locked: return "sign_in_locked";
    case sign_in_throttled: return "sign_in_throttled";
    case admin_locked: return "admin_locked";
    case not_found: return "not_found";
    case unit_not_found: return "unit_not_found";
    case profile_locked: return "profile_locked";
    case profile_incomplete: return "profile_incomplete";
    case already_answered: return "already_answered";
    case out_of_order: return "out_of_order";
    case attempt_finished: return "attempt_finished";
    case attempt_expired: return "attempt_expired";
    case competition_not_started: return "competition_not_started";
    case competition_closed: return "competition_closed";
    case already_attempted_today: return "already_attempted_today";
    case insufficient_questions: return "insufficient_questions";
    case no_draws_available: return "no_draws_available";
    case invalid_category: return "invalid_category";
    case invalid_address: return "invalid_address";
    case practice_disabled: return "practice_disabled";
    case practice_limit_reached: return "practice_limit_reached";
    case no_mistakes: return "no_mistakes";
    case participant_boards_disabled: return "participant_boards_disabled";
    case prize_already_sent: return "prize_already_sent";
    case bulletin_snapshot_not_found: return "bulletin_snapshot_not_found";
    case invalid_reporting_form: return "invalid_reporting_form";
    case invalid_reporting_request: return "invalid_reporting_request";
    case reporting_unknown_field: return "reporting_unknown_field";
    case reporting_field_missing: return "reporting_field_missing";
    case reporting_count_invalid: return "reporting_count_invalid";
    case reporting_text_invalid: return "reporting_text_invalid";
    case reporting_phone_invalid: return "reporting_phone_invalid";
    case reporting_email_invalid: return "reporting_email_invalid";
    case reporting_date_invalid: return "reporting_date_invalid";
    case reporting_gender_invalid: return "reporting_gender_invalid";
    case reporting_filer_only: return "reporting_filer_only";
    case screen_unauthorized: return "screen_unauthorized";
    case screen_full: return "screen_full";
    case participant_not_found: return "participant_not_found";
    case invalid_correction: return "invalid_correction";
  }
  return "internal_error";
}

api_response error_response(const api_error& error) {
  const api_error_entry& entry = describe(error.id);
  std::string message{entry.message};
  if (!error.detail.empty()) {
    message += "：" + error.detail;
  }
  boost::json::object body = error.extra;
  body["error"] = boost::json::object{{"code", entry.code}, {"message", message}};
  api_response response{
      entry.status, boost::json::serialize(body), "application/json; charset=utf-8", {}};
  response.load_refusal = entry.load_refusal;
  if (entry.retry == retry_policy::fixed) {
    response.headers.emplace_back("Retry-After", std::to_string(entry.retry_after_s));
  } else if (entry.retry == retry_policy::computed) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_s.value_or(1)));
  }
  return response;
}

api_response error_response(api_error_code id) {
  return error_response(api_error{id, {}, {}, {}});
}

api_response json_response(unsigned status, const boost::json::value& body) {
  return {status, boost::json::serialize(body), "application/json; charset=utf-8", {}};
}

}  // namespace anquanli
