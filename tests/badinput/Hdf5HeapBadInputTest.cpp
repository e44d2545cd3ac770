// Bad-input cases for variable-length strings whose global heap is hostile: the fuzzers'
// reproducers (fuzz/regression/session_h5/vlen_*), which crashed, hung or allocated ~3 GB inside
// libhdf5 before io/Hdf5VlenGuard checked the heap. `info` and `run` must refuse each with
// exit 2, naming the file and the attribute or dataset, within the harness's RSS bound.
#include <filesystem>

#include "BadInputHarness.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::badinput {
namespace {

namespace fs = std::filesystem;

struct Reproducer {
  std::string file;   // in fuzz/regression/session_h5/
  std::string place;  // what the message must name
};

const std::vector<Reproducer>& reproducers() {
  static const std::vector<Reproducer> list = {
      {"vlen_attribute_global_heap_hang", "s.h5:/: attribute 'format'"},
      {"vlen_attribute_global_heap_overread", "s.h5:/: attribute 'format'"},
      {"vlen_attribute_negative_size", "s.h5:/: attribute 'format'"},
      {"vlen_label_classes_3gb_alloc", "s.h5:/labels/classes"},
      {"vlen_label_classes_hang", "s.h5:/labels/classes"},
      // Characters claiming 32 MiB each: 670 MB and 4 s (30 s under ASan) for 9 short strings.
      {"vlen_channels_character_size_32mib", "attribute 'channels'"},
  };
  return list;
}

std::vector<Case> heapCases() {
  std::vector<Case> cases;
  for (const auto& reproducer : reproducers()) {
    const fs::path source =
        test::sourceDir() / "fuzz" / "regression" / "session_h5" / (reproducer.file + ".h5");
    auto make = [source](const fs::path& dir) { fs::copy_file(source, dir / "s.h5"); };
    cases.push_back(
        {"info_" + reproducer.file, make, {"info", "{dir}/s.h5"}, 2, {reproducer.place}});
    cases.push_back(
        {"run_" + reproducer.file,
         make,
         {"run", "--model", "{model}", "--session", "{dir}/s.h5", "--out", "{dir}/o.h5"},
         2,
         {reproducer.place}});
  }
  return cases;
}

class Hdf5HeapBadInput : public ::testing::TestWithParam<Case> {};

TEST_P(Hdf5HeapBadInput, IsRefusedClearlyWithinBounds) {
  expectRejected(GetParam());
}

INSTANTIATE_TEST_SUITE_P(GlobalHeap, Hdf5HeapBadInput, ::testing::ValuesIn(heapCases()), caseName);

}  // namespace
}  // namespace imuwb::badinput
