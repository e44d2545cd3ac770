// Empty string lists (an unlabelled session has no classes) must round-trip and stay readable
// by h5py, the format's independent reader.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include "io/Hdf5Support.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

void writeLists(const std::filesystem::path& path) {
  H5::H5File file(path.string(), H5F_ACC_TRUNC);
  H5::Group root = file.openGroup("/");
  hdf5::writeStringArrayAttribute(root, "empty", {});
  hdf5::writeStringArrayAttribute(root, "names", {"stand", "walk", "trot"});
}

TEST(Hdf5StringList, EmptyAndNonEmptyListsRoundTrip) {
  test::TempDir dir;
  const auto path = dir / "lists.h5";
  writeLists(path);
  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  const H5::Group root = file.openGroup("/");
  EXPECT_TRUE(hdf5::readStringArrayAttribute(root, "empty", path.string()).empty());
  EXPECT_EQ(hdf5::readStringArrayAttribute(root, "names", path.string()),
            (std::vector<std::string>{"stand", "walk", "trot"}));
}

TEST(Hdf5StringList, H5pyReadsTheEmptyListAsEmpty) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto path = dir / "lists.h5";
  writeLists(path);
  const auto peer = test::runCommand(
      test::shellQuote(test::pythonPath()) +
      " -c 'import h5py,sys; f=h5py.File(sys.argv[1],\"r\"); "
      "print(len(f.attrs[\"empty\"]), [x.decode() if isinstance(x, bytes) else x for x in "
      "f.attrs[\"names\"]])' " +
      test::shellQuote(path.string()));
  ASSERT_EQ(peer.exitCode, 0) << peer.errors;
  EXPECT_EQ(peer.output, "0 ['stand', 'walk', 'trot']\n");
}

}  // namespace
}  // namespace imuwb
