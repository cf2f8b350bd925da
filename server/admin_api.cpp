#include "server/admin_api.hpp"

#include <boost/json.hpp>

#include "server/api_error.hpp"
#include "server/bulletin_render.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

api_response download(std::string body, std::string type, const std::string& filename) {
  api_response response{200, std::move(body), std::move(type), {}};
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

std::string query_or(api_request& request, const std::string& name, std::string fallback) {
  const auto found = request.query.find(name);
  return found == request.query.end() || found->second.empty() ? fallback : found->second;
}

}  // namespace

std::vector<route> admin_api::routes() {
  const auto bind = [this](auto member) {
    return [this, member](api_request& request) { return (this->*member)(request); };
  };
  return {
      {"POST", "/api/v1/admin/login", bind(&admin_api::login)},
      {"GET", "/api/v1/admin/me", bind(&admin_api::me)},
      {"GET", "/api/v1/admin/bulletin", bind(&admin_api::bulletin_export)},
      {"GET", "/api/v1/admin/daily", bind(&admin_api::daily)},
      {"GET", "/api/v1/admin/winners", bind(&admin_api::winners)},
      {"GET", "/api/v1/admin/questions/stats", bind(&admin_api::question_stats)},
  };
}

asio::awaitable<api_response> admin_api::login(api_request& request) {
  boost::system::error_code error;
  const json::value body = json::parse(request.body, error);
  const auto* object = error ? nullptr : body.if_object();
  const auto* username = object ? object->if_contains("username") : nullptr;
  const auto* password = object ? object->if_contains("password") : nullptr;
  if (username == nullptr || password == nullptr || !username->is_string() ||
      !password->is_string() || username->get_string().size() > 64 ||
      password->get_string().size() > 256) {
    co_return error_response(400, "invalid_request", "请输入用户名和密码");
  }
  const instant now = clock_.now();
  std::string name{username->get_string()};
  std::string secret{password->get_string()};
  const auto result = co_await store_.admin_login(std::move(name), std::move(secret), now);
  if (result.outcome == admin_login_outcome::locked) {
    auto response = error_response(429, "too_many_requests", "密码错误次数过多，账号已暂时锁定");
    response.headers.emplace_back("Retry-After", std::to_string(result.retry_after_s));
    co_return response;
  }
  if (result.outcome == admin_login_outcome::invalid) {
    co_return error_response(401, "invalid_credentials", "用户名或密码错误");
  }
  co_return json_response(
      200,
      json::object{{"token", result.token},
                   {"expires_at", format_rfc3339(result.expires_at, config_.competition.offset)},
                   {"username", result.account.username},
                   {"region", json::object{{"code", result.account.region_code},
                                           {"name", result.account.region_name}}}});
}

asio::awaitable<std::variant<admin_api::scope, api_response>> admin_api::authorize(
    api_request& request) {
  const instant now = clock_.now();
  const auto admin = co_await store_.authenticate_admin(request.bearer_token, now);
  if (!admin) {
    if (!request.bearer_token.empty() && co_await store_.authenticate(request.bearer_token, now)) {
      co_return error_response(403, "forbidden", "该账号无权访问管理接口");
    }
    co_return error_response(401, "unauthorized", "请先登录管理账号");
  }
  scope granted{*admin, query_or(request, "region", admin->region_code),
                config_.competition.starts_on, config_.competition.ends_on};
  const auto places = co_await store_.directory();
  if (places->find_region(granted.region_code) == nullptr) {
    co_return error_response(400, "invalid_region", "地区不存在");
  }
  if (!places->within(granted.region_code, admin->region_code)) {
    co_return error_response(403, "forbidden", "无权查看该地区");
  }
  const auto from = parse_day_key(query_or(request, "from", to_string(granted.from)));
  const auto to = parse_day_key(query_or(request, "to", to_string(granted.to)));
  if (!from || !to || *to < *from) {
    co_return error_response(400, "invalid_period", "请提供有效的起止日期（YYYY-MM-DD）");
  }
  granted.from = *from;
  granted.to = *to;
  co_return granted;
}

asio::awaitable<api_response> admin_api::me(api_request& request) {
  auto allowed = co_await authorize(request);
  if (auto* refusal = std::get_if<api_response>(&allowed)) {
    co_return std::move(*refusal);
  }
  const auto& admin = std::get<scope>(allowed).admin;
  co_return json_response(200, json::object{{"username", admin.username},
                                            {"region", json::object{{"code", admin.region_code},
                                                                    {"name", admin.region_name}}}});
}

