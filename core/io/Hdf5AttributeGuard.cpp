#include "io/Hdf5AttributeGuard.hpp"

#include <cstring>
#include <set>
#include <vector>

#include "common/Error.hpp"
#include "io/Hdf5RawFile.hpp"

namespace imuwb::hdf5 {
namespace {

constexpr const char* kCorruptFix =
    "the file is corrupt or hostile; rewrite it with `imuwb import`/`generate`, or re-save it "
    "with h5py";
constexpr std::uint16_t kAttributeMessage = 0x000C;
constexpr std::uint16_t kContinuationMessage = 0x0010;
// Bounds of the walk: a chunk larger than this, or more chunks, is not a header libhdf5 wrote.
constexpr std::uint64_t kMaxChunkBytes = 64ull << 20;
constexpr std::size_t kMaxChunks = 4096;
constexpr unsigned kMaxRank = 32;  // H5S_MAX_RANK

struct Chunk {
  std::uint64_t address;  // of the chunk's first byte in the file
  std::uint64_t length;   // bytes, including a v2 chunk's signature and checksum
};

// A name from the file, with bytes that are not printable ASCII shown as \xHH.
std::string printable(const std::string& name) {
  static const char* const kHex = "0123456789abcdef";
  std::string text;
  for (const unsigned char c : name) {
    if (c >= 0x20 && c < 0x7f) {
      text += static_cast<char>(c);
    } else {
      text += "\\x";
      text += kHex[c >> 4];
      text += kHex[c & 0x0f];
    }
  }
  return text;
}

std::uint64_t align8(std::uint64_t value) {
  return (value + 7) / 8 * 8;
}

class HeaderWalk {
 public:
  HeaderWalk(const RawFile& file, std::string where) : file_(file), where_(std::move(where)) {}

