#pragma once
// "Embed labels into the session file", the explicit action: writes a NEW session file, a copy
// of the session with the given labels in its /labels group. The copy is made beside the output
// as a temporary file, the labels are written into the copy, the copy is checked by reading it
// back, then renamed onto the output. The original session is only read; HDF5 1.10 has no
// journal, so labels are never written into an existing session file in place.
#include <filesystem>

#include "common/JobControl.hpp"
#include "labels/LabelInterval.hpp"

namespace imuwb {

// Throws imuwb::Error when output is the session itself (or a link to it), exists and force is
// false, has a side-car labels file beside it (which would hide the embedded labels when the
// output is opened), or the copy/write fails (output is then untouched).
void embedLabels(const std::filesystem::path& session, const LabelSet& labels,
                 const std::filesystem::path& output, bool force, const JobControl& control = {});

}  // namespace imuwb
