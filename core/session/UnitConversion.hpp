#pragma once
// Sensor units: naming, detection from the data, and conversion into the contract's units
// (m/s^2, rad/s, uT). Every decision is reported as a Finding; nothing is converted silently,
// and when the data cannot tell, the caller gets an imuwb::Error asking for --units.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Channels.hpp"
#include "common/Finding.hpp"

namespace imuwb {

// Canonical unit names: acc "m/s^2" "g" "mg"; gyro "rad/s" "deg/s"; mag "uT" "mG" "nT" "G".
// Accepts common spellings (m/s2, ms2, dps, deg, rads, mgauss, gauss, µT, ut, ...).
// Returns the canonical name, or nullopt when the name is unknown for that group.
std::optional<std::string> canonicalUnit(SensorGroup group, std::string_view name);
// Multiply by this to get contract units. unit must be canonical for the group.
double scaleToContract(SensorGroup group, std::string_view canonicalUnitName);
std::string_view contractUnit(SensorGroup group);
std::string_view groupName(SensorGroup group);  // "acc", "gyro", "mag"

// Units given explicitly (--units acc=g,gyro=deg/s,mag=mG). Parse throws imuwb::Error.
struct UnitOverrides {
  std::optional<std::string> acc, gyro, mag;  // canonical names
  static UnitOverrides parse(std::string_view text);
  const std::optional<std::string>& of(SensorGroup group) const;
};

struct UnitDetection {
  std::string unit;      // canonical; empty = the data cannot tell
  bool strong = false;   // true: unambiguous evidence (at-rest gravity, field magnitude...)
  std::string evidence;  // the numbers behind the decision, in words
};

// Looks at one sensor group of row-major [rowCount, channels] samples (9, or 6 without a
// magnetometer). Stillness is judged over windows of a fixed number of samples, so no rate
// (declared or measured) changes the outcome.
UnitDetection detectUnit(SensorGroup group, const float* rows, std::size_t rowCount,
                         int channels = kChannelCount);

// How the source describes its units before detection.
enum class UnitDeclaration {
  None,      // nothing known (CSV without unit hints): detection must decide or we refuse
  Header,    // a header hint such as acc_x_g or gx[dps]: trusted, contradictions are warned
  Contract,  // the source format promises contract units (sidecar JSON): strong evidence wins
};

struct UnitDecision {
  SensorGroup group = SensorGroup::Accelerometer;
  std::string unit;  // canonical unit of the source data
  double scale = 1;  // multiply source values by this
  Finding report;    // info/warning describing what was decided and why
};

// Decides one group's unit: explicit override > header hint > detection (> contract promise).
// Throws imuwb::Error (where = source) when nothing decides it and the data is ambiguous.
UnitDecision decideUnit(SensorGroup group, const std::string& source,
                        const std::optional<std::string>& given,
                        const std::optional<std::string>& declared, UnitDeclaration declaration,
                        const UnitDetection& detection);

// The decisions of every group the rows hold, on the rows as read (gyro detection uses the raw
// accelerometer for stillness); a 6-axis recording has no magnetometer to decide. Throws as
// decideUnit does.
std::vector<UnitDecision> decideUnits(const float* rows, std::size_t rowCount,
                                      const std::string& source, const UnitOverrides& given,
                                      const UnitOverrides& declared, UnitDeclaration declaration,
                                      int channels = kChannelCount);
// Multiplies each group's three channels by its decision's scale (in float, in place).
void applyUnitScales(float* rows, std::size_t rowCount, int channels,
                     const std::vector<UnitDecision>& decisions);
// The mag_field_implausible warning for 9-channel rows in contract units, or nothing.
std::optional<Finding> implausibleMagneticField(const float* rows, std::size_t rowCount);

// Decides each group the rows hold (rows are [N, channels]: 9, or 6 without a magnetometer)
// and converts samples in place. Returns one report per group, plus a warning when the
// magnetic field, once in uT, is outside what Earth's field can be (code
// mag_field_implausible). sampleRateHz is not used for the decision.
std::vector<Finding> normalizeUnits(std::vector<float>& rows, double sampleRateHz,
                                    const std::string& source, const UnitOverrides& given,
                                    const UnitOverrides& declared, UnitDeclaration declaration,
                                    int channels = kChannelCount);

}  // namespace imuwb
