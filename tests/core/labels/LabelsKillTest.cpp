// A kill during a side-car save leaves the old labels or the new ones, never a broken file: a
// writer process saves a 20 000-interval label set over and over (two versions, alternating)
// and is SIGKILLed at 50 different moments. After each kill the side-car must read back through
// imuwb's reader and hold exactly one of the two versions, its history too.
#include <gtest/gtest.h>

#include "labels/LabelStore.hpp"
#include "support/TestEnvironment.hpp"
#include "support/labels/KillTestLabels.hpp"
#include "support/labels/KillableWriter.hpp"

namespace imuwb {
namespace {

constexpr int kIntervals = 20000;

TEST(LabelsKill, SideCarHoldsOldOrNewLabelsAfterEveryKill) {
  test::TempDir dir;
  const auto session = dir / "S.h5";
  const LabelSet a = test::killTestLabels(kIntervals, 0), b = test::killTestLabels(kIntervals, 1);
  int sawA = 0, sawB = 0, leftTemporaries = 0;
  for (int kill = 0; kill < 50; ++kill) {
    SCOPED_TRACE("kill " + std::to_string(kill));
    // Delays from 0 to ~100 ms: before, inside and after saves of a few ms to tens of ms.
    const auto delay = std::chrono::microseconds((kill * 7919) % 100000);
    ASSERT_TRUE(test::runAndKill({"sidecar", session.string(), std::to_string(kIntervals)}, delay));
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
      leftTemporaries += entry.path().filename().string().find(".tmp-") != std::string::npos;
    const auto store = LabelStore::open(session, {});
    ASSERT_TRUE(store.hasSidecar());
    const auto& labels = store.current().labels;
    ASSERT_TRUE(labels == a || labels == b) << "revision " << store.current().revision;
    (labels == a ? sawA : sawB)++;
    for (const auto& old : store.document().history)
      ASSERT_TRUE(old.labels == a || old.labels == b || old.labels.intervals.empty());
  }
  std::printf("kills leaving version A: %d, version B: %d; temporaries left by kills: %d\n", sawA,
              sawB, leftTemporaries);
}

}  // namespace
}  // namespace imuwb
