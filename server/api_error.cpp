#include "server/api_error.hpp"

#include <boost/json.hpp>

namespace anquanli {

std::optional<api_error> error_for(verdict outcome) {
  switch (outcome) {
    case verdict::accepted:
    case verdict::answer_repeated:
    case verdict::prize_won:
    case verdict::no_prize: return std::nullopt;
    case verdict::already_answered:
      return api_error{409, "already_answered", "该题已作答，不能更改答案"};
    case verdict::out_of_order: return api_error{409, "out_of_order", "请按顺序作答当前题目"};
    case verdict::invalid_choice: return api_error{400, "invalid_choice", "所选选项无效"};
    case verdict::attempt_finished: return api_error{409, "attempt_finished", "本次挑战已结束"};
    case verdict::attempt_expired: return api_error{409, "attempt_expired", "本次挑战已超时"};
    case verdict::competition_not_started:
      return api_error{403, "competition_closed", "竞赛尚未开始"};
    case verdict::competition_closed: return api_error{403, "competition_closed", "竞赛已结束"};
    case verdict::daily_limit_reached:
      return api_error{409, "already_attempted_today", "今日已答题，请明天再来"};
    case verdict::profile_incomplete:
      return api_error{403, "profile_incomplete", "请先填写姓名和所在地区"};
    case verdict::insufficient_questions:
      return api_error{503, "insufficient_questions", "题库暂时无法组卷，请稍后再试"};
    case verdict::no_draws_available:
      return api_error{409, "no_draws_available", "暂无可用的抽奖机会"};
  }
  return api_error{500, "internal_error", "服务器内部错误"};
}

api_response error_response(unsigned status, std::string_view code, std::string_view message) {
  boost::json::object error{{"code", code}, {"message", message}};
  return {status,
          boost::json::serialize(boost::json::object{{"error", std::move(error)}}),
          "application/json; charset=utf-8",
          {}};
}

api_response json_response(unsigned status, const boost::json::value& body) {
  return {status, boost::json::serialize(body), "application/json; charset=utf-8", {}};
}

api_response error_response(const api_error& error) {
  return error_response(error.status, error.code, error.message);
}

}  // namespace anquanli
