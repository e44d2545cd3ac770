#pragma once
// Internal to the hailort backend (HailortBackend.cpp, HailortStreams.cpp), the only files that
// see HailoRT's headers: the real ones (HailoRT::libhailort) or the test double's
// (tests/fakes/hailort), which declare the same signatures for every call made here.
#include <hailo/hailort.hpp>

#include <string>
#include <vector>

#include "backends/hailort/HailortBackend.hpp"

namespace imuwb {
inline namespace IMUWB_HAILORT_FLAVOUR {
namespace hailort_calls {

// Throws imuwb::Error naming the HailoRT call, the status (name and number), what the backend
// was doing (context) and a fix for the statuses a user can act on.
[[noreturn]] void throwStatus(const std::string& call, hailo_status status,
                              const std::string& context);

inline void check(hailo_status status, const std::string& call, const std::string& context = {}) {
  if (status != HAILO_SUCCESS) throwStatus(call, status, context);
}

// The value of an Expected<T>, or imuwb::Error for its status.
template <class T>
T take(hailort::Expected<T>&& expected, const std::string& call, const std::string& context = {}) {
  if (!expected) throwStatus(call, expected.status(), context);
  return expected.release();
}

std::string formatOrderName(hailo_format_order_t order);
std::string formatTypeName(hailo_format_type_t type);
std::string libraryVersion();  // "4.23.0" from hailo_get_library_version

HailortStreamInfo describeStream(const hailort::InferModel::InferStream& stream, bool input,
                                 const std::string& originalName, const std::string& role);
std::string describeQuant(const std::vector<HailortStreamInfo::Quant>& quant);

// Raw device values to floats: (q - qp_zp) * qp_scale, with infos[i % features] when the HEF
// has one entry per feature (features is innermost in NHWC), infos[0] when it has one.
void dequantize(const std::uint8_t* q, std::size_t count,
                const std::vector<hailo_quant_info_t>& infos, std::uint32_t features, float* out);
// One frame of an NHWC output [H,W,C] to the ONNX order [C,H,W] it was compiled from.
void hwcToChw(const float* hwc, hailo_3d_image_shape_t shape, float* chw);

}  // namespace hailort_calls
}  // namespace IMUWB_HAILORT_FLAVOUR
}  // namespace imuwb
