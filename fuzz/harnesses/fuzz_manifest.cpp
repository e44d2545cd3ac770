// Fuzzes the model manifest parser and the legacy model_config.json mapping (told apart by
// content). Whatever parses must serialize and parse again (the CLI writes manifests it reads).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/Error.hpp"
#include "fuzz/support/FuzzInput.hpp"
#include "model/Manifest.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "manifest.json");
  imuwb::fuzz::expectOnlyImuwbErrors("manifest", [&] {
    const auto manifest = imuwb::loadManifest(path);
    const auto written = imuwb::manifestToJson(manifest);
    try {
      imuwb::parseManifest(written, path);
    } catch (const imuwb::Error& error) {
      std::fprintf(stderr, "[manifest] FINDING: a manifest we wrote does not parse: %s\n%s\n",
                   error.what(), written.dump().c_str());
      std::abort();
    }
  });
  return 0;
}
