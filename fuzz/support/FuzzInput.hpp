#pragma once
// Shared plumbing of the fuzz harnesses (fuzz/harnesses/*.cpp).
//
// The loaders take paths, so each input is written to a file in a private folder on a
// memory-backed file system (/dev/shm when present) under the name the loader expects
// ("model.onnx", "manifest.json"), then handed to the loader exactly as the CLI would.
//
// Outcome policy: imuwb::Error is a normal answer to hostile input (the loader refused it).
// Anything else — another exception type, a crash, a sanitizer report, a hang — is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace imuwb::fuzz {

// Lowers the input limits (IMUWB_LIMIT_*) for the fuzzing process, unless already set, so a
// file that claims a huge but "allowed" size is refused before it can exhaust the fuzzer's
// RSS budget: the limit paths get exercised, and a real unbounded allocation still shows up.
void lowerLimitsForFuzzing();

// Writes data to <private folder>/<fileName> (replacing it) and returns the path. The folder
// is created once per process and removed at exit.
std::filesystem::path writeInput(const std::uint8_t* data, std::size_t size,
                                 std::string_view fileName);

// Runs body; returns normally when it succeeds or throws imuwb::Error. Any other exception is
// reported on stderr with its type and message, then abort() (libFuzzer records the input).
void expectOnlyImuwbErrors(std::string_view harness, const std::function<void()>& body);

}  // namespace imuwb::fuzz
