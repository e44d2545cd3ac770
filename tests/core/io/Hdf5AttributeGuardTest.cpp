// Attribute messages that run past their own end, refused before libhdf5 decodes them: the
// session fuzzer's over-read (a dataspace size past the message made H5Aexists copy past the
// object header buffer), a data extent larger than the data stored, and valid files with
// version 1 and version 2 object headers that must still read. Also the vlen guard's character
// size check, on the same byte-patched files (a 36 KB file whose string characters claimed
// 32 MiB each took 670 MB and 4 s to read), and the numeric type guard (float bit fields).
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <cstdint>
#include <fstream>
#include <iterator>

#include "io/Hdf5AttributeGuard.hpp"
#include "io/Hdf5Support.hpp"
#include "io/Hdf5VlenGuard.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;
using test::errorText;
using test::expectContains;

// A root group with a string attribute 'format' and a 3-string list 'names'; version 1 object
// headers (libhdf5's default) unless latest is set.
void writeAttributes(const fs::path& path, bool latest) {
  H5::FileAccPropList access;
  if (latest) H5Pset_libver_bounds(access.getId(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  H5::H5File file(path.string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
  H5::Group root = file.openGroup("/");
  hdf5::writeStringAttribute(root, "format", "imuwb-session");
  hdf5::writeStringArrayAttribute(root, "names", {"stand", "walk", "trot"});
  hdf5::writeDoubleAttribute(root, "sample_rate_hz", 100.0);
}

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The offset of a version 1 attribute message's body, found by its NUL-terminated name.
std::size_t attributeBody(const std::string& bytes, const std::string& name) {
  const auto at = bytes.find(name + std::string(1, '\0'));
  EXPECT_NE(at, std::string::npos) << name;
  return at - 8;  // version, reserved, name size, datatype size, dataspace size
}

void putLE(std::string& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t getLE(const std::string& bytes, std::size_t at, int size) {
  std::uint64_t value = 0;
  for (int i = size; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

std::string readFormat(const fs::path& path) {
  hdf5::silenceErrorStack();
  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  const H5::Group root = file.openGroup("/");
  return hdf5::readStringAttribute(root, "format", path.string() + ":/");
}

TEST(Hdf5AttributeGuard, ADataspaceRunningPastTheMessageIsRefused) {
  test::TempDir dir;
  const auto path = dir / "a.h5";
  writeAttributes(path, false);
  auto bytes = readBytes(path);
  putLE(bytes, attributeBody(bytes, "format") + 6, 26112, 2);  // the fuzzer's dataspace size
  writeBytes(path, bytes);
  expectContains(errorText([&] { readFormat(path); }),
                 {"a.h5:/", "attribute message 'format'", "dataspace of 26112 bytes",
                  "run past its end", "rewrite it"});
  // Looking any attribute up decodes them all, so hasAttribute is guarded too.
  expectContains(errorText([&] {
                   H5::H5File file(path.string(), H5F_ACC_RDONLY);
                   hdf5::hasAttribute(file.openGroup("/"), "sample_rate_hz");
                 }),
                 {"a.h5:/", "attribute message 'format'"});
}

TEST(Hdf5AttributeGuard, MoreElementsThanTheStoredDataAreRefused) {
  test::TempDir dir;
  const auto path = dir / "a.h5";
  writeAttributes(path, false);
  auto bytes = readBytes(path);
  const auto body = attributeBody(bytes, "names");
  const auto align8 = [](std::uint64_t n) { return (n + 7) / 8 * 8; };
  const auto space =
      body + 8 + align8(getLE(bytes, body + 2, 2)) + align8(getLE(bytes, body + 4, 2));
  ASSERT_EQ(getLE(bytes, space + 8, 8), 3u);  // version 1 dataspace: 8 bytes, then dims
  putLE(bytes, space + 8, 1000, 8);
  writeBytes(path, bytes);
  expectContains(errorText([&] { readFormat(path); }),
                 {"attribute message 'names'", "declares 1000 elements of 16 bytes",
                  "only 48 bytes of data follow"});
}

TEST(Hdf5AttributeGuard, ValidVersion1AndVersion2HeadersRead) {
  test::TempDir dir;
  for (const bool latest : {false, true}) {
    const auto path = dir / (latest ? "v2.h5" : "v1.h5");
    writeAttributes(path, latest);
    EXPECT_EQ(readFormat(path), "imuwb-session");
    H5::H5File file(path.string(), H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    EXPECT_EQ(hdf5::readStringArrayAttribute(root, "names", path.string()),
              (std::vector<std::string>{"stand", "walk", "trot"}));
    EXPECT_NO_THROW(hdf5::guardAttributeMessages(root.getId(), path.string()));
    EXPECT_EQ(hdf5::readDoubleAttribute(root, "sample_rate_hz", path.string()), 100.0);
  }
}

TEST(Hdf5VlenGuard, StringCharactersClaimingMoreThanOneByteAreRefused) {
  test::TempDir dir;
  const auto path = dir / "a.h5";
  writeAttributes(path, false);
  auto bytes = readBytes(path);
  const auto body = attributeBody(bytes, "names");
  const auto type = body + 8 + (getLE(bytes, body + 2, 2) + 7) / 8 * 8;
  // A vlen datatype (class 9): class and version, 3 bytes of bits, size (4); then its base
  // type, the 1-byte character: class and version, bits, size.
  ASSERT_EQ(static_cast<unsigned char>(bytes[type]) & 0x0f, 9);
  ASSERT_EQ(getLE(bytes, type + 12, 4), 1u);
  putLE(bytes, type + 12, 33554433, 4);
  writeBytes(path, bytes);
  expectContains(errorText([&] {
                   hdf5::silenceErrorStack();
                   H5::H5File file(path.string(), H5F_ACC_RDONLY);
                   hdf5::readStringArrayAttribute(file.openGroup("/"), "names", "a.h5:/");
                 }),
                 {"a.h5:/: attribute 'names'", "characters of 33554433 bytes each", "1 byte"});
}

// The session fuzzer's SEGV in H5T__bit_find: a float whose mantissa lies past its precision
// makes libhdf5's conversion read bits far outside the element.
TEST(Hdf5TypeGuard, FloatFieldsOutsideThePrecisionAreRefused) {
  test::TempDir dir;
  const auto path = dir / "a.h5";
  writeAttributes(path, false);
  auto bytes = readBytes(path);
  const auto body = attributeBody(bytes, "sample_rate_hz");
  const auto type = body + 8 + (getLE(bytes, body + 2, 2) + 7) / 8 * 8;
  // A float datatype (class 1): class and version, bits, size (4), then bit offset (2),
  // precision (2), exponent location and size, mantissa location and size (1 each), bias.
  ASSERT_EQ(static_cast<unsigned char>(bytes[type]) & 0x0f, 1);
  ASSERT_EQ(getLE(bytes, type + 10, 2), 64u);
  bytes[type + 14] = static_cast<char>(250);
  writeBytes(path, bytes);
  expectContains(errorText([&] {
                   hdf5::silenceErrorStack();
                   H5::H5File file(path.string(), H5F_ACC_RDONLY);
                   hdf5::readDoubleAttribute(file.openGroup("/"), "sample_rate_hz", "a.h5:/");
                 }),
                 {"a.h5:/: attribute 'sample_rate_hz'", "mantissa at bits 250 to 302",
                  "outside its 64-bit precision"});
}

}  // namespace
}  // namespace imuwb
