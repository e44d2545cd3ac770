#include "common/LiveTemporaries.hpp"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>

namespace imuwb {
namespace {

// A slot is Free, being Filled by its owner, Live (path valid), or Claimed by the exit path.
enum SlotState : int { kFree = 0, kFilling = 1, kLive = 2, kClaimed = 3 };

struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};

constexpr int kSlotCount = 64;  // far more files than any command writes at once
Slot slots[kSlotCount];

static_assert(std::atomic<int>::is_always_lock_free, "the signal path needs lock-free atomics");

}  // namespace

int registerLiveTemporary(const std::filesystem::path& path) noexcept {
  const std::string& text = path.native();
  if (text.size() + 1 > sizeof(Slot::path)) return -1;
  for (int i = 0; i < kSlotCount; ++i) {
    int expected = kFree;
    if (!slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(slots[i].path, text.c_str(), text.size() + 1);
    slots[i].state.store(kLive);
    return i;
  }
  return -1;
}

void unregisterLiveTemporary(int slot) noexcept {
  if (slot < 0 || slot >= kSlotCount) return;
  int expected = kLive;
  // A Claimed slot belongs to the exit path, which is unlinking it: leave it alone.
  slots[slot].state.compare_exchange_strong(expected, kFree);
}

int unlinkLiveTemporaries() noexcept {
  int unlinked = 0;
  for (auto& slot : slots) {
    int expected = kLive;
    if (!slot.state.compare_exchange_strong(expected, kClaimed)) continue;
    if (::unlink(slot.path) == 0) ++unlinked;
  }
  return unlinked;
}

int liveTemporaryCount() noexcept {
  int count = 0;
  for (const auto& slot : slots)
    if (slot.state.load() == kLive) ++count;
  return count;
}

}  // namespace imuwb