  void walk(std::uint64_t address) {
    unsigned char prefix[4] = {};
    if (!file_.read(address, 4, prefix)) fail("its object header lies outside the file");
    std::vector<Chunk> pending;
    if (std::memcmp(prefix, "OHDR", 4) == 0)
      pending.push_back(firstChunkV2(address));
    else
      pending.push_back(firstChunkV1(address));
    std::set<std::uint64_t> seen;
    while (!pending.empty()) {
      const Chunk chunk = pending.back();
      pending.pop_back();
      if (!seen.insert(chunk.address).second || seen.size() > kMaxChunks)
        fail("its object header chunks form a loop or are too many");
      walkChunk(chunk, seen.size() == 1, pending);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(where_, problem, kCorruptFix);
  }

  std::vector<unsigned char> readChunk(const Chunk& chunk) const {
    if (chunk.length > kMaxChunkBytes)
      fail("an object header chunk claims " + std::to_string(chunk.length) + " bytes");
    std::vector<unsigned char> bytes(chunk.length);
    if (!file_.read(chunk.address, chunk.length, bytes.data()))
      fail("an object header chunk at address " + std::to_string(chunk.address) +
           " lies outside the file");
    return bytes;
  }

  // Version 1: version, reserved, message count (2), reference count (4), header size (4),
  // padding to 8; the messages follow.
  Chunk firstChunkV1(std::uint64_t address) {
    unsigned char prefix[16] = {};
    if (!file_.read(address, 16, prefix) || prefix[0] != 1)
      fail("its object header has an unknown version");
    v2_ = false;
    return {address + 16, decodeLE(prefix + 8, 4)};
  }

  // Version 2: "OHDR", version 2, flags, optional times and attribute phase change values,
  // then the size of chunk 0 in 1, 2, 4 or 8 bytes; chunk 0's messages and a checksum follow.
  Chunk firstChunkV2(std::uint64_t address) {
    unsigned char prefix[32] = {};
    if (!file_.read(address, 6, prefix) || prefix[4] != 2)
      fail("its object header has an unknown version");
    v2_ = true;
    flags_ = prefix[5];
    std::uint64_t offset = 6 + ((flags_ & 0x20) ? 16 : 0) + ((flags_ & 0x10) ? 4 : 0);
    const std::size_t sizeBytes = std::size_t{1} << (flags_ & 0x03);
    if (!file_.read(address + offset, sizeBytes, prefix))
      fail("its object header lies outside the file");
    const std::uint64_t size = decodeLE(prefix, sizeBytes);
    offset += sizeBytes;
    // Our chunk covers the messages only: from after the prefix to before the checksum.
    return {address + offset, size};
  }

  void walkChunk(const Chunk& chunk, bool first, std::vector<Chunk>& pending) {
    auto bytes = readChunk(chunk);
    std::size_t p = 0, end = bytes.size();
    if (v2_ && !first) {  // a continuation chunk: "OCHK", messages, checksum
      if (end < 8 || std::memcmp(bytes.data(), "OCHK", 4) != 0)
        fail("an object header continuation chunk has no OCHK signature");
      p = 4;
      end -= 4;
    }
    const std::size_t header = v2_ ? 4 + ((flags_ & 0x04) ? 2 : 0) : 8;
    while (end - p >= header) {
      const std::uint16_t type =
          v2_ ? bytes[p] : static_cast<std::uint16_t>(decodeLE(&bytes[p], 2));
      const std::uint64_t size = decodeLE(&bytes[p + (v2_ ? 1 : 2)], 2);
      const unsigned flags = bytes[p + (v2_ ? 3 : 4)];
      if (size > end - p - header)
        fail("object header message of type " + std::to_string(type) + " claims " +
             std::to_string(size) + " bytes, past the end of its chunk");
      const unsigned char* body = &bytes[p + header];
      if (type == kContinuationMessage) {
        if (size < 2 * file_.sizeofAddr()) fail("a continuation message is truncated");
        pending.push_back({decodeLE(body, file_.sizeofAddr()),
                           decodeLE(body + file_.sizeofAddr(), file_.sizeofSize())});
      } else if (type == kAttributeMessage) {
        checkAttribute(body, size, flags);
      }
      p += header + size;
    }
  }

  // The element count of a dataspace message (versions 1 and 2), all inside `size` bytes.
  std::uint64_t elementCount(const unsigned char* space, std::uint64_t size) const {
    if (size < 4) fail("an attribute's dataspace is truncated");
    const unsigned version = space[0], rank = space[1];
    if ((version != 1 && version != 2) || rank > kMaxRank)
      fail("an attribute's dataspace has version " + std::to_string(version) + " and rank " +
           std::to_string(rank));
    if (version == 2 && space[3] == 2) return 0;  // null dataspace
    const std::uint64_t dims = version == 1 ? 8 : 4;
    if (dims + std::uint64_t{rank} * file_.sizeofSize() > size)
      fail("an attribute's dataspace has " + std::to_string(rank) +
           " dimensions that do not fit its " + std::to_string(size) + " bytes");
    std::uint64_t count = 1;
    for (unsigned d = 0; d < rank; ++d) {
      const std::uint64_t extent =
          decodeLE(space + dims + d * file_.sizeofSize(), file_.sizeofSize());
      if (extent != 0 && count > UINT64_MAX / extent) return UINT64_MAX;
      count *= extent;
    }
    return count;
  }

  // One attribute message, laid out as libhdf5's H5O_attr_decode reads it.
  void checkAttribute(const unsigned char* body, std::uint64_t size, unsigned messageFlags) {
    if (messageFlags & 0x02) fail("an attribute message is shared, which imuwb does not read");
    if (size < 8) fail("an attribute message of " + std::to_string(size) + " bytes is truncated");
    const unsigned version = body[0];
    if (version < 1 || version > 3)
      fail("an attribute message has version " + std::to_string(version));
    if (version >= 2 && (body[1] & 0x03))
      fail("an attribute uses a shared datatype or dataspace, which imuwb does not read");
    const std::uint64_t nameLength = decodeLE(body + 2, 2), typeSize = decodeLE(body + 4, 2),
                        spaceSize = decodeLE(body + 6, 2);
    auto step = [version](std::uint64_t n) { return version == 1 ? align8(n) : n; };
    const std::uint64_t nameAt = version == 3 ? 9 : 8, typeAt = nameAt + step(nameLength),
                        spaceAt = typeAt + step(typeSize), dataAt = spaceAt + step(spaceSize);
    const std::string what = "an attribute message of " + std::to_string(size) + " bytes";
    if (nameLength == 0 || nameAt + nameLength > size || body[nameAt + nameLength - 1] != 0)
      fail(what + " has a name that does not end inside it");
    const std::string name = printable(reinterpret_cast<const char*>(body + nameAt));
    const std::string named =
        "attribute message '" + name + "' (" + std::to_string(size) + " bytes)";
    if (typeSize < 8 || spaceAt + spaceSize > size || dataAt > size)
      fail(named + " declares a datatype of " + std::to_string(typeSize) +
           " bytes and a dataspace of " + std::to_string(spaceSize) +
           " bytes, which run past its end");
    const std::uint64_t elementSize = decodeLE(body + typeAt + 4, 4);
    const std::uint64_t count = elementCount(body + spaceAt, spaceSize);
    if (elementSize != 0 && count > (size - dataAt) / elementSize)
      fail(named + " declares " + std::to_string(count) + " elements of " +
           std::to_string(elementSize) + " bytes, but only " + std::to_string(size - dataAt) +
           " bytes of data follow");
  }

  const RawFile& file_;
  std::string where_;
  bool v2_ = false;
  unsigned flags_ = 0;
};

}  // namespace

std::string objectWhere(hid_t object) {
  const ssize_t fileLength = H5Fget_name(object, nullptr, 0);
  std::string file(fileLength > 0 ? static_cast<std::size_t>(fileLength) : 0, '\0');
  if (fileLength > 0) H5Fget_name(object, file.data(), file.size() + 1);
  const ssize_t pathLength = H5Iget_name(object, nullptr, 0);
  std::string path(pathLength > 0 ? static_cast<std::size_t>(pathLength) : 0, '\0');
  if (pathLength > 0) H5Iget_name(object, path.data(), path.size() + 1);
  return file + ":" + (path.empty() ? "/" : path);
}

void guardAttributeMessages(hid_t object, const std::string& where) {
  H5O_info_t info{};
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0)
    throw Error(where, "cannot locate the object's header", kCorruptFix);
  RawFile file(object, where, "attributes");
  HeaderWalk(file, where).walk(info.addr);
}

}  // namespace imuwb::hdf5
