// The browser pages under web/, served by the server itself. Every file is read into memory at
// start-up, so a request never touches the disk, and only files that exist there can be served
// (no path from a request is ever opened). Responses carry a strong ETag (answering 304 to
// If-None-Match), Cache-Control: no-cache so a deploy is seen at once, and the security headers:
// a Content-Security-Policy without inline script or style, nosniff and no framing.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/protocol/router.hpp"

namespace anquanli {

struct static_file {
  std::string body;
  std::string content_type;
  std::string etag;
};

class static_files {
 public:
  // Loads every file under `root` (skipping node_modules, tests and screenshots) as /relative/path;
  // index.html, leaderboard.html, admin.html, me.html, practice.html, help.html and screen.html
  // also answer at /, /leaderboard, /admin, /me, /practice, /help and /screen; and
  // `extra` maps more URL paths to files (e.g. /vendor/echarts.min.js from node_modules).
  static_files(const std::filesystem::path& root,
               const std::map<std::string, std::filesystem::path>& extra);

  [[nodiscard]] std::vector<route> routes() const;
  [[nodiscard]] std::size_t size() const { return files_.size(); }

  // The response for one file, honouring If-None-Match.
  [[nodiscard]] static api_response respond(const static_file& file,
                                            const std::string& if_none_match);

 private:
  std::map<std::string, std::shared_ptr<const static_file>> files_;
};

// The security headers every page carries.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> page_security_headers();

}  // namespace anquanli
