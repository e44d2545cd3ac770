#pragma once
// The /labels group of a session file (docs/session-format.md): classes, start_s, end_s,
// class_index and, when any interval has one, note (variable-length UTF-8 strings). Written by
// SessionWriter and by embedLabels; kept free of HDF5's headers (the id is HDF5's hid_t).
#include <cstdint>

#include "labels/LabelInterval.hpp"

namespace imuwb {

// Creates /labels under the open file or group locationId (it must not exist yet). Throws
// imuwb::Error when an interval's class is not in the class list; HDF5 failures throw H5
// exceptions for the caller's hdf5::guarded.
void writeLabelsGroup(std::int64_t locationId, const LabelSet& labels);

}  // namespace imuwb
