#include "server/api/route_table.hpp"

#include <spdlog/spdlog.h>

#include "server/api/admin_requests.hpp"
#include "server/api/leaderboard_requests.hpp"
#include "server/api/participant_lookup_requests.hpp"
#include "server/api/participant_requests.hpp"
#include "server/api/personal_requests.hpp"
#include "server/api/reporting_requests.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

template <class Api>
using open_member = asio::awaitable<api_response> (Api::*)(api_request&);
template <class Api>
using participant_member = asio::awaitable<api_response> (Api::*)(api_request&, participant_id);
template <class Api>
using admin_member = asio::awaitable<api_response> (Api::*)(api_request&, const admin_account&);

// Storage failures end here, as catalogue errors: nothing of the request was committed, so the
// client may send it again.
asio::awaitable<api_response> guarded(std::shared_ptr<const request_handler> inner,
                                      api_request& request) {
  try {
    co_return co_await (*inner)(request);
  } catch (const store_overloaded&) {
    co_return error_response(api_error_code::overloaded);
  } catch (const store_unavailable& failure) {
    spdlog::error("{} {}: storage unavailable: {}", request.method, request.path, failure.what());
    co_return error_response(api_error_code::storage_unavailable);
  }
}

template <class Api>
asio::awaitable<api_response> as_participant(const api_services& services, Api& api,
                                             participant_member<Api> member, api_request& request) {
  const auto who = co_await services.store.authenticate(request.bearer_token, services.clock.now());
  if (!who) {
    co_return error_response(api_error_code::unauthorized);
  }
  co_return co_await (api.*member)(request, *who);
}

template <class Api>
asio::awaitable<api_response> as_office(const api_services& services, Api& api,
                                        admin_member<Api> member, api_request& request) {
  const instant now = services.clock.now();
  const auto admin = co_await services.store.authenticate_admin(request.bearer_token, now);
  if (!admin) {
    // A participant's token is known but may not do this: 403 tells them so.
    if (!request.bearer_token.empty() &&
        co_await services.store.authenticate(request.bearer_token, now)) {
      co_return error_response(api_error_code::not_an_admin);
    }
    co_return error_response(api_error_code::admin_unauthorized);
  }
  co_return co_await (api.*member)(request, *admin);
}

struct bound_handler {
  request_handler handle;
  auth_kind auth = auth_kind::none;
};

// Binds member functions of the handler objects, with the authentication their route needs.
class binder {
 public:
  binder(const api_handlers& handlers, const api_services& services)
      : handlers_(handlers), services_(services) {}

  template <class Api>
  [[nodiscard]] bound_handler anyone(open_member<Api> member) const {
    Api& api = object<Api>();
    return {[&api, member](api_request& request) { return (api.*member)(request); },
            auth_kind::none};
  }
  template <class Api>
  [[nodiscard]] bound_handler participant(participant_member<Api> member) const {
    Api& api = object<Api>();
    const api_services& services = services_;
    return {[&services, &api, member](api_request& request) {
              return as_participant(services, api, member, request);
            },
            auth_kind::participant};
  }
  template <class Api>
  [[nodiscard]] bound_handler office(admin_member<Api> member) const {
    Api& api = object<Api>();
    const api_services& services = services_;
    return {[&services, &api, member](api_request& request) {
              return as_office(services, api, member, request);
            },
            auth_kind::admin};
  }

 private:
  template <class Api>
  Api& object() const {
    if constexpr (std::is_same_v<Api, system_api>) {
      return handlers_.system;
    } else if constexpr (std::is_same_v<Api, participant_api>) {
      return handlers_.participants;
    } else if constexpr (std::is_same_v<Api, leaderboard_api>) {
      return handlers_.leaderboards;
    } else if constexpr (std::is_same_v<Api, history_api>) {
      return handlers_.history;
    } else if constexpr (std::is_same_v<Api, practice_api>) {
      return handlers_.practice;
    } else if constexpr (std::is_same_v<Api, prizes_api>) {
      return handlers_.prizes;
    } else if constexpr (std::is_same_v<Api, participant_board_api>) {
      return handlers_.people;
    } else if constexpr (std::is_same_v<Api, reporting_api>) {
      return handlers_.reporting;
    } else if constexpr (std::is_same_v<Api, screen_api>) {
      return handlers_.screen;
    } else if constexpr (std::is_same_v<Api, participant_lookup_api>) {
      return handlers_.lookup;
    } else {
      return handlers_.office;
    }
  }

