#include "io/Hdf5VlenGuard.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "io/Hdf5RawFile.hpp"

namespace imuwb::hdf5 {

namespace {

constexpr const char* kRawTag = "imuwb.vlen-heap-id";
constexpr std::size_t kRawSize = 16;  // our normalised form: length u32, address u64, index u32
constexpr const char* kCorruptFix =
    "the file is corrupt or hostile; rewrite it with `imuwb import`/`generate`, or re-save the "
    "strings with h5py";

std::string raiseHint() {
  return "if the file is genuine, raise the limit with IMUWB_LIMIT_STRING_BYTES=N";
}

hid_t rawType() {
  static const hid_t type = [] {
    const hid_t created = H5Tcreate(H5T_OPAQUE, kRawSize);
    H5Tset_tag(created, kRawTag);
    H5Tlock(created);
    return created;
  }();
  return type;
}

// HDF5 soft conversion from an on-disk vlen string to our opaque type. HDF5 hands it the bytes
// exactly as stored (length, heap address, object index) and never dereferences the heap.
herr_t convertToHeapId(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t count, size_t stride,
                       size_t, void* buffer, void*, hid_t) {
  // Not for H5T_CONV_FREE: at library shutdown src and dst are no longer valid ids.
  const auto srcSize = [src] { return H5Tget_size(src); };
  switch (cdata->command) {
    case H5T_CONV_INIT:
      // Only disk-located vlen strings (4 + 4- or 8-byte address + 4) to our own opaque type.
      if (H5Tequal(dst, rawType()) <= 0 || H5Tis_variable_str(src) <= 0) return -1;
      if (srcSize() != 12 && srcSize() != 16) return -1;
      cdata->need_bkg = H5T_BKG_NO;
      return 0;
    case H5T_CONV_FREE:
      return 0;
    case H5T_CONV_CONV: {
      const std::size_t srcSize = H5Tget_size(src);
      auto* bytes = static_cast<unsigned char*>(buffer);
      const std::size_t srcStride = stride ? stride : srcSize;
      const std::size_t dstStride = stride ? stride : kRawSize;
      // In place: a growing conversion walks backwards so no element is overwritten unread.
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = kRawSize > srcSize ? count - 1 - k : k;
        unsigned char in[16] = {};
        std::memcpy(in, bytes + i * srcStride, srcSize);
        const auto length = static_cast<std::uint32_t>(decodeLE(in, 4));
        const std::uint64_t address = decodeLE(in + 4, srcSize - 8);
        const auto index = static_cast<std::uint32_t>(decodeLE(in + srcSize - 4, 4));
        unsigned char* out = bytes + i * dstStride;
        std::memcpy(out, &length, 4);
        std::memcpy(out + 4, &address, 8);
        std::memcpy(out + 12, &index, 4);
      }
      return 0;
    }
    default:
      return -1;
  }
}

void registerConversion() {
  static std::once_flag once;
  std::call_once(once, [] {
    const hid_t vlen = H5Tcopy(H5T_C_S1);
    H5Tset_size(vlen, H5T_VARIABLE);
    H5Tregister(H5T_PERS_SOFT, "imuwb_vlen_heap_id", vlen, rawType(), convertToHeapId);
    H5Tclose(vlen);
  });
}

std::uint64_t align8(std::uint64_t value) {
  return (value + 7) / 8 * 8;
}

// Walks one collection as libhdf5 1.10's H5HG__cache_heap_deserialize does and returns each
// object's size by index. Anything that would make that walk over-read, wrap or loop is an
// Error.
std::map<std::uint32_t, std::uint64_t> walkCollection(const RawFile& file, std::uint64_t address,
                                                      std::uint64_t limit, std::uint64_t& walked,
                                                      const std::string& where) {
  const std::size_t sizeofSize = file.sizeofSize();
  const std::string at = "the global heap collection at address " + std::to_string(address);
  if (sizeofSize != 2 && sizeofSize != 4 && sizeofSize != 8)
    throw Error(where, "unsupported HDF5 length size " + std::to_string(sizeofSize), kCorruptFix);
  const std::uint64_t headerSize = align8(4 + 1 + 3 + sizeofSize);
  const std::uint64_t objectHeader = 2 + 2 + 4 + sizeofSize;
  unsigned char header[16] = {};
  if (!file.read(address, headerSize, header))
    throw Error(where, at + " lies outside the file", kCorruptFix);
  if (std::memcmp(header, "GCOL", 4) != 0 || header[4] != 1)
    throw Error(where, at + " has no valid GCOL signature/version", kCorruptFix);
  const std::uint64_t size = decodeLE(header + 8, sizeofSize);
  if (size > limit)
    throw Error(where,
                at + " claims " + std::to_string(size) + " bytes, over the string_bytes limit of " +
                    std::to_string(limit),
                raiseHint());
  walked += size;
  std::vector<unsigned char> bytes(size);
  if (size < headerSize || !file.read(address, size, bytes.data()))
    throw Error(where,
                at + " claims " + std::to_string(size) + " bytes, beyond the end of the file",
                kCorruptFix);
  std::map<std::uint32_t, std::uint64_t> objects;
  std::uint64_t p = headerSize;
  while (p < size) {
    if (p + objectHeader > size) break;  // a tail too small for an object: free space
    const auto index = static_cast<std::uint32_t>(decodeLE(&bytes[p], 2));
    const std::uint64_t objectSize = decodeLE(&bytes[p + 8], sizeofSize);
    const std::uint64_t need =
        index > 0 ? (objectSize > size ? size + 1 : objectHeader + align8(objectSize)) : objectSize;
    if (need == 0)
      throw Error(where, at + " has an empty free-space entry (HDF5 would loop forever)",
                  kCorruptFix);
    if (need > size - p)
      throw Error(where,
                  at + ": object " + std::to_string(index) + " claims " +
                      std::to_string(objectSize) + " bytes, past the end of its collection",
                  kCorruptFix);
    objects[index] = objectSize;
    p += need;
  }
  return objects;
}

// A variable-length string's characters are one byte each. libhdf5 takes the character size
// from the file, and its conversion allocates length x that size per string: a 36 KB file whose
// characters claimed 32 MiB each took 670 MB and 4 s to read nine two-letter strings.
void checkCharacterSize(hid_t object, bool isAttribute, const std::string& where) {
  const hid_t type = isAttribute ? H5Aget_type(object) : H5Dget_type(object);
  if (type < 0) throw Error(where, "cannot read the type of the strings", kCorruptFix);
  const hid_t base = H5Tget_super(type);
  const std::size_t size = base >= 0 ? H5Tget_size(base) : 0;
  if (base >= 0) H5Tclose(base);
  H5Tclose(type);
  if (size != 1)
    throw Error(where,
                "its variable-length strings claim characters of " + std::to_string(size) +
                    " bytes each (a string's characters are 1 byte)",
                kCorruptFix);
}

}  // namespace

