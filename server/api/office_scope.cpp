#include "server/api/office_scope.hpp"

namespace anquanli {

parsed<std::string> visible_to(const directory_snapshot& places, std::string region,
                               const admin_account& admin) {
  if (places.find_region(region) == nullptr) {
    return api_error_code::invalid_region;
  }
  if (!places.within(region, admin.region_code)) {
    return api_error_code::region_forbidden;
  }
  return region;
}

}  // namespace anquanli
