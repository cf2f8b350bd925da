#include "tests/support/xlsx_reader.hpp"

#include <zlib.h>

#include <cstdint>
#include <regex>
#include <stdexcept>

namespace anquanli::test {

namespace {

std::uint32_t little_endian(const std::string& bytes, std::size_t at, std::size_t size) {
  std::uint32_t value = 0;
  for (std::size_t i = size; i > 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i - 1));
  }
  return value;
}

// The five predefined XML entities, as libxlsxwriter escapes text.
std::string xml_unescape(const std::string& text) {
  static const std::map<std::string, std::string> entities{
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    bool replaced = false;
    if (text[at] == '&') {
      for (const auto& [entity, character] : entities) {
        if (text.compare(at, entity.size(), entity) == 0) {
          out += character;
          at += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out += text[at++];
    }
  }
  return out;
}

std::vector<std::string> shared_strings(const std::string& xlsx) {
  std::vector<std::string> strings;
  const auto part = zip_entry(xlsx, "xl/sharedStrings.xml");
  if (!part) {
    return strings;
  }
  static const std::regex item(R"(<si><t[^>]*>([^<]*)</t></si>)");
  for (auto it = std::sregex_iterator(part->begin(), part->end(), item);
       it != std::sregex_iterator(); ++it) {
    strings.push_back(xml_unescape((*it)[1].str()));
  }
  return strings;
}

// "C7" -> column 2.
std::size_t column_of(const std::string& reference) {
  std::size_t column = 0;
  for (const char c : reference) {
    if (c < 'A' || c > 'Z') {
      break;
    }
    column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
  }
  return column - 1;
}

}  // namespace

std::optional<std::string> zip_entry(const std::string& zip, std::string_view name) {
  for (auto at = zip.find("PK\x01\x02"); at != std::string::npos;
       at = zip.find("PK\x01\x02", at + 4)) {
    const std::size_t name_size = little_endian(zip, at + 28, 2);
    if (zip.compare(at + 46, name_size, name) != 0 || name_size != name.size()) {
      continue;
    }
    const std::uint32_t method = little_endian(zip, at + 10, 2);
    const std::size_t packed = little_endian(zip, at + 20, 4);
    const std::size_t size = little_endian(zip, at + 24, 4);
    const std::size_t local = little_endian(zip, at + 42, 4);
    const std::size_t data =
        local + 30 + little_endian(zip, local + 26, 2) + little_endian(zip, local + 28, 2);
    if (method == 0) {
      return zip.substr(data, size);
    }
    std::string out(size, '\0');
    z_stream stream{};
    if (method != 8 || inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
      return std::nullopt;
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
    stream.avail_in = static_cast<uInt>(packed);
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(size);
    const int result = inflate(&stream, Z_FINISH);
    inflateEnd(&stream);
    return result == Z_STREAM_END ? std::optional<std::string>{out} : std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::vector<std::string>> xlsx_sheet_cells(const std::string& xlsx, int sheet) {
  const auto part = zip_entry(xlsx, "xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
  if (!part) {
    throw std::runtime_error("the workbook has no sheet " + std::to_string(sheet));
  }
  const std::vector<std::string> strings = shared_strings(xlsx);
  static const std::regex row_pattern(R"(<row [^>]*>(.*?)</row>)");
  static const std::regex cell_pattern(
      R"re(<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?</c>))re");
  std::vector<std::vector<std::string>> rows;
  for (auto row = std::sregex_iterator(part->begin(), part->end(), row_pattern);
       row != std::sregex_iterator(); ++row) {
    const std::string content = (*row)[1].str();
    std::vector<std::string> cells;
    for (auto cell = std::sregex_iterator(content.begin(), content.end(), cell_pattern);
         cell != std::sregex_iterator(); ++cell) {
      const std::size_t column = column_of((*cell)[1].str());
      cells.resize(std::max(cells.size(), column + 1));
      std::string value = (*cell)[3].str();
      if ((*cell)[2].str().find("t=\"s\"") != std::string::npos && !value.empty()) {
        value = strings.at(std::stoul(value));
      }
      cells[column] = value;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace anquanli::test
