// Probe: the engine includes nothing outside itself.
#include <boost/json.hpp>

#include "server/core/time_source.hpp"
