// Fuzzes the sidecar wire format on both sides (backends/edgeinfer/SidecarProtocol): a request
// body as `imuwb serve` parses it (/infer and /encode keys, one and two devices), and a response
// as the edgeinfer backend reads it. Differential too: whenever the fast body scanner accepts
// a body, nlohmann's full parser must accept it and give the same floats, bit for bit.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

#include "backends/edgeinfer/SidecarProtocol.hpp"
#include "backends/edgeinfer/WindowBodyScanner.hpp"
#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "fuzz/support/FuzzInput.hpp"

namespace {

void checkFastPathAgainstFullParser(std::string_view body) {
  std::vector<float> fast;
  if (!imuwb::sidecar::scanWindowBody(body, "x", 100, fast)) return;
  const auto document = nlohmann::json::parse(body, nullptr, false);
  bool same = !document.is_discarded() && document.contains("x") && document["x"].size() == 100;
  std::vector<float> reference;
  if (same)
    for (const auto& row : document["x"])
      for (const auto& value : row) reference.push_back(value.get<float>());
  same = same && reference.size() == fast.size() &&
         std::memcmp(reference.data(), fast.data(), fast.size() * sizeof(float)) == 0;
  if (!same) {
    std::cerr << "sidecar_body: the fast path accepted a body the full parser reads otherwise\n";
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  imuwb::fuzz::expectOnlyImuwbErrors("sidecar_body", [&] {
    checkFastPathAgainstFullParser(body);
    for (const auto* key : {"x", "imu_window"})
      for (const std::size_t rows : {100u, 200u})
        (void)imuwb::sidecar::parseWindowBody(body, key, rows);
    const auto response = imuwb::parseJsonBounded(body, "response");
    imuwb::OutputSpec latent{"latent_embeddings", imuwb::OutputRole::Latent, 64, {}};
    imuwb::OutputSpec logits{"logits", imuwb::OutputRole::Logits, 0, {}};
    for (const auto* spec : {&latent, &logits}) {
      try {
        (void)imuwb::sidecar::readOutput(response, *spec, "response");
      } catch (const imuwb::Error&) {
      }
    }
  });
  return 0;
}
