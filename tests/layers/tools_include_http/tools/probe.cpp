// Probe: the admin tool must not link the HTTP transport.
#include "server/http/http_server.hpp"
