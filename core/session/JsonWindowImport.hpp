#pragma once
// Import of a sidecar request body {"x": [[ax,ay,az,gx,gy,gz,mx,my,mz] x N]} (contract.md,
// POST /infer) as a one-device session at 100 Hz. The API promises contract units, but real
// requests break that promise (the pipeline fixtures carry deg/s gyro): strong evidence of
// other units is converted and reported, as in CSV import.
#include <filesystem>

#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"

namespace imuwb {

ImportResult importJsonWindow(const std::filesystem::path& path, const ImportOptions& options = {},
                              const JobControl& control = {});

}  // namespace imuwb
