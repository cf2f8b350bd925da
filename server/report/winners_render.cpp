#include "server/report/winners_render.hpp"

#include <boost/json.hpp>

#include "server/report/bulletin_render.hpp"

namespace anquanli {

namespace {

boost::json::value optional_time(const std::optional<instant>& at, utc_offset offset) {
  return at ? boost::json::value(format_rfc3339(*at, offset)) : boost::json::value(nullptr);
}

// The delivery as the dashboard shows it: null until the winner has given details.
boost::json::value delivery_json(const std::map<std::int64_t, prize_delivery>& deliveries,
                                 std::int64_t draw_id, utc_offset offset) {
  const auto found = deliveries.find(draw_id);
  if (found == deliveries.end() || !found->second.claim) {
    return nullptr;
  }
  const prize_delivery& delivery = found->second;
  return boost::json::object{{"recipient", delivery.claim->recipient},
                             {"phone", delivery.claim->phone},
                             {"address", delivery.claim->address},
                             {"claimed_at", optional_time(delivery.claimed_at, offset)},
                             {"sent_at", optional_time(delivery.sent_at, offset)}};
}

}  // namespace

boost::json::value winners_json(const std::vector<winner_row>& rows,
                                const std::map<std::int64_t, prize_delivery>& deliveries,
                                utc_offset offset) {
  boost::json::array items;
  for (const auto& row : rows) {
    items.push_back(
        boost::json::object{{"draw_id", row.draw_id},
                            {"at", format_rfc3339(row.at, offset)},
                            {"name", row.name},
                            {"phone", row.phone},
                            {"unit", row.unit_name},
                            {"region", row.region_name},
                            {"prize", row.prize_name},
                            {"flagged", row.flagged},
                            {"delivery", delivery_json(deliveries, row.draw_id, offset)}});
  }
  return boost::json::object{{"items", std::move(items)}};
}

std::string winners_csv(const std::vector<winner_row>& rows,
                        const std::map<std::int64_t, prize_delivery>& deliveries,
                        utc_offset offset) {
  std::string csv =
      "\xEF\xBB\xBF" + csv_line({"抽奖编号", "时间", "姓名", "手机号", "单位", "地区", "奖品",
                                 "疑似机器答题", "收件人", "收件电话", "收货地址", "寄出时间"});
  for (const auto& row : rows) {
    const auto found = deliveries.find(row.draw_id);
    const prize_delivery delivery = found == deliveries.end() ? prize_delivery{} : found->second;
    const auto& claim = delivery.claim;
    csv += csv_line({std::to_string(row.draw_id), format_rfc3339(row.at, offset), row.name,
                     row.phone, row.unit_name, row.region_name, row.prize_name,
                     row.flagged ? "是" : "否", claim ? claim->recipient : "",
                     claim ? claim->phone : "", claim ? claim->address : "",
                     delivery.sent_at ? format_rfc3339(*delivery.sent_at, offset) : ""});
  }
  return csv;
}

}  // namespace anquanli
