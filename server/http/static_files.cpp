#include "server/http/static_files.hpp"

#include <sodium.h>
#include <fstream>
#include <iterator>

namespace anquanli {

namespace {

std::string content_type_of(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"}};
  const auto found = types.find(file.extension().string());
  return found == types.end() ? "application/octet-stream" : found->second;
}

std::shared_ptr<const static_file> load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  std::string hex(hash.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return std::make_shared<const static_file>(
      static_file{std::move(body), content_type_of(file), "\"" + hex + "\""});
}

bool skipped(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    const std::string name = part.string();
    if (name == "node_modules" || name == "tests" || name == "screenshots" ||
        name.starts_with(".")) {
      return true;
    }
  }
  return relative.filename() == "package.json" || relative.filename() == "package-lock.json";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> page_security_headers() {
  return {{"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
           "form-action 'self'; frame-ancestors 'none'"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"}};
}

static_files::static_files(const std::filesystem::path& root,
                           const std::map<std::string, std::filesystem::path>& extra) {
  std::error_code error;
  if (std::filesystem::is_directory(root, error)) {
    for (auto it = std::filesystem::recursive_directory_iterator(root, error);
         it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      const auto relative = std::filesystem::relative(it->path(), root, error);
      if (skipped(relative)) {
        if (it->is_directory())
          it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) {
        // Appended rather than "/" + …: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
        std::string url = "/";
        url += relative.generic_string();
        files_[url] = load(it->path());
      }
    }
  }
  for (const auto& [page, path] :
       std::map<std::string, std::string>{{"/", "/index.html"},
                                          {"/leaderboard", "/leaderboard.html"},
                                          {"/admin", "/admin.html"},
                                          {"/me", "/me.html"},
                                          {"/practice", "/practice.html"},
                                          {"/help", "/help.html"},
                                          {"/screen", "/screen.html"}}) {
    if (const auto found = files_.find(path); found != files_.end()) {
      files_[page] = found->second;
    }
  }
  for (const auto& [url, file] : extra) {
    if (std::filesystem::is_regular_file(file, error)) {
      files_[url] = load(file);
    }
  }
}

api_response static_files::respond(const static_file& file, const std::string& if_none_match) {
  api_response response{200, file.body, file.content_type, page_security_headers()};
  response.headers.emplace_back("ETag", file.etag);
  response.headers.emplace_back("Cache-Control", "no-cache");
  if (if_none_match == file.etag) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

std::vector<route> static_files::routes() const {
  std::vector<route> table;
  for (const auto& entry : files_) {
    route page{"GET", entry.first, {}, load_priority::continues_work, auth_kind::none, {}};
    page.handle = [file =
                       entry.second](api_request& request) -> boost::asio::awaitable<api_response> {
      co_return respond(*file, request.if_none_match);
    };
    table.push_back(std::move(page));
  }
  return table;
}

}  // namespace anquanli
