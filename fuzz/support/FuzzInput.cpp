#include "fuzz/support/FuzzInput.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <new>
#include <system_error>
#include <typeinfo>

#include "common/Error.hpp"

namespace imuwb::fuzz {
namespace fs = std::filesystem;

namespace {

// Limits small enough for a 2 GB fuzzing RSS budget, large enough for every seed.
constexpr struct {
  const char* variable;
  const char* value;
} kFuzzLimits[] = {
    {"IMUWB_LIMIT_JSON_BYTES", "4194304"},       // 4 MiB
    {"IMUWB_LIMIT_TEXT_LINE_BYTES", "65536"},    // 64 KiB per CSV line
    {"IMUWB_LIMIT_TENSOR_ELEMENTS", "4194304"},  // 16 MiB of float32 per tensor
    {"IMUWB_LIMIT_MODEL_BYTES", "16777216"},     // 16 MiB
    {"IMUWB_LIMIT_SESSION_ROWS", "4194304"},     // 150 MiB of float32 per device
    {"IMUWB_LIMIT_LABEL_INTERVALS", "100000"},  {"IMUWB_LIMIT_THREADS", "4"},
};

struct PrivateFolder {
  fs::path path;
  PrivateFolder() {
    std::error_code ec;
    const fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    path = base / ("imuwb-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~PrivateFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const fs::path& privateFolder() {
  static PrivateFolder folder;
  return folder.path;
}

[[noreturn]] void finding(std::string_view harness, const char* kind, const char* message) {
  std::fprintf(stderr, "\n[%.*s] FINDING: %s escaped the loader: %s\n",
               static_cast<int>(harness.size()), harness.data(), kind, message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace

void lowerLimitsForFuzzing() {
  for (const auto& limit : kFuzzLimits) ::setenv(limit.variable, limit.value, /*overwrite=*/0);
}

fs::path writeInput(const std::uint8_t* data, std::size_t size, std::string_view fileName) {
  const fs::path path = privateFolder() / fs::path(std::string(fileName));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write the fuzz input %s\n", path.c_str());
    std::abort();
  }
  return path;
}

void expectOnlyImuwbErrors(std::string_view harness, const std::function<void()>& body) {
  try {
    body();
  } catch (const imuwb::Error&) {
    // The loader refused the input with a message: the expected outcome.
  } catch (const imuwb::Cancelled&) {
    finding(harness, "imuwb::Cancelled", "nothing asked to cancel");
  } catch (const std::bad_alloc& error) {
    finding(harness, "std::bad_alloc (an allocation sized from the file?)", error.what());
  } catch (const std::exception& error) {
    finding(harness, typeid(error).name(), error.what());
  } catch (...) {
    finding(harness, "a non-std exception", "(unknown type)");
  }
}

}  // namespace imuwb::fuzz
