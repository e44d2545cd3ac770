#pragma once
// Saving without losing anything: write to a temporary file beside the target, then rename.
// A crash or error mid-write leaves the original untouched.
#include <filesystem>
#include <functional>

namespace imuwb {

// A hidden, unique name beside target (".name.tmp-<pid>-<n>"), for writers that stream into a
// file and rename it themselves when done (sessions, outputs files).
std::filesystem::path temporaryPathBeside(const std::filesystem::path& target);

// Calls write(tempPath), then renames tempPath onto target. On any exception the temporary
// file is removed and the exception propagates; the target is never half-written.
void writeAtomically(const std::filesystem::path& target,
                     const std::function<void(const std::filesystem::path& tempPath)>& write);

}  // namespace imuwb
