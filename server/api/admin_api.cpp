#include "server/api/admin_api.hpp"

#include <boost/json.hpp>

#include "server/api/office_scope.hpp"
#include "server/api/outcome_errors.hpp"
#include "server/report/bulletin_document.hpp"
#include "server/report/bulletin_pdf.hpp"
#include "server/report/bulletin_render.hpp"
#include "server/report/winners_render.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

api_response download(std::string body, std::string type, const std::string& filename) {
  api_response response{200, std::move(body), std::move(type), {}};
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

json::object account_view(const admin_account& admin) {
  json::value sector = nullptr;
  if (admin.sector) {
    sector = json::string{*admin.sector};
  }
  return json::object{
      {"username", admin.username},
      {"region", json::object{{"code", admin.region_code}, {"name", admin.region_name}}},
      {"sector", std::move(sector)}};
}

// The bulletin in `format`: the data formats from the level asked for (the last of `levels`),
// the issued document (HTML, PDF) from every level. `extra` goes into the JSON (a snapshot's
// description).
api_response bulletin_download(std::vector<bulletin> levels, const std::string& format,
                               const std::string& filename, bool full, const bulletin_issue& issue,
                               const std::string& competition, const json::object& extra = {}) {
  const bulletin& report = levels.back();
  if (format == "csv") {
    return download(bulletin_csv(report), "text/csv; charset=utf-8", filename);
  }
  if (format == "xlsx") {
    return download(bulletin_xlsx(report),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename);
  }
  if (format == "html" || format == "pdf") {
    const bulletin_document document =
        make_bulletin_document(std::move(levels), issue, competition, full);
    if (format == "pdf") {
      return download(bulletin_document_pdf(document), "application/pdf", filename);
    }
    return api_response{200, bulletin_document_html(document), "text/html; charset=utf-8", {}};
  }
  json::object body = bulletin_json(report).as_object();
  for (const auto& [key, value] : extra) {
    body[key] = value;
  }
  return json_response(200, body);
}

bulletin_issue issue_of(const server_config& config) {
  return {config.bulletin.issuer, config.bulletin.title, config.bulletin.copy_to};
}

json::object snapshot_json(const bulletin_snapshot_summary& snapshot, utc_offset offset) {
  return json::object{
      {"id", snapshot.id},
      {"created_at", format_rfc3339(snapshot.created_at, offset)},
      {"created_by", snapshot.created_by},
      {"region", json::object{{"code", snapshot.scope_code}, {"name", snapshot.scope_name}}},
      {"level", to_string(snapshot.level)},
      {"rank_by", to_string(snapshot.rank_by)},
      {"sector", snapshot.sector ? json::value(*snapshot.sector) : json::value(nullptr)},
      {"from", to_string(snapshot.from)},
      {"to", to_string(snapshot.to)},
      {"title", snapshot.title ? json::value(*snapshot.title) : json::value(nullptr)},
      {"previous_id",
       snapshot.previous_id ? json::value(*snapshot.previous_id) : json::value(nullptr)},
      {"participants", snapshot.participants}};
}

// The bulletin of `region` for the period. A sector-scoped account's bulletins are always of its
// sector: another sector= is ignored (the bulletin's `sector` field says which one applied).
bulletin_request request_for(const std::string& region, const office_period& period,
                             bulletin_rank_by rank_by, const std::optional<std::string>& sector,
                             const admin_account& admin) {
  bulletin_request wanted;
  wanted.scope_code = region;
  wanted.from = period.from;
  wanted.to = period.to;
  wanted.rank_by = rank_by;
  wanted.sector = admin.sector ? admin.sector : sector;
  return wanted;
}

// The account sees snapshots of its region's subtree, and only its sector's when scoped to one.
bool may_see(const directory_snapshot& places, const admin_account& admin,
             const bulletin_snapshot_summary& snapshot) {
  return places.within(snapshot.scope_code, admin.region_code) &&
         (!admin.sector || snapshot.sector == admin.sector);
}

json::array options_view(const std::vector<option_count>& options) {
  json::array items;
  for (const auto& option : options) {
    items.push_back(json::object{{"text", option.text},
                                 {"chosen", option.chosen},
                                 {"correct", option.correct},
                                 {"most_chosen_wrong", option.most_chosen_wrong}});
  }
  return items;
}

// Answers, correct answers and accuracy (null without answers) per category; the scope's rows
// also count distinct participants.
json::array categories_view(const std::vector<category_figures>& categories, bool people) {
  json::array items;
  for (const auto& item : categories) {
    const auto accuracy = item.accuracy();
    json::object row{{"category", item.category},
                     {"answers", item.answers},
                     {"correct", item.correct},
                     {"accuracy", accuracy ? json::value(*accuracy) : json::value(nullptr)}};
    if (people) {
      row["participants"] = item.participants;
    }
    items.push_back(std::move(row));
  }
  return items;
}

}  // namespace

