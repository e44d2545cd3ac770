// Bad-input cases for attribute messages that run past their own end: the session fuzzer's
// reproducers (fuzz/regression/session_h5/attribute_dataspace_overrun_*), on which H5Aexists
// copied past libhdf5's object header buffer (a heap over-read under ASan) before
// io/Hdf5AttributeGuard checked each attribute message. `info` and `run` must refuse each with
// exit 2, naming the file and the attribute message.
#include <filesystem>

#include "BadInputHarness.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::badinput {
namespace {

namespace fs = std::filesystem;

struct Reproducer {
  std::string file;     // in fuzz/regression/session_h5/
  std::string message;  // what the error must name
};

const std::vector<Reproducer>& reproducers() {
  static const std::vector<Reproducer> list = {
      {"attribute_dataspace_overrun_extra_root_attribute",
       "attribute message 'o\\x08rmatta'"},  // a control byte, shown escaped
      {"attribute_dataspace_overrun_format", "attribute message 'format'"},
      {"attribute_dataspace_overrun_format_version", "attribute message 'esrmat_version'"},
      {"attribute_dataspace_overrun_formatta", "attribute message 'formatta'"},
      {"attribute_dataspace_overrun_sample_rate_hz", "attribute message 'sample_rate_hz'"},
  };
  return list;
}

std::vector<Case> attributeCases() {
  std::vector<Case> cases;
  for (const auto& reproducer : reproducers()) {
    const fs::path source =
        test::sourceDir() / "fuzz" / "regression" / "session_h5" / (reproducer.file + ".h5");
    auto make = [source](const fs::path& dir) { fs::copy_file(source, dir / "s.h5"); };
    const std::vector<std::string> expected = {"s.h5:/", reproducer.message, "run past its end"};
    cases.push_back({"info_" + reproducer.file, make, {"info", "{dir}/s.h5"}, 2, expected});
    cases.push_back(
        {"run_" + reproducer.file,
         make,
         {"run", "--model", "{model}", "--session", "{dir}/s.h5", "--out", "{dir}/o.h5"},
         2,
         expected});
  }
  return cases;
}

class Hdf5AttributeBadInput : public ::testing::TestWithParam<Case> {};

TEST_P(Hdf5AttributeBadInput, IsRefusedClearlyWithinBounds) {
  expectRejected(GetParam());
}

INSTANTIATE_TEST_SUITE_P(AttributeMessages, Hdf5AttributeBadInput,
                         ::testing::ValuesIn(attributeCases()), caseName);

}  // namespace
}  // namespace imuwb::badinput
