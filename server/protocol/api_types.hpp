// Requests and responses as handlers see them: plain values without Beast types, so handlers and
// their tests stay light to compile.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace anquanli {

class event_stream;  // server/protocol/event_stream.hpp

struct api_request {
  std::string method;                        // "GET", "POST", …
  std::string path;                          // decoded path, no query
  std::map<std::string, std::string> query;  // decoded query parameters (last one wins)
  std::string body;
  std::string bearer_token;  // from Authorization: Bearer, empty when absent
  std::string client_address;
  std::string if_none_match;                 // for cached static files
  std::vector<std::string> path_parameters;  // captured {id} segments, in order
};

struct api_response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  // A refusal under load (503 overloaded): counted in the metrics, not logged one by one.
  bool load_refusal = false;
  // Set for a streaming response (Server-Sent Events): the body is ignored and the connection
  // carries the stream's frames until it ends (event_stream.hpp).
  std::shared_ptr<event_stream> stream{};
};

}  // namespace anquanli
