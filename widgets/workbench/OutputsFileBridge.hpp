#pragma once
// ModelOutputs <-> the outputs HDF5 of `imuwb run`, through core's OutputsWriter/OutputsFile
// (the widgets never touch HDF5 themselves). Qt-free.
#include <filesystem>

#include "ModelOutputs.hpp"

namespace imuwb::widgets {

// Writes atomically (core writes a temporary file and renames it). Throws imuwb::Error.
void saveOutputs(const ModelOutputs& outputs, const Session& session,
                 const std::filesystem::path& target);
// Reads the first backend of an outputs file (or `backend` when given). Throws imuwb::Error.
ModelOutputs loadOutputs(const std::filesystem::path& path, const std::string& backend = {});

}  // namespace imuwb::widgets