asio::awaitable<api_response> admin_api::bulletin_export(api_request& request) {
  auto allowed = co_await authorize(request);
  if (auto* refusal = std::get_if<api_response>(&allowed)) {
    co_return std::move(*refusal);
  }
  const scope& granted = std::get<scope>(allowed);
  const std::string level_name = query_or(request, "level", "city");
  const std::string format = query_or(request, "format", "json");
  std::optional<bulletin_level> level;
  for (const auto candidate :
       {bulletin_level::city, bulletin_level::county, bulletin_level::unit}) {
    if (to_string(candidate) == level_name)
      level = candidate;
  }
  if (!level || (format != "json" && format != "csv" && format != "xlsx" && format != "html")) {
    co_return error_response(400, "invalid_request",
                             "level 须为 city/county/unit，format 须为 json/csv/xlsx/html");
  }
  // Named before the co_await: GCC 12 destroys a braced temporary inside one twice.
  bulletin_request wanted{granted.region_code, granted.from, granted.to, *level};
  const bulletin report = co_await store_.build_bulletin(std::move(wanted), clock_.now());
  const std::string filename = "bulletin-" + granted.region_code + "-" + to_string(granted.from) +
                               "-" + to_string(granted.to) + "-" + level_name + "." + format;
  if (format == "csv") {
    co_return download(bulletin_csv(report), "text/csv; charset=utf-8", filename);
  }
  if (format == "xlsx") {
    co_return download(bulletin_xlsx(report),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       filename);
  }
  if (format == "html") {
    co_return api_response{200, bulletin_html(report), "text/html; charset=utf-8", {}};
  }
  co_return json_response(200, bulletin_json(report));
}

asio::awaitable<api_response> admin_api::daily(api_request& request) {
  auto allowed = co_await authorize(request);
  if (auto* refusal = std::get_if<api_response>(&allowed)) {
    co_return std::move(*refusal);
  }
  const scope& granted = std::get<scope>(allowed);
  json::array items;
  for (const auto& row : co_await store_.daily(granted.region_code, granted.from, granted.to)) {
    items.push_back(json::object{{"day", row.day},
                                 {"participants", row.participants},
                                 {"new_participants", row.new_participants},
                                 {"attempts", row.attempts},
                                 {"points", row.points}});
  }
  co_return json_response(200, json::object{{"region", granted.region_code},
                                            {"from", to_string(granted.from)},
                                            {"to", to_string(granted.to)},
                                            {"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::winners(api_request& request) {
  auto allowed = co_await authorize(request);
  if (auto* refusal = std::get_if<api_response>(&allowed)) {
    co_return std::move(*refusal);
  }
  const scope& granted = std::get<scope>(allowed);
  const auto rows = co_await store_.winners(granted.region_code);
  const auto at_text = [this](instant at) {
    return format_rfc3339(at, config_.competition.offset);
  };
  if (query_or(request, "format", "json") == "csv") {
    std::string csv =
        "\xEF\xBB\xBF" + csv_line({"抽奖编号", "时间", "姓名", "手机号", "单位", "地区", "奖品"});
    for (const auto& row : rows) {
      csv += csv_line({std::to_string(row.draw_id), at_text(row.at), row.name, row.phone,
                       row.unit_name, row.region_name, row.prize_name});
    }
    co_return download(std::move(csv), "text/csv; charset=utf-8",
                       "winners-" + granted.region_code + ".csv");
  }
  json::array items;
  for (const auto& row : rows) {
    items.push_back(json::object{{"draw_id", row.draw_id},
                                 {"at", at_text(row.at)},
                                 {"name", row.name},
                                 {"phone", row.phone},
                                 {"unit", row.unit_name},
                                 {"region", row.region_name},
                                 {"prize", row.prize_name},
                                 {"flagged", row.flagged}});
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::question_stats(api_request& request) {
  auto allowed = co_await authorize(request);
  if (auto* refusal = std::get_if<api_response>(&allowed)) {
    co_return std::move(*refusal);
  }
  json::array items;
  for (const auto& stat : co_await store_.question_stats(std::get<scope>(allowed).region_code)) {
    items.push_back(json::object{{"id", stat.id},
                                 {"category", stat.category},
                                 {"stem", stat.stem},
                                 {"served", stat.served},
                                 {"correct", stat.correct},
                                 {"correct_rate", stat.correct_rate()}});
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace anquanli
