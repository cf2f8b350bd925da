// The campaign's reporting forms online (docs/api-office.md, "报表填报"): an office account fills
// its own 联络员反馈表 (附件2) and 活动进展情况统计表 (附件1), saves drafts and submits versions by
// the deadlines of [reporting]; an account of a region sees who in its subtree has and has not
// filed and exports the latest versions with the counts summed. An account filing for a member unit
// (an organisation) sees only its own forms.
#pragma once

#include "server/api/api_services.hpp"
#include "server/api/reporting_requests.hpp"

namespace anquanli {

class reporting_api {
 public:
  explicit reporting_api(const api_services& services) : services_(services) {}

  // GET …/forms/{form}: the form's fields, the due day, the draft and every version.
  boost::asio::awaitable<api_response> get_form(api_request& request, const admin_account& admin);
  // PUT …/forms/{form}: replaces the draft (200).
  boost::asio::awaitable<api_response> save_draft(api_request& request, const admin_account& admin);
  // POST …/forms/{form}/submit: a new version (201), audited.
  boost::asio::awaitable<api_response> submit(api_request& request, const admin_account& admin);
  // GET …/status?form=&region=: every expected filer of the subtree and its state.
  boost::asio::awaitable<api_response> status(api_request& request, const admin_account& admin);
  // GET …/export?form=&format=xlsx|csv&region=: the latest versions, counts summed (audited).
  boost::asio::awaitable<api_response> export_forms(api_request& request,
                                                    const admin_account& admin);

 private:
  // The region whose filers the account may see (the catalogue error otherwise).
  boost::asio::awaitable<parsed<std::string>> overview_scope(const reporting_query& query,
                                                             const admin_account& admin);
  [[nodiscard]] day_key due_of(reporting_form_kind form) const;

  const api_services& services_;
};

}  // namespace anquanli
