#include "server/report/winners_render.hpp"

#include <boost/json.hpp>

#include "server/report/bulletin_render.hpp"

namespace anquanli {

boost::json::value winners_json(const std::vector<winner_row>& rows, utc_offset offset) {
  boost::json::array items;
  for (const auto& row : rows) {
    items.push_back(boost::json::object{{"draw_id", row.draw_id},
                                        {"at", format_rfc3339(row.at, offset)},
                                        {"name", row.name},
                                        {"phone", row.phone},
                                        {"unit", row.unit_name},
                                        {"region", row.region_name},
                                        {"prize", row.prize_name},
                                        {"flagged", row.flagged}});
  }
  return boost::json::object{{"items", std::move(items)}};
}

std::string winners_csv(const std::vector<winner_row>& rows, utc_offset offset) {
  std::string csv = "\xEF\xBB\xBF" + csv_line({"抽奖编号", "时间", "姓名", "手机号", "单位", "地区",
                                               "奖品", "疑似机器答题"});
  for (const auto& row : rows) {
    csv +=
        csv_line({std::to_string(row.draw_id), format_rfc3339(row.at, offset), row.name, row.phone,
                  row.unit_name, row.region_name, row.prize_name, row.flagged ? "是" : "否"});
  }
  return csv;
}

}  // namespace anquanli
