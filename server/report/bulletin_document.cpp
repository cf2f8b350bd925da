#include "server/report/bulletin_document.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "server/report/bulletin_render.hpp"
#include "server/report/official_date.hpp"

namespace anquanli {

namespace {

std::string replaced(std::string text, std::string_view name, const std::string& value) {
  for (auto at = text.find(name); at != std::string::npos;
       at = text.find(name, at + value.size())) {
    text.replace(at, name.size(), value);
  }
  return text;
}

std::string_view rank_by_noun(bulletin_rank_by rank_by) {
  switch (rank_by) {
    case bulletin_rank_by::participants: return "干部职工参与人数";
    case bulletin_rank_by::rate: return "完成率（参与率）";
    case bulletin_rank_by::points: return "积分";
    case bulletin_rank_by::attempts: return "参与人次";
  }
  return "参与人数";
}

// Up to three names of the rows with `rank`, joined with 、.
std::string names_ranked(const std::vector<bulletin_row>& rows, int rank) {
  std::string names;
  int listed = 0;
  for (const bulletin_row& row : rows) {
    if (row.rank == rank && listed < 3) {
      names += (listed++ > 0 ? "、" : "") + row.name;
    }
  }
  return names;
}

// Who leads and who lags in the first level's ranking, and what moved since the comparison day.
std::string ranking_sentences(const bulletin& first) {
  int last_rank = 0;
  for (const bulletin_row& row : first.rows) {
    last_rank = std::max(last_rank, row.rank);
  }
  if (last_rank < 2) {
    return {};
  }
  std::string text = "按" + std::string{rank_by_noun(first.rank_by)} + "排名，" +
                     names_ranked(first.rows, 1) + "位居前列，" +
                     names_ranked(first.rows, last_rank) + "相对靠后。";
  if (has_movement(first)) {
    const std::string then =
        first.compare_to
            ? month_day(*first.compare_to)
            : readable_moment(first.compared_snapshot->generated_at, first.offset) + "的通报";
    text += "与" + then + "相比，新增参与" +
            std::to_string(first.totals.new_participants.value_or(0)) + "人";
    const auto mover = std::max_element(
        first.rows.begin(), first.rows.end(), [](const bulletin_row& a, const bulletin_row& b) {
          return a.rank_change.value_or(0) < b.rank_change.value_or(0);
        });
    if (mover != first.rows.end() && mover->rank_change.value_or(0) > 0) {
      text += "，" + mover->name + "排名上升" + std::to_string(*mover->rank_change) + "位";
    }
    text += "。";
  }
  return text;
}

std::string summary_of(const bulletin& first, const bulletin& asked, const std::string& as_of) {
  const bulletin_row& totals = first.totals;
  const std::string sector = first.sector ? *first.sector + "行业" : std::string{};
  std::string text = "截至" + as_of + "，" + first.scope_name + sector + "共有" +
                     std::to_string(totals.participants) + "人参与竞赛（其中干部职工" +
                     std::to_string(totals.participants_with_unit) + "人、社会公众" +
                     std::to_string(totals.participants_public) + "人），参与" +
                     std::to_string(totals.attempts) + "人次。";
  text += ranking_sentences(first);
  if (!asked.zero_participation.empty()) {
    text += "尚有" + std::to_string(asked.zero_participation.size()) + "个单位无人参与。";
  }
  return text;
}

// ---- HTML ----

void append_units(std::string& out, const bulletin_document& document) {
  const bulletin& asked = document.levels.back();
  out += "<section>\n<h2>未参与单位</h2>\n";
  if (asked.zero_participation.empty()) {
    out += "<p>无。</p>\n</section>\n";
    return;
  }
  text_table units;
  units.headers = zero_participation_headers(document.full);
  for (const auto& unit : asked.zero_participation) {
    units.rows.push_back(zero_participation_cells(unit, document.full));
  }
  append_html_table(out, "未参与单位（" + std::to_string(asked.zero_participation.size()) + " 个）",
                    units, false);
  out += "</section>\n";
}

void append_headcount_problems(std::string& out, const bulletin& asked) {
  out += "<section>\n<h2>职工人数异常的单位</h2>\n";
  if (asked.headcount_problems.empty()) {
    out += "<p>无：各单位职工人数均不少于其参与人数。</p>\n</section>\n";
    return;
  }
  text_table problems;
  problems.headers = {"编码", "单位", "所在地区", "职工人数", "干部职工参与人数"};
  for (const auto& problem : asked.headcount_problems) {
    problems.rows.push_back({problem.id, problem.name, problem.region_name,
                             std::to_string(problem.headcount),
                             std::to_string(problem.participants_with_unit)});
  }
  append_html_table(out, "职工人数异常的单位", problems, false);
  out += "</section>\n";
}

// The period and the moment the numbers were read, machine-readable in <time>.
void append_period(std::string& out, const bulletin& asked) {
  const std::string generated = format_rfc3339(asked.generated_at, asked.offset);
  out.append("<p class=\"period\">统计期间：<time datetime=\"")
      .append(to_string(asked.from))
      .append("\">")
      .append(month_day(asked.from))
      .append("</time>至<time datetime=\"")
      .append(to_string(asked.to))
      .append("\">")
      .append(month_day(asked.to))
      .append("</time>；数据生成于<time datetime=\"")
      .append(generated)
      .append("\">")
      .append(readable_moment(asked.generated_at, asked.offset))
      .append("</time></p>\n");
}

void append_signature(std::string& out, const bulletin_document& document) {
  out += "<footer>\n";
  if (!document.issue.issuer.empty()) {
    out.append("<p class=\"issuer\">").append(escape_html(document.issue.issuer)).append("</p>\n");
  }
  out.append("<p class=\"issued-on\">").append(document.issued_on).append("</p>\n");
  if (!document.issue.copy_to.empty()) {
    std::string copy_to;
    for (const auto& name : document.issue.copy_to) {
      copy_to += (copy_to.empty() ? "" : "，") + name;
    }
    out.append("<p class=\"copy-to\">抄送：").append(escape_html(copy_to)).append("。</p>\n");
  }
  out += "</footer>\n";
}

}  // namespace

std::vector<bulletin_level> document_levels(int scope_level, bulletin_level asked) {
  const bulletin_level first = scope_level <= 1   ? bulletin_level::city
                               : scope_level == 2 ? bulletin_level::county
                                                  : bulletin_level::unit;
  std::vector<bulletin_level> levels;
  for (const auto level : {bulletin_level::city, bulletin_level::county, bulletin_level::unit}) {
    if (level >= first && level <= asked) {
      levels.push_back(level);
    }
  }
  if (levels.empty()) {
    levels.push_back(asked);
  }
  return levels;
}

bulletin_document make_bulletin_document(std::vector<bulletin> levels, const bulletin_issue& issue,
                                         const std::string& competition, bool full) {
  bulletin_document document;
  const bulletin& asked = levels.back();
  document.as_of = as_of_text(asked.to, asked.generated_at, asked.offset);
  document.title =
      replaced(replaced(issue.title, "{competition}", competition), "{as_of}", document.as_of);
  document.summary = summary_of(levels.front(), asked, document.as_of);
  document.issued_on = official_date(day_key_of(asked.generated_at, asked.offset));
  document.full = full;
  document.issue = issue;
  document.levels = std::move(levels);
  return document;
}

std::string bulletin_document_html(const bulletin_document& document) {
  const std::string title = escape_html(document.title);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out.append("<title>").append(title).append("</title>\n");
  out += "<link rel=\"stylesheet\" href=\"/print.css\">\n</head>\n<body>\n<main>\n";
  out.append("<h1>").append(title).append("</h1>\n");
  out.append("<p class=\"summary\">").append(escape_html(document.summary)).append("</p>\n");
  append_period(out, document.levels.back());
  out.append("<p class=\"note\">").append(bulletin_populations_note()).append("</p>\n");
  for (const bulletin& level : document.levels) {
    out += "<section>\n";
    append_html_table(out, bulletin_ranking_caption(level),
                      bulletin_ranking_table(level, document.full, "—"), true);
    out += "</section>\n";
  }
  const bulletin& asked = document.levels.back();
  out += "<section>\n<h2>社会公众参与情况</h2>\n";
  append_html_table(out, bulletin_public_caption(asked),
                    bulletin_public_table(asked, document.full, "—"), true);
  out += "</section>\n";
  append_units(out, document);
  if (document.full) {
    append_headcount_problems(out, asked);
  }
  append_signature(out, document);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace anquanli
