// The 通报 as an office issues it: a title with the moment the numbers stand at, a summary
// paragraph written from the numbers, the rankings of every level from the first below the scope
// down to the one asked for (cities, counties, units), the units that did not take part, and the
// issuer, the date in official form and the 抄送 list ([bulletin] in the configuration). The HTML
// page and the PDF (bulletin_pdf.hpp) are two renderings of this one model.
#pragma once

#include <string>
#include <vector>

#include "server/store/bulletin.hpp"

namespace anquanli {

// [bulletin] in the configuration.
struct bulletin_issue {
  std::string issuer;  // e.g. 宁夏回族自治区安全生产委员会办公室; empty: no signature block
  // {competition} is the competition's title, {as_of} the 截至 moment.
  std::string title = "关于“{competition}”网络竞赛参与情况的通报（截至{as_of}）";
  std::vector<std::string> copy_to;  // 抄送
};

struct bulletin_document {
  std::string title;
  std::string as_of;             // 6月16日9时
  std::string summary;           // one paragraph
  std::string issued_on;         // 二〇二一年六月十六日
  std::vector<bulletin> levels;  // at least one; the last is the level asked for
  bool full = false;             // detail=full: codes and internal columns too
  bulletin_issue issue;
};

// The levels the issued document shows for a scope of `scope_level` (1 the province, 2 a city,
// 3 a county): from the first level below the scope down to the one asked for, or that one alone.
[[nodiscard]] std::vector<bulletin_level> document_levels(int scope_level, bulletin_level asked);

// The document of `levels` (same scope, period and ranking; the last is the level asked for).
// `competition` is the competition's title for the title template.
[[nodiscard]] bulletin_document make_bulletin_document(std::vector<bulletin> levels,
                                                       const bulletin_issue& issue,
                                                       const std::string& competition, bool full);

// A complete HTML5 page without script or inline style, for printing; links /print.css.
[[nodiscard]] std::string bulletin_document_html(const bulletin_document& document);

}  // namespace anquanli
