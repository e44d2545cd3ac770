// Test helper for the kill-during-save tests (tests/core/labels/LabelsKillTest.cpp,
// tests/core/session/EmbedLabelsKillTest.cpp): saves a large label set over and over, alternating
// two versions, until it is killed. Prints "ready" once the first save is on disk.
//   imuwb-test-labels-writer sidecar SESSION INTERVALS
//   imuwb-test-labels-writer embed SESSION OUTPUT INTERVALS
#include <cstdio>
#include <cstdlib>
#include <string>

#include "labels/LabelStore.hpp"
#include "session/EmbedLabels.hpp"
#include "support/labels/KillTestLabels.hpp"

int main(int argc, char** argv) {
  using namespace imuwb;
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "sidecar" && argc == 4) || (mode == "embed" && argc == 5))) {
    std::fprintf(stderr, "usage: %s sidecar SESSION N | embed SESSION OUTPUT N\n", argv[0]);
    return 2;
  }
  const std::filesystem::path session = argv[2];
  const int intervals = std::atoi(argv[argc - 1]);
  const LabelSet versions[2] = {test::killTestLabels(intervals, 0),
                                test::killTestLabels(intervals, 1)};
  try {
    if (mode == "sidecar") {
      auto store = LabelStore::open(session, {});
      for (long i = 0;; ++i) {
        store.save(versions[i % 2], {"writer", "save " + std::to_string(i), false, 3});
        if (i == 0) std::printf("ready\n"), std::fflush(stdout);
      }
    }
    for (long i = 0;; ++i) {
      embedLabels(session, versions[i % 2], argv[3], true);
      if (i == 0) std::printf("ready\n"), std::fflush(stdout);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
