#pragma once
// JUnit XML for CI: one <testcase> per output check (classname "parity.<output>", name the
// metric and threshold), plus one for input clipping when it was measured and one per
// error-severity finding. Failures carry the measured value in the message.
#include <filesystem>
#include <string>

#include "analysis/ParityResult.hpp"

namespace imuwb::io {

std::string parityReportJUnit(const analysis::ParityResult& result,
                              const std::string& suiteName = "imuwb.parity");
void writeParityReportJUnit(const analysis::ParityResult& result, const std::filesystem::path& path,
                            const std::string& suiteName = "imuwb.parity");

// Escapes text for XML attributes and content (also drops control characters XML forbids).
std::string xmlEscape(const std::string& text);

}  // namespace imuwb::io
