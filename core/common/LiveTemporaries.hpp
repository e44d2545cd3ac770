#pragma once
// The temporary files this process is writing right now, so a second Ctrl-C that quits at once
// can still unlink them on its way out. A fixed table of paths, no allocation and no lock:
// unlinkLiveTemporaries() only reads atomics and calls unlink(2), so it is async-signal-safe.
// Process-wide by nature (a signal ends the whole process), and nothing else is kept here.
#include <filesystem>

namespace imuwb {

// Registers path; returns its slot, or -1 when the table is full or the path too long (the
// file is then only cleaned up by its owner, or by the stale-temporary sweep of a later run).
int registerLiveTemporary(const std::filesystem::path& path) noexcept;

// Forgets a slot from registerLiveTemporary (after the file was renamed into place or removed).
void unregisterLiveTemporary(int slot) noexcept;

// Unlinks every registered temporary file; returns how many it unlinked. Async-signal-safe.
int unlinkLiveTemporaries() noexcept;

// How many temporary files are registered now (for tests).
int liveTemporaryCount() noexcept;

}  // namespace imuwb
