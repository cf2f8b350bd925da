# The architecture as build rules. Each layer is a library in a folder of its own; its link list
# names the layers it may use, and nothing else. anquanli_layer() links those layers and adds a
# check to the layer's build that reads every #include in its folder: an include of a project
# header from a layer outside that list, or of a system header the layer must not see (Beast in
# storage, anything at all in the engine), fails the build with the file and line. The include
# paths alone cannot enforce this: every header hangs off the one project root, and every Boost
# header off /usr/include.
#
#   anquanli_layer(TARGET FOLDER dir [USES target...] [FORBID regex...] [STD_ONLY])

set(ANQUANLI_LAYER_CHECK "${CMAKE_CURRENT_LIST_DIR}/layer_check.cmake")

function(anquanli_layer target)
  cmake_parse_arguments(PARSE_ARGV 1 layer "STD_ONLY" "FOLDER" "USES;FORBID")
  set_property(GLOBAL PROPERTY anquanli_layer_folder_${target} "${layer_FOLDER}")
  set_property(GLOBAL PROPERTY anquanli_layer_uses_${target} "${layer_USES}")
  if(layer_USES)
    target_link_libraries(${target} PUBLIC ${layer_USES})
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE anquanli_warnings)

  # The folders this layer may include from: its own and those of every layer it uses, directly
  # or through them.
  set(allowed "${layer_FOLDER}")
  set(pending ${layer_USES})
  set(seen "")
  while(pending)
    list(POP_FRONT pending used)
    if(used IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${used})
    get_property(folder GLOBAL PROPERTY anquanli_layer_folder_${used})
    if(NOT folder)
      message(FATAL_ERROR "anquanli_layer(${target}): ${used} is not a layer declared before it")
    endif()
    get_property(more GLOBAL PROPERTY anquanli_layer_uses_${used})
    list(APPEND allowed "${folder}")
    list(APPEND pending ${more})
  endwhile()

  file(GLOB_RECURSE files CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/${layer_FOLDER}/*.hpp" "${PROJECT_SOURCE_DIR}/${layer_FOLDER}/*.cpp")
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}.layer-checked")
  string(REPLACE ";" "%%" allowed_arg "${allowed}")
  string(REPLACE ";" "%%" forbid_arg "${layer_FORBID}")
  set_property(GLOBAL PROPERTY anquanli_layer_check_${target}
    "-DLAYER=${target}" "-DFOLDER=${layer_FOLDER}" "-DALLOWED=${allowed_arg}"
    "-DFORBID=${forbid_arg}" "-DSTD_ONLY=${layer_STD_ONLY}")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND ${CMAKE_COMMAND} "-DLAYER=${target}" "-DROOT=${PROJECT_SOURCE_DIR}"
            "-DFOLDER=${layer_FOLDER}" "-DALLOWED=${allowed_arg}" "-DFORBID=${forbid_arg}"
            "-DSTD_ONLY=${layer_STD_ONLY}" "-DSTAMP=${stamp}" -P "${ANQUANLI_LAYER_CHECK}"
    DEPENDS ${files} "${ANQUANLI_LAYER_CHECK}"
    COMMENT "Checking the includes of layer ${target} (${layer_FOLDER})"
    VERBATIM)
  add_custom_target(${target}_layer_check DEPENDS "${stamp}")
  add_dependencies(${target} ${target}_layer_check)
endfunction()

# Adds a test that runs `target`'s include check, with its real rules, over `probe_root` (a tree
# holding a file that breaks them) and expects the check to fail with `expected` in its message:
# the demonstration that a wrong-way include fails the build.
function(anquanli_layer_probe_test name target probe_root expected)
  get_property(arguments GLOBAL PROPERTY anquanli_layer_check_${target})
  add_test(NAME "${name}"
    COMMAND ${CMAKE_COMMAND} ${arguments} "-DROOT=${probe_root}" -P "${ANQUANLI_LAYER_CHECK}")
  set_tests_properties("${name}" PROPERTIES PASS_REGULAR_EXPRESSION "${expected}")
endfunction()
