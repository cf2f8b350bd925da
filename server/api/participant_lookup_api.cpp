#include "server/api/participant_lookup_api.hpp"

#include <boost/json.hpp>

#include "server/api/office_scope.hpp"
#include "server/core/phone_number.hpp"

namespace anquanli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// True when the account may see the participant: inside its region's subtree and, for a
// sector-scoped account, in a unit of its sector. People without a region yet (an unfinished
// profile) are seen by the whole region's account only.
bool in_scope(const participant_file& file, const admin_account& admin,
              const directory_snapshot& places) {
  if (!file.region) {
    return admin.region_code == places.root() && !admin.sector;
  }
  if (!places.within(file.region->id, admin.region_code)) {
    return false;
  }
  if (!admin.sector) {
    return true;
  }
  const unit* found = file.unit ? places.find_unit(file.unit->id) : nullptr;
  return found != nullptr && found->sector == *admin.sector;
}

json::value ref_view(const std::optional<named_ref>& ref, std::string_view id_key) {
  if (!ref) {
    return nullptr;
  }
  return json::object{{id_key, ref->id}, {"name", ref->name}};
}

json::value time_view(const std::optional<instant>& at, utc_offset offset) {
  return at ? json::value(format_rfc3339(*at, offset)) : json::value(nullptr);
}

json::value number_view(const std::optional<int>& number) {
  return number ? json::value(*number) : json::value(nullptr);
}

json::array challenges_view(const participant_file& file, utc_offset offset) {
  json::array items;
  for (const auto& item : file.challenges) {
    items.push_back(json::object{{"attempt_id", item.attempt_id},
                                 {"day", item.day},
                                 {"status", item.status},
                                 {"started_at", format_rfc3339(item.started_at, offset)},
                                 {"correct", number_view(item.correct)},
                                 {"points", number_view(item.points)},
                                 {"flagged", item.flagged},
                                 {"region", ref_view(item.region, "code")},
                                 {"unit", ref_view(item.unit, "id")}});
  }
  return items;
}

std::string_view delivery_of(const looked_up_draw& draw) {
  if (!draw.prize) {
    return "no_prize";
  }
  if (draw.sent_at) {
    return "sent";
  }
  return draw.claimed_at ? "claimed" : "unclaimed";
}

json::array draws_view(const participant_file& file, utc_offset offset) {
  json::array items;
  for (const auto& item : file.draws) {
    items.push_back(json::object{{"draw_id", item.draw_id},
                                 {"at", format_rfc3339(item.at, offset)},
                                 {"day", item.day},
                                 {"prize", ref_view(item.prize, "id")},
                                 {"delivery", delivery_of(item)},
                                 {"claimed_at", time_view(item.claimed_at, offset)},
                                 {"sent_at", time_view(item.sent_at, offset)}});
  }
  return items;
}

json::array corrections_view(const participant_file& file, utc_offset offset) {
  json::array items;
  for (const auto& item : file.corrections) {
    items.push_back(
        json::object{{"id", item.id},
                     {"at", format_rfc3339(item.at, offset)},
                     {"by", item.username},
                     {"from", json::object{{"region", ref_view(item.from_region, "code")},
                                           {"unit", ref_view(item.from_unit, "id")}}},
                     {"to", json::object{{"region", ref_view(item.to_region, "code")},
                                         {"unit", ref_view(item.to_unit, "id")}}},
                     {"reason", item.reason}});
  }
  return items;
}

json::object file_view(const participant_file& file, const directory_snapshot& places,
                       utc_offset offset) {
  json::value unit_json = ref_view(file.unit, "id");
  if (const unit* found = file.unit ? places.find_unit(file.unit->id) : nullptr) {
    unit_json.as_object()["sector"] = found->sector;
  }
  const json::object profile{{"id", file.id.value()},
                             {"phone", file.phone_masked},
                             {"name", file.name},
                             {"region", ref_view(file.region, "code")},
                             {"unit", std::move(unit_json)},
                             {"joined_at", format_rfc3339(file.joined_at, offset)},
                             {"consent_at", time_view(file.consent_at, offset)},
                             {"draws_earned", file.draws_earned},
                             {"draws_used", file.draws.size()}};
  return json::object{{"participant", profile},
                      {"challenges", challenges_view(file, offset)},
                      {"draws", draws_view(file, offset)},
                      {"corrections", corrections_view(file, offset)}};
}