asio::awaitable<api_response> admin_api::login(api_request& request) {
  auto command = parse_admin_login(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const instant now = services_.clock.now();
  const auto result = co_await services_.store.admin_login(
      std::move(command->username), std::move(command->password), request.client_address, now);
  if (const auto error = error_for(result)) {
    co_return error_response(*error);
  }
  json::object body = account_view(result.account);
  body["token"] = result.token;
  body["expires_at"] = format_rfc3339(result.expires_at, services_.config.competition.offset);
  co_return json_response(200, body);
}

asio::awaitable<parsed<std::string>> admin_api::visible_region(const office_period& period,
                                                               const admin_account& admin) {
  const auto places = co_await services_.store.directory();
  co_return visible_to(*places, period.region_code.value_or(admin.region_code), admin);
}

asio::awaitable<api_response> admin_api::me(api_request& request, const admin_account& admin) {
  // The same scope checks as every office route, so a dashboard learns early that a region it
  // was linked to is not its own.
  const auto period = parse_office_period(request, services_.config.competition);
  if (!period) {
    co_return error_response(period.error());
  }
  if (const auto region = co_await visible_region(*period, admin); !region) {
    co_return error_response(region.error());
  }
  co_return json_response(200, account_view(admin));
}

asio::awaitable<api_response> admin_api::bulletin_export(api_request& request,
                                                         const admin_account& admin) {
  const auto command = parse_bulletin_export(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto region = co_await visible_region(command->period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  // Named before the co_await: GCC 12 destroys a braced temporary inside one twice.
  bulletin_request wanted =
      request_for(*region, command->period, command->rank_by, command->sector, admin);
  wanted.compare_to = command->compare_to;
  std::vector<bulletin_level> levels{command->level};
  if (command->format == "html" || command->format == "pdf") {
    levels = co_await levels_for(*region, command->level);
  }
  auto reports = co_await services_.store.build_bulletins(std::move(wanted), std::move(levels),
                                                          services_.clock.now());
  const std::string filename = "bulletin-" + *region + "-" + to_string(command->period.from) + "-" +
                               to_string(command->period.to) + "-" +
                               std::string{to_string(command->level)} + "." + command->format;
  co_return bulletin_download(std::move(reports), command->format, filename, command->full,
                              issue_of(services_.config), services_.config.competition.title);
}

asio::awaitable<std::vector<bulletin_level>> admin_api::levels_for(const std::string& region,
                                                                   bulletin_level level) {
  const auto places = co_await services_.store.directory();
  const auto* scope = places->find_region(region);
  co_return document_levels(scope == nullptr ? 1 : scope->level, level);
}

asio::awaitable<api_response> admin_api::create_snapshot(api_request& request,
                                                         const admin_account& admin) {
  auto command = parse_snapshot_create(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto region = co_await visible_region(command->period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  bulletin_request wanted =
      request_for(*region, command->period, command->rank_by, command->sector, admin);
  const instant now = services_.clock.now();
  auto levels = co_await levels_for(*region, command->level);
  bulletin_snapshot_draft draft;
  draft.created_by = admin.username;
  draft.created_at = now;
  draft.title = std::move(command->title);
  draft.title_template = services_.config.bulletin.title;
  draft.issuer = services_.config.bulletin.issuer;
  draft.copy_to = services_.config.bulletin.copy_to;
  draft.levels =
      co_await services_.store.build_bulletins(std::move(wanted), std::move(levels), now);
  const auto snapshot = co_await services_.store.create_bulletin_snapshot(std::move(draft));
  std::string action = "bulletin_snapshot";
  std::string detail =
      std::to_string(snapshot.id) + " " + *region + " " + std::string{to_string(snapshot.level)};
  co_await services_.store.audit(admin, std::move(action), request.client_address,
                                 std::move(detail), now);
  api_response response =
      json_response(201, snapshot_json(snapshot, services_.config.competition.offset));
  response.headers.emplace_back("Location",
                                "/api/v1/admin/bulletins/" + std::to_string(snapshot.id));
  co_return response;
}

asio::awaitable<api_response> admin_api::list_snapshots(api_request& request,
                                                        const admin_account& admin) {
  const auto page = parse_snapshot_page(request);
  if (!page) {
    co_return error_response(page.error());
  }
  bulletin_snapshot_filter filter;
  filter.scope_code = admin.region_code;
  filter.sector = admin.sector;
  filter.limit = page->limit;
  filter.before_id = page->before_id;
  json::array items;
  for (const auto& snapshot : co_await services_.store.list_bulletin_snapshots(std::move(filter))) {
    items.push_back(snapshot_json(snapshot, services_.config.competition.offset));
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::download_snapshot(api_request& request,
                                                           const admin_account& admin) {
  const auto command = parse_snapshot_download(request);
  if (!command) {
    co_return error_response(command.error());
  }
  auto snapshot = co_await services_.store.load_bulletin_snapshot(command->id);
  const auto places = co_await services_.store.directory();
  // Another office's snapshot is answered as one that does not exist: ids reveal nothing.
  if (!snapshot || !may_see(*places, admin, snapshot->summary)) {
    co_return error_response(api_error_code::bulletin_snapshot_not_found);
  }
  const auto& summary = snapshot->summary;
  const std::string filename = "bulletin-snapshot-" + std::to_string(summary.id) + "-" +
                               summary.scope_code + "-" + std::string{to_string(summary.level)} +
                               "." + command->format;
  const bulletin_issue issue{snapshot->issuer, snapshot->title_template, snapshot->copy_to};
  json::object described{{"snapshot", snapshot_json(summary, services_.config.competition.offset)}};
  co_return bulletin_download(std::move(snapshot->levels), command->format, filename, command->full,
                              issue, services_.config.competition.title, described);
}

asio::awaitable<api_response> admin_api::daily(api_request& request, const admin_account& admin) {
  const auto period = parse_office_period(request, services_.config.competition);
  if (!period) {
    co_return error_response(period.error());
  }
  const auto region = co_await visible_region(*period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  json::array items;
  for (const auto& row : co_await services_.store.daily(*region, period->from, period->to)) {
    items.push_back(json::object{{"day", row.day},
                                 {"participants", row.participants},
                                 {"participants_with_unit", row.participants_with_unit},
                                 {"participants_public", row.participants_public},
                                 {"new_participants", row.new_participants},
                                 {"attempts", row.attempts},
                                 {"points", row.points}});
  }
  co_return json_response(200, json::object{{"region", *region},
                                            {"from", to_string(period->from)},
                                            {"to", to_string(period->to)},
                                            {"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::winners(api_request& request, const admin_account& admin) {
  const auto command = parse_winners_export(request, services_.config.competition);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto region = co_await visible_region(command->period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  const auto rows = co_await services_.store.winners(*region);
  // The delivery details winners gave (PUT /api/v1/draws/{id}/claim), for the clerk who posts.
  const auto deliveries = co_await services_.store.prize_deliveries();
  // The list carries full phone numbers: who took it is recorded. (Arguments are named before
  // the co_await: GCC 12 destroys temporaries built inside one twice.)
  std::string action = "winners_export";
  std::string detail = *region + " " + command->format;
  co_await services_.store.audit(admin, std::move(action), request.client_address,
                                 std::move(detail), services_.clock.now());
  const utc_offset offset = services_.config.competition.offset;
  if (command->format == "csv") {
    co_return download(winners_csv(rows, deliveries, offset), "text/csv; charset=utf-8",
                       "winners-" + *region + ".csv");
  }
  co_return json_response(200, winners_json(rows, deliveries, offset));
}

asio::awaitable<api_response> admin_api::audit(api_request& request, const admin_account& admin) {
  const auto page = parse_audit_page(request);
  if (!page) {
    co_return error_response(page.error());
  }
  // Only the whole region's account reads the log: it shows every office's sign-ins.
  const auto places = co_await services_.store.directory();
  if (admin.region_code != places->root()) {
    co_return error_response(api_error_code::region_forbidden);
  }
  json::array items;
  for (const auto& entry : co_await services_.store.audit_log(page->limit, page->before_id)) {
    items.push_back(
        json::object{{"id", entry.id},
                     {"at", format_rfc3339(entry.at, services_.config.competition.offset)},
                     {"username", entry.username},
                     {"action", entry.action},
                     {"address", entry.address},
                     {"detail", entry.detail}});
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::question_stats(api_request& request,
                                                        const admin_account& admin) {
  const auto period = parse_office_period(request, services_.config.competition);
  if (!period) {
    co_return error_response(period.error());
  }
  const auto region = co_await visible_region(*period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  json::array items;
  for (const auto& stat :
       co_await services_.store.question_stats(*region, period->from, period->to)) {
    items.push_back(json::object{{"id", stat.id},
                                 {"category", stat.category},
                                 {"stem", stat.stem},
                                 {"served", stat.served},
                                 {"correct", stat.correct},
                                 {"correct_rate", stat.correct_rate()},
                                 {"options", options_view(stat.options)}});
  }
  co_return json_response(200, json::object{{"items", std::move(items)}});
}

asio::awaitable<api_response> admin_api::category_stats(api_request& request,
                                                        const admin_account& admin) {
  const auto period = parse_office_period(request, services_.config.competition);
  if (!period) {
    co_return error_response(period.error());
  }
  const auto region = co_await visible_region(*period, admin);
  if (!region) {
    co_return error_response(region.error());
  }
  const auto report = co_await services_.store.category_stats(*region, period->from, period->to);
  json::array regions;
  for (const auto& row : report.regions) {
    regions.push_back(json::object{{"code", row.code},
                                   {"name", row.name},
                                   {"categories", categories_view(row.categories, false)}});
  }
  co_return json_response(200,
                          json::object{{"region", *region},
                                       {"from", to_string(period->from)},
                                       {"to", to_string(period->to)},
                                       {"categories", categories_view(report.categories, true)},
                                       {"regions", std::move(regions)}});
}

}  // namespace anquanli
