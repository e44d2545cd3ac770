#pragma once
// Attribute messages in an object header are decoded by libhdf5 1.10 without checking them
// against the message that holds them: a dataspace size or a data extent that runs past the
// message made H5Aexists copy past the object header's buffer (a heap over-read the session
// fuzzer found). Before libhdf5 looks up or opens any attribute of an object, this guard reads
// the object's header itself, with bounded reads, walks its chunks and messages as libhdf5 does
// (object header versions 1 and 2, continuation chunks), and checks every attribute message:
// name, datatype, dataspace and data all inside the message, the data exactly as large as the
// dataspace and the datatype say.
#include <hdf5.h>

#include <string>

namespace imuwb::hdf5 {

// Throws imuwb::Error(where, ...) naming the message when an attribute message of `object` (a
// group or a dataset) would make libhdf5 read outside it. where: "file.h5:/path".
void guardAttributeMessages(hid_t object, const std::string& where);

// "file.h5:/path" for an open object, for errors raised where no caller named it.
std::string objectWhere(hid_t object);

}  // namespace imuwb::hdf5