std::string lookup_detail(const std::string& phone, const std::optional<participant_file>& file,
                          bool visible) {
  std::string detail = mask_phone(phone);
  if (!file) {
    return detail + " not_found";
  }
  return detail + " participant " + std::to_string(file->id.value()) +
         (visible ? "" : " out_of_scope");
}

}  // namespace

asio::awaitable<api_response> participant_lookup_api::lookup(api_request& request,
                                                             const admin_account& admin) {
  const auto command = parse_participant_lookup(request);
  if (!command) {
    co_return error_response(command.error());
  }
  const auto file = co_await services_.store.find_participant(command->phone);
  const auto places = co_await services_.store.directory();
  const bool visible = file && in_scope(*file, admin, *places);
  // Named before the co_await: GCC 12 destroys temporaries built inside one twice.
  std::string action = "participant_lookup";
  std::string detail = lookup_detail(command->phone, file, visible);
  co_await services_.store.audit(admin, std::move(action), request.client_address,
                                 std::move(detail), services_.clock.now());
  if (!visible) {
    co_return error_response(api_error_code::participant_not_found);
  }
  co_return json_response(200, file_view(*file, *places, services_.config.competition.offset));
}

asio::awaitable<std::optional<api_error>> participant_lookup_api::check_target(
    const placement_change& change, const participant_file& file, const admin_account& admin) {
  const auto places = co_await services_.store.directory();
  const std::string region =
      change.region_code.value_or(file.region ? file.region->id : std::string{});
  if (const auto visible = visible_to(*places, region, admin); !visible) {
    co_return visible.error();
  }
  if (!change.unit_id) {
    co_return std::nullopt;  // the current unit, which the account sees
  }
  const unit* target = change.unit_id->empty() ? nullptr : places->find_unit(*change.unit_id);
  if (!change.unit_id->empty() && target == nullptr) {
    co_return api_error{api_error_code::invalid_unit, {}, {}, {}};
  }
  // A unit higher up than the account's region, or (for a sector's account) no unit or one of
  // another sector, would take the participant out of the account's sight.
  const bool unit_visible = target == nullptr
                                ? !admin.sector
                                : places->within(target->region_code, admin.region_code) &&
                                      (!admin.sector || target->sector == *admin.sector);
  if (!unit_visible) {
    co_return api_error{api_error_code::region_forbidden, {}, {}, {}};
  }
  co_return std::nullopt;
}

asio::awaitable<api_response> participant_lookup_api::correct(api_request& request,
                                                              const admin_account& admin) {
  auto change = parse_participant_correction(request);
  if (!change) {
    co_return error_response(change.error());
  }
  const auto file = co_await services_.store.participant_file_of(change->who);
  const auto places = co_await services_.store.directory();
  if (!file || !in_scope(*file, admin, *places)) {
    co_return error_response(api_error_code::participant_not_found);
  }
  if (const auto refused = co_await check_target(*change, *file, admin)) {
    co_return error_response(*refused);
  }
  const auto outcome = co_await services_.store.correct_participant(
      *change, admin, request.client_address, services_.clock.now());
  switch (outcome) {
    case correction_outcome::corrected: break;
    case correction_outcome::not_found:
      co_return error_response(api_error_code::participant_not_found);
    case correction_outcome::invalid_region:
      co_return error_response(api_error_code::invalid_region);
    case correction_outcome::invalid_unit: co_return error_response(api_error_code::invalid_unit);
    case correction_outcome::unchanged:
      co_return error_response(error_with(api_error_code::invalid_correction, "与当前相同"));
  }
  const auto updated = co_await services_.store.participant_file_of(change->who);
  co_return json_response(200, file_view(*updated, *places, services_.config.competition.offset));
}

}  // namespace anquanli
