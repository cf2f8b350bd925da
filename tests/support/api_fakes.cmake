# The in-memory durable_store and the whole API over it (fake_durable_store.hpp, fake_api.hpp) as
# a library of its own, for the handler unit tests (tests/CMakeLists.txt) and the HTTP fuzz target
# (tests/fuzz/CMakeLists.txt). Either or both may include this file; the library is declared once.
# It links the handlers and the storage seam, never the server binary, Beast or a real store.
if(NOT TARGET anquanli_api_fakes)
  add_library(anquanli_api_fakes STATIC "${CMAKE_CURRENT_LIST_DIR}/fake_api.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/fake_durable_store.cpp")
  target_link_libraries(anquanli_api_fakes PUBLIC anquanli_api PRIVATE anquanli_warnings)
endif()