std::vector<VlenHeapRef> readVlenHeapRefs(hid_t object, bool isAttribute,
                                          const std::string& where) {
  checkCharacterSize(object, isAttribute, where);
  registerConversion();
  const hid_t space = isAttribute ? H5Aget_space(object) : H5Dget_space(object);
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  H5Sclose(space);
  const auto limit = limits::value(limits::kStringBytes);
  if (count < 0) throw Error(where, "cannot read the number of strings", kCorruptFix);
  // Each element takes 16 bytes in the file, so more than limit/16 breaks the limit anyway.
  if (static_cast<std::uint64_t>(count) > limit / kRawSize)
    throw Error(where,
                "declares " + std::to_string(count) + " strings, over the string_bytes limit of " +
                    std::to_string(limit),
                raiseHint());
  std::vector<unsigned char> raw(static_cast<std::size_t>(count) * kRawSize);
  std::vector<VlenHeapRef> refs(static_cast<std::size_t>(count));
  if (count == 0) return refs;
  const herr_t status = isAttribute
                            ? H5Aread(object, rawType(), raw.data())
                            : H5Dread(object, rawType(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
  if (status < 0)
    throw Error(where, "cannot read the variable-length string references", kCorruptFix);
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const unsigned char* in = &raw[i * kRawSize];
    std::memcpy(&refs[i].length, in, 4);
    std::memcpy(&refs[i].collection, in + 4, 8);
    std::memcpy(&refs[i].index, in + 12, 4);
  }
  return refs;
}

void checkVlenHeapRefs(hid_t object, const std::vector<VlenHeapRef>& refs,
                       const std::string& where) {
  const auto limit = limits::value(limits::kStringBytes);
  std::uint64_t total = 0;
  for (const auto& ref : refs) {
    if (ref.collection == 0) continue;  // a null string: HDF5 reads nothing
    total += ref.length;
  }
  if (total > limit)
    throw Error(where,
                "strings claim " + std::to_string(total) +
                    " bytes in all, over the string_bytes limit of " + std::to_string(limit),
                raiseHint());
  std::map<std::uint64_t, std::map<std::uint32_t, std::uint64_t>> collections;
  std::uint64_t walked = 0;
  std::unique_ptr<RawFile> file;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const auto& ref = refs[i];
    if (ref.collection == 0) continue;
    auto found = collections.find(ref.collection);
    if (found == collections.end()) {
      if (!file) file = std::make_unique<RawFile>(object, where, "variable-length strings");
      // Distinct collections may overlap in a hostile file: bound the bytes walked in all.
      const auto objects =
          walkCollection(*file, ref.collection, limit - std::min(limit, walked), walked, where);
      found = collections.emplace(ref.collection, objects).first;
    }
    const auto object = found->second.find(ref.index);
    if (ref.index == 0 || object == found->second.end() || object->second != ref.length)
      throw Error(where,
                  "string " + std::to_string(i) + " points at global heap object " +
                      std::to_string(ref.index) + " of the collection at address " +
                      std::to_string(ref.collection) +
                      (object == found->second.end() || ref.index == 0
                           ? ", which does not exist"
                           : ", whose size " + std::to_string(object->second) +
                                 " differs from the declared length " + std::to_string(ref.length)),
                  kCorruptFix);
  }
}

void guardVlenStringRead(hid_t object, bool isAttribute, const std::string& where) {
  checkVlenHeapRefs(object, readVlenHeapRefs(object, isAttribute, where), where);
}

}  // namespace imuwb::hdf5