  const api_handlers& handlers_;
  const api_services& services_;
};

// Binds nothing: the routes of api_route_listing keep only who may call them.
class unbound {
 public:
  template <class Api>
  [[nodiscard]] bound_handler anyone(open_member<Api> /*member*/) const {
    return {{}, auth_kind::none};
  }
  template <class Api>
  [[nodiscard]] bound_handler participant(participant_member<Api> /*member*/) const {
    return {{}, auth_kind::participant};
  }
  template <class Api>
  [[nodiscard]] bound_handler office(admin_member<Api> /*member*/) const {
    return {{}, auth_kind::admin};
  }
};

// A route's parse_ function as a check that keeps only the error.
template <class Parse>
request_check checks(Parse parse) {
  return [parse](const api_request& request) -> std::optional<api_error> {
    const auto result = parse(request);
    return result ? std::nullopt : std::optional<api_error>{result.error()};
  };
}

template <class Parse>
request_check checks_with_rules(Parse parse, const competition_rules& rules) {
  return [parse, &rules](const api_request& request) -> std::optional<api_error> {
    const auto result = parse(request, rules);
    return result ? std::nullopt : std::optional<api_error>{result.error()};
  };
}

route make(std::string method, std::string pattern, bound_handler bound, request_check check = {},
           load_priority priority = load_priority::continues_work) {
  route made{std::move(method), std::move(pattern), {}, priority, bound.auth, std::move(check)};
  if (bound.handle) {
    auto inner = std::make_shared<const request_handler>(std::move(bound.handle));
    made.handle = [inner](api_request& request) { return guarded(inner, request); };
  }
  return made;
}

