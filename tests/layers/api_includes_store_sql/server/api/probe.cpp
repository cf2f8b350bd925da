// Probe: handlers reach storage only through the durable_store seam.
#include "server/app/sweeper.hpp"
