// io/Hdf5VlenGuard: the raw heap IDs of variable-length strings and the global heap checks made
// before libhdf5 dereferences them. Valid files (ours and the samples) read exactly as before;
// a heap corrupted in each way libhdf5 1.10 mishandles is an imuwb::Error naming the file and
// the attribute, never a crash, a hang or a huge allocation.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "common/Error.hpp"
#include "io/Hdf5Support.hpp"
#include "io/Hdf5VlenGuard.hpp"
#include "session/SessionReader.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kNames = {"walk", "trot", "", "lie down", "\xC2\xB5T"};

void writeNames(const fs::path& path) {
  hdf5::silenceErrorStack();
  H5::H5File file(path.string(), H5F_ACC_TRUNC);
  hdf5::writeStringArrayAttribute(file, "names", kNames);
  H5::Group group = file.createGroup("labels");
  hdf5::writeStringDataset(group, "classes", kNames);
}

std::vector<unsigned char> bytesOf(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void writeBytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}
void putLE(std::vector<unsigned char>& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<unsigned char>(value >> (8 * i));
}
// Offset of the first global heap collection ("GCOL") in the file.
std::size_t firstCollection(const std::vector<unsigned char>& bytes) {
  for (std::size_t i = 0; i + 4 <= bytes.size(); ++i)
    if (std::memcmp(&bytes[i], "GCOL", 4) == 0) return i;
  ADD_FAILURE() << "no global heap collection in the file";
  return 0;
}

// Reads the attribute through the guarded path and returns the Error's full text.
std::string attributeError(const fs::path& path) {
  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  try {
    hdf5::readStringArrayAttribute(file, "names", path.string() + ":/");
  } catch (const Error& error) {
    return error.where() + " | " + error.problem() + " | " + error.fix();
  }
  ADD_FAILURE() << "the corrupt heap was read without an error";
  return {};
}

TEST(Hdf5VlenGuard, ValidStringsReadUnchangedAndRefsMatchTheirLengths) {
  test::TempDir dir;
  const fs::path path = dir / "names.h5";
  writeNames(path);
  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  EXPECT_EQ(hdf5::readStringArrayAttribute(file, "names", "names.h5"), kNames);
  EXPECT_EQ(hdf5::readStringDataset(file.openDataSet("/labels/classes"), "classes"), kNames);
  const H5::Attribute attribute = file.openAttribute("names");
  const auto refs = hdf5::readVlenHeapRefs(attribute.getId(), true, "names.h5");
  ASSERT_EQ(refs.size(), kNames.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    EXPECT_EQ(refs[i].length, kNames[i].size()) << i;
    EXPECT_NE(refs[i].collection, 0u) << i;
    EXPECT_GT(refs[i].index, 0u) << i;
  }
  EXPECT_NO_THROW(hdf5::checkVlenHeapRefs(attribute.getId(), refs, "names.h5"));
}

TEST(Hdf5VlenGuard, SampleSessionsReadTheSameStringsAsTheRawHeapDeclares) {
  for (const char* name : {"dog_2min_collar.h5", "dog_10min_collar_harness.h5"}) {
    const fs::path path = test::sourceDir() / "samples" / "sessions" / name;
    const auto reader = SessionReader::open(path);
    EXPECT_FALSE(reader.header().classes.empty()) << name;
    H5::H5File file(path.string(), H5F_ACC_RDONLY);
    const H5::DataSet classes = file.openDataSet("/labels/classes");
    const auto refs = hdf5::readVlenHeapRefs(classes.getId(), false, name);
    // libhdf5's own dereferenced read against the lengths in the raw heap IDs.
    ASSERT_EQ(refs.size(), reader.header().classes.size()) << name;
    for (std::size_t i = 0; i < refs.size(); ++i)
      EXPECT_EQ(refs[i].length, reader.header().classes[i].size()) << name << " " << i;
  }
}

struct Corruption {
  const char* name;
  std::size_t offset;  // from the collection's start
  std::uint64_t value;
  int size;
  const char* expected;     // in the Error's problem
  std::size_t offset2 = 0;  // an optional second patch (size2 > 0)
  std::uint64_t value2 = 0;
  int size2 = 0;
};

class Hdf5VlenGuardCorrupt : public ::testing::TestWithParam<Corruption> {};

// Collection: "GCOL", version, 3 reserved, size (8); then objects: index (2), refs (2),
// reserved (4), size (8), data. Object 1 is "walk".
TEST_P(Hdf5VlenGuardCorrupt, IsAnErrorNamingFileAndAttribute) {
  const Corruption& c = GetParam();
  test::TempDir dir;
  const fs::path path = dir / "names.h5";
  writeNames(path);
  auto bytes = bytesOf(path);
  const std::size_t collection = firstCollection(bytes);
  putLE(bytes, collection + c.offset, c.value, c.size);
  if (c.size2 > 0) putLE(bytes, collection + c.offset2, c.value2, c.size2);
  writeBytes(path, bytes);
  const std::string text = attributeError(path);
  EXPECT_NE(text.find(path.string()), std::string::npos) << text;
  EXPECT_NE(text.find("attribute 'names'"), std::string::npos) << text;
  EXPECT_NE(text.find(c.expected), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Heap, Hdf5VlenGuardCorrupt,
    ::testing::Values(
        Corruption{"BadSignature", 0, 0x4C4F4358, 4, "GCOL signature"},
        Corruption{"BadVersion", 4, 7, 1, "GCOL signature"},
        Corruption{"CollectionBeyondFile", 8, 1ull << 20, 8, "beyond the end of the file"},
        Corruption{"CollectionOverLimit", 8, 1ull << 40, 8, "string_bytes limit"},
        Corruption{"ObjectSizeHuge", 16 + 8, ~0ull, 8, "past the end of its collection"},
        Corruption{"ObjectSizeWrong", 16 + 8, 5, 8, "differs from the declared length"},
        Corruption{"ObjectMissing", 16, 77, 2, "does not exist"},
        Corruption{"EmptyFreeSpaceLoops", 16, 0, 2, "loop forever", 16 + 8, 0, 8}),
    [](const ::testing::TestParamInfo<Corruption>& info) { return std::string(info.param.name); });

TEST(Hdf5VlenGuard, StringBytesLimitBoundsTheDeclaredTotal) {
  test::TempDir dir;
  const fs::path path = dir / "names.h5";
  writeNames(path);
  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  const H5::Attribute attribute = file.openAttribute("names");
  auto refs = hdf5::readVlenHeapRefs(attribute.getId(), true, "names.h5");
  refs[0].length = 0xFFFFFFFFu;  // a "negative" 32-bit length
  try {
    hdf5::checkVlenHeapRefs(attribute.getId(), refs, "names.h5: attribute 'names'");
    ADD_FAILURE() << "a 4 GiB string was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.problem()).find("4294967"), std::string::npos) << error.problem();
    EXPECT_NE(error.fix().find("IMUWB_LIMIT_STRING_BYTES"), std::string::npos) << error.fix();
  }
}

}  // namespace
}  // namespace imuwb
