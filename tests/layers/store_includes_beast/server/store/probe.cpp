// Probe: storage must not see the HTTP transport.
#include <boost/beast/http.hpp>
