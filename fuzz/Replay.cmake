# Included from tests/CMakeLists.txt: every harness also builds as a plain program with
# support/ReplayMain.cpp, and ctest feeds it the regression corpus, the committed seeds and
# the matching sample files. No libFuzzer needed, so the normal gcc build replays them all.
include(${CMAKE_CURRENT_LIST_DIR}/Harnesses.cmake)

set(IMUWB_FUZZ_SAMPLES_session_h5 ${CMAKE_SOURCE_DIR}/samples/sessions/dog_2min_collar.h5
    ${CMAKE_SOURCE_DIR}/samples/sessions/dog_10min_collar_harness.h5)
set(IMUWB_FUZZ_SAMPLES_csv_import ${CMAKE_SOURCE_DIR}/samples/sessions/harness_90s_g_dps.csv)
set(IMUWB_FUZZ_SAMPLES_labels_csv ${CMAKE_SOURCE_DIR}/samples/sessions/harness_90s_labels.csv)
set(IMUWB_FUZZ_SAMPLES_npy ${CMAKE_SOURCE_DIR}/samples/models/dog_behavior_conv2d/reference)
set(IMUWB_FUZZ_SAMPLES_onnx ${CMAKE_SOURCE_DIR}/samples/models/dog_behavior_conv2d/model.onnx)
set(IMUWB_FUZZ_SAMPLES_manifest
    ${CMAKE_SOURCE_DIR}/samples/models/dog_behavior_conv2d/manifest.json)
file(GLOB IMUWB_FUZZ_SAMPLES_sidecar_body ${CMAKE_SOURCE_DIR}/tests/fixtures/pipeline/*.json)

# Re-run CMake when reproducers are added, so a new regression folder is picked up.
file(GLOB_RECURSE imuwb_fuzz_regression_files CONFIGURE_DEPENDS ${IMUWB_FUZZ_DIR}/regression/*)

foreach(harness ${IMUWB_FUZZ_HARNESSES})
  add_executable(replay_${harness} ${IMUWB_FUZZ_DIR}/harnesses/fuzz_${harness}.cpp
                                   ${IMUWB_FUZZ_DIR}/support/ReplayMain.cpp)
  target_link_libraries(replay_${harness} PRIVATE imuwb-fuzz-support
                                                  ${IMUWB_FUZZ_LIBS_${harness}})
  set(corpus ${IMUWB_FUZZ_DIR}/seeds/${harness} ${IMUWB_FUZZ_SAMPLES_${harness}})
  if(IS_DIRECTORY ${IMUWB_FUZZ_DIR}/regression/${harness})
    list(PREPEND corpus ${IMUWB_FUZZ_DIR}/regression/${harness})
  endif()
  add_test(NAME fuzz.replay.${harness} COMMAND replay_${harness} ${corpus})
  set_tests_properties(fuzz.replay.${harness} PROPERTIES TIMEOUT 300 LABELS fuzz)
endforeach()