// THE table, bound by `to`: a binder (the server) or unbound (listings).
template <class Binder>
std::vector<route> route_table(const Binder& to, const competition_rules& rules) {
  constexpr auto begins_work = load_priority::begins_work;
  constexpr auto shared_read = load_priority::shared_read;
  using p = participant_api;
  using l = leaderboard_api;
  using a = admin_api;
  using s = system_api;
  using h = history_api;
  using pr = practice_api;
  using z = prizes_api;
  using pb = participant_board_api;
  using rp = reporting_api;
  using sc = screen_api;  // checks its own access: public, office sign-in or screen token
  using o = participant_lookup_api;
  // clang-format off
  return {
    //    method  pattern                            caller and handler              request checks                                     load
    make("GET",  "/healthz",                         to.anyone(&s::healthz)),
    make("GET",  "/readyz",                          to.anyone(&s::readyz)),
    make("GET",  "/metrics",                         to.anyone(&s::metrics)),

    make("GET",  "/api/v1/competition",              to.anyone(&p::competition)),
    make("GET",  "/api/v1/regions",                  to.anyone(&p::regions)),
    make("GET",  "/api/v1/units",                    to.anyone(&p::units),          checks(parse_unit_search)),
    make("POST", "/api/v1/auth/code",                to.anyone(&p::request_code),   checks(parse_code_request),                        begins_work),
    make("POST", "/api/v1/auth/login",               to.anyone(&p::login),          checks(parse_login),                               begins_work),
    make("GET",  "/api/v1/me",                       to.participant(&p::get_me)),
    make("PUT",  "/api/v1/me",                       to.participant(&p::put_me),    checks(parse_profile)),
    make("POST", "/api/v1/attempts",                 to.participant(&p::start_attempt), {},                                            begins_work),
    make("GET",  "/api/v1/attempts/{id}",            to.participant(&p::get_attempt), checks(parse_attempt_ref)),
    make("POST", "/api/v1/attempts/{id}/answers",    to.participant(&p::answer),    checks(parse_answer)),
    make("POST", "/api/v1/attempts/{id}/finish",     to.participant(&p::finish),    checks(parse_attempt_ref)),
    make("POST", "/api/v1/draws",                    to.participant(&p::draw)),
    make("GET",  "/api/v1/draws",                    to.participant(&p::list_draws)),
    make("GET",  "/api/v1/me/attempts",              to.participant(&h::attempts),  checks(parse_history_query)),
    make("GET",  "/api/v1/me/mistakes",              to.participant(&h::mistakes)),
    make("POST", "/api/v1/practice",                 to.participant(&pr::start),    checks(parse_practice),                            begins_work),
    make("GET",  "/api/v1/prizes",                   to.anyone(&z::prizes)),
    make("GET",  "/api/v1/winners",                  to.anyone(&z::winners),        checks_with_rules(parse_winners_day, rules)),
    make("GET",  "/api/v1/draws/commitments",        to.anyone(&z::commitments)),
    make("PUT",  "/api/v1/draws/{id}/claim",         to.participant(&z::claim),     checks(parse_claim)),

    make("GET",  "/api/v1/leaderboards/regions",     to.anyone(&l::regions),        checks_with_rules(parse_region_board, rules),     shared_read),
    make("GET",  "/api/v1/leaderboards/units",       to.anyone(&l::units),          checks_with_rules(parse_unit_board, rules),       shared_read),
    make("GET",  "/api/v1/leaderboards/units/{id}",  to.anyone(&l::unit_standing),  checks_with_rules(parse_unit_standing, rules),    shared_read),
    make("GET",  "/api/v1/leaderboards/participants", to.anyone(&pb::board),        checks_with_rules(parse_participant_board, rules), shared_read),

    make("POST", "/api/v1/admin/login",              to.anyone(&a::login),          checks(parse_admin_login)),
    make("GET",  "/api/v1/admin/me",                 to.office(&a::me),             checks_with_rules(parse_office_period, rules)),
    make("GET",  "/api/v1/admin/bulletin",           to.office(&a::bulletin_export), checks_with_rules(parse_bulletin_export, rules)),
    make("POST", "/api/v1/admin/bulletins",          to.office(&a::create_snapshot), checks_with_rules(parse_snapshot_create, rules)),
    make("GET",  "/api/v1/admin/bulletins",          to.office(&a::list_snapshots), checks(parse_snapshot_page)),
    make("GET",  "/api/v1/admin/bulletins/{id}",     to.office(&a::download_snapshot), checks(parse_snapshot_download)),
    make("GET",  "/api/v1/admin/daily",              to.office(&a::daily),          checks_with_rules(parse_office_period, rules)),
    make("GET",  "/api/v1/admin/winners",            to.office(&a::winners),        checks_with_rules(parse_winners_export, rules)),
    make("GET",  "/api/v1/admin/questions/stats",    to.office(&a::question_stats), checks_with_rules(parse_office_period, rules)),
    make("GET",  "/api/v1/admin/categories/stats",   to.office(&a::category_stats), checks_with_rules(parse_office_period, rules)),
    make("GET",  "/api/v1/admin/audit",              to.office(&a::audit),          checks(parse_audit_page)),
    make("POST", "/api/v1/admin/draws/{id}/sent",    to.office(&z::mark_sent),      checks(parse_draw_ref)),
    make("GET",  "/api/v1/admin/reporting/forms/{form}", to.office(&rp::get_form),  checks(parse_reporting_form_ref)),
    make("PUT",  "/api/v1/admin/reporting/forms/{form}", to.office(&rp::save_draft), checks(parse_reporting_draft)),
    make("POST", "/api/v1/admin/reporting/forms/{form}/submit", to.office(&rp::submit), checks(parse_reporting_submission)),
    make("GET",  "/api/v1/admin/reporting/status",   to.office(&rp::status),        checks(parse_reporting_status)),
    make("GET",  "/api/v1/admin/reporting/export",   to.office(&rp::export_forms),  checks(parse_reporting_export)),

    make("GET",  "/api/v1/screen",                   to.anyone(&sc::snapshot)),
    make("GET",  "/api/v1/screen/stream",            to.anyone(&sc::stream)),
    make("GET",  "/api/v1/admin/participants",       to.office(&o::lookup),         checks(parse_participant_lookup)),
    make("POST", "/api/v1/admin/participants/{id}/correction", to.office(&o::correct), checks(parse_participant_correction)),
  };
  // clang-format on
}

}  // namespace

std::vector<route> api_routes(const api_handlers& handlers, const api_services& services) {
  return route_table(binder{handlers, services}, services.config.competition);
}

std::vector<route> api_route_listing(const competition_rules& rules) {
  return route_table(unbound{}, rules);
}

}  // namespace anquanli
