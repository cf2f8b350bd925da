#include "server/report/bulletin_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "server/report/bulletin_render.hpp"

namespace anquanli {

namespace {

constexpr double page_width = 595.28;  // A4 in points
constexpr double page_height = 841.89;
constexpr double margin = 50.0;
constexpr double body_width = page_width - 2 * margin;
constexpr double bottom = page_height - margin;
constexpr double cell_padding = 2.0;
constexpr std::string_view font_family = "Noto Sans CJK SC";

struct surface_deleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct context_deleter {
  void operator()(cairo_t* context) const { cairo_destroy(context); }
};
struct layout_deleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
struct font_deleter {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
using layout_ptr = std::unique_ptr<PangoLayout, layout_deleter>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// How wide a column is against the others: the name widest, the rank narrowest.
double column_weight(std::string_view header) {
  if (header == "地区" || header == "单位") {
    return 2.6;
  }
  if (header == "上级地区" || header == "所在地区") {
    return 2.1;
  }
  if (header == "排名") {
    return 0.8;
  }
  return header == "编码" ? 1.3 : 1.0;
}

// Writes the document top to bottom, opening a new page whenever the next block does not fit.
class pdf_writer {
 public:
  explicit pdf_writer(std::string& out)
      : surface_(cairo_pdf_surface_create_for_stream(append_bytes, &out, page_width, page_height)),
        context_(cairo_create(surface_.get())) {
    cairo_set_line_width(context_.get(), 0.5);
  }

  // A paragraph across the body; `centered` for titles.
  void paragraph(const std::string& text, double size, bool bold, bool centered,
                 double space_after) {
    layout_ptr layout = make_layout(text, size, bold, body_width);
    if (centered) {
      pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    }
    const double height = height_of(layout.get());
    make_room(height);
    draw(layout.get(), margin, y_);
    y_ += height + space_after;
  }

  // A right-aligned line (the issuer and the date under the text).
  void right_line(const std::string& text, double size) {
    layout_ptr layout = make_layout(text, size, false, body_width);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
    const double height = height_of(layout.get());
    make_room(height);
    draw(layout.get(), margin, y_);
    y_ += height + 4;
  }

  // A caption, the header row (again on each new page), the rows, and the totals when given.
  void table(const std::string& caption, const text_table& table, bool with_totals) {
    paragraph(caption, 10, true, false, 4);
    std::vector<double> widths;
    double total_weight = 0;
    for (const auto& header : table.headers) {
      total_weight += column_weight(header);
    }
    for (const auto& header : table.headers) {
      widths.push_back(body_width * column_weight(header) / total_weight);
    }
    row(table.headers, widths, true);
    for (const auto& cells : table.rows) {
      if (!row(cells, widths, false)) {
        row(table.headers, widths, true);
        row(cells, widths, false);
      }
    }
    if (with_totals) {
      if (!row(table.totals, widths, true)) {
        row(table.headers, widths, true);
        row(table.totals, widths, true);
      }
    }
    y_ += 10;
  }

  // Finishes the last page and the file.
  void finish() {
    page_number();
    cairo_show_page(context_.get());
    context_.reset();
    cairo_surface_finish(surface_.get());
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) {
      throw std::runtime_error(std::string{"cairo: "} +
                               cairo_status_to_string(cairo_surface_status(surface_.get())));
    }
  }

 private:
  layout_ptr make_layout(const std::string& text, double size, bool bold, double width) {
    layout_ptr layout(pango_cairo_create_layout(context_.get()));
    std::unique_ptr<PangoFontDescription, font_deleter> font(pango_font_description_new());
    pango_font_description_set_family(font.get(), font_family.data());
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
  }

  static double height_of(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return static_cast<double>(height) / PANGO_SCALE;
  }

  void draw(PangoLayout* layout, double x, double y) {
    cairo_move_to(context_.get(), x, y);
    pango_cairo_show_layout(context_.get(), layout);
  }

  // Draws one row of cells; false (and a new page, nothing drawn) when it does not fit.
  bool row(const std::vector<std::string>& cells, const std::vector<double>& widths, bool bold) {
    std::vector<layout_ptr> layouts;
    double height = 0;
    for (std::size_t at = 0; at < cells.size() && at < widths.size(); ++at) {
      layouts.push_back(make_layout(cells[at], 7, bold, widths[at] - 2 * cell_padding));
      height = std::max(height, height_of(layouts.back().get()));
    }
    height += 2 * cell_padding;
    if (y_ + height > bottom) {
      new_page();
      return false;
    }
    double x = margin;
    for (std::size_t at = 0; at < layouts.size(); ++at) {
      cairo_rectangle(context_.get(), x, y_, widths[at], height);
      cairo_stroke(context_.get());
      draw(layouts[at].get(), x + cell_padding, y_ + cell_padding);
      x += widths[at];
    }
    y_ += height;
    return true;
  }

  void make_room(double height) {
    if (y_ + height > bottom) {
      new_page();
    }
  }

  void new_page() {
    page_number();
    cairo_show_page(context_.get());
    ++page_;
    y_ = margin;
  }

  void page_number() {
    layout_ptr layout = make_layout("— " + std::to_string(page_) + " —", 8, false, body_width);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    draw(layout.get(), margin, page_height - margin / 2 - 6);
  }

  std::unique_ptr<cairo_surface_t, surface_deleter> surface_;
  std::unique_ptr<cairo_t, context_deleter> context_;
  double y_ = margin;
  int page_ = 1;
};

void write_units(pdf_writer& writer, const bulletin_document& document) {
  const bulletin& asked = document.levels.back();
  if (asked.zero_participation.empty()) {
    writer.paragraph("未参与单位：无。", 10, false, false, 8);
    return;
  }
  text_table units;
  units.headers = zero_participation_headers(document.full);
  for (const auto& unit : asked.zero_participation) {
    units.rows.push_back(zero_participation_cells(unit, document.full));
  }
  writer.table("未参与单位（" + std::to_string(asked.zero_participation.size()) + " 个）", units,
               false);
}

}  // namespace

std::string bulletin_document_pdf(const bulletin_document& document) {
  std::string out;
  pdf_writer writer(out);
  writer.paragraph(document.title, 15, true, true, 12);
  writer.paragraph(document.summary, 10.5, false, false, 6);
  writer.paragraph(std::string{bulletin_populations_note()}, 8.5, false, false, 12);
  for (const bulletin& level : document.levels) {
    writer.table(bulletin_ranking_caption(level), bulletin_ranking_table(level, document.full, "—"),
                 true);
  }
  const bulletin& asked = document.levels.back();
  writer.table(bulletin_public_caption(asked), bulletin_public_table(asked, document.full, "—"),
               true);
  write_units(writer, document);
  if (!document.issue.issuer.empty()) {
    writer.right_line(document.issue.issuer, 10.5);
  }
  writer.right_line(document.issued_on, 10.5);
  if (!document.issue.copy_to.empty()) {
    std::string copy_to;
    for (const auto& name : document.issue.copy_to) {
      copy_to += (copy_to.empty() ? "" : "，") + name;
    }
    writer.paragraph("抄送：" + copy_to + "。", 10, false, false, 0);
  }
  writer.finish();
  return out;
}

}  // namespace anquanli
