#pragma once
// Variable-length strings live in HDF5's global heap, which libhdf5 1.10 reads without checking
// it: a corrupt heap collection size allocates gigabytes, a corrupt object size makes it copy
// past its buffer, a zero-sized entry loops forever. Before any vlen string read, this guard
// reads the raw heap IDs of the elements (through a conversion to an opaque type, so HDF5
// never touches the heap), walks every global heap collection they name in the file bytes
// itself, with bounded reads, exactly as libhdf5 will walk it, and refuses anything that would
// make libhdf5 over-read, allocate without bound or not terminate.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace imuwb::hdf5 {

// One variable-length element as stored in the file (HDF5's on-disk hvl_t).
struct VlenHeapRef {
  std::uint32_t length = 0;      // declared element count (bytes, for strings)
  std::uint64_t collection = 0;  // global heap collection address, 0 = null string
  std::uint32_t index = 0;       // object index inside the collection
};

// The raw heap IDs of every element of a vlen-string attribute or dataset (object is an
// attribute or dataset id); HDF5 does not dereference them. The strings' character type must be
// 1 byte (libhdf5 allocates length x character size per string). Throws imuwb::Error(where...).
std::vector<VlenHeapRef> readVlenHeapRefs(hid_t object, bool isAttribute, const std::string& where);

// Checks that every reference can be read safely from the file holding `object`: each
// collection has the GCOL signature, a size within the file and the string_bytes limit, an
// object list libhdf5's own walk terminates on inside the collection, and the referenced
// object exists with exactly the declared length. The sum of lengths is within string_bytes.
void checkVlenHeapRefs(hid_t object, const std::vector<VlenHeapRef>& refs,
                       const std::string& where);

// Both of the above: call before H5Aread/H5Dread with a variable-length string memory type.
void guardVlenStringRead(hid_t object, bool isAttribute, const std::string& where);

}  // namespace imuwb::hdf5
