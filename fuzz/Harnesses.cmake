# The fuzz harnesses and what each links. Shared by fuzz/CMakeLists.txt (libFuzzer binaries,
# IMUWB_BUILD_FUZZ=ON) and fuzz/Replay.cmake (plain replay binaries + ctest, normal build).
set(IMUWB_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(IMUWB_FUZZ_HARNESSES session_h5 csv_import json_window labels_csv npy onnx manifest
                          sidecar_body)
set(IMUWB_FUZZ_LIBS_session_h5 imuwb-core-session)
set(IMUWB_FUZZ_LIBS_csv_import imuwb-core-session)
set(IMUWB_FUZZ_LIBS_json_window imuwb-core-session)
set(IMUWB_FUZZ_LIBS_labels_csv imuwb-core-session)
set(IMUWB_FUZZ_LIBS_npy imuwb-core-engine imuwb-core-io)
set(IMUWB_FUZZ_LIBS_onnx imuwb-core-model)
set(IMUWB_FUZZ_LIBS_manifest imuwb-core-model)
set(IMUWB_FUZZ_LIBS_sidecar_body imuwb-core-backends)

if(NOT TARGET imuwb-fuzz-support)
  add_library(imuwb-fuzz-support STATIC ${IMUWB_FUZZ_DIR}/support/FuzzInput.cpp)
  target_include_directories(imuwb-fuzz-support PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(imuwb-fuzz-support PUBLIC imuwb-core-common)
endif()
