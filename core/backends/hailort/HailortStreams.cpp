// HailoRT statuses as imuwb::Error, stream descriptions, and the host-side conversions of the
// raw UINT8 path.
#include <cstdio>

#include "backends/hailort/HailortCalls.hpp"
#include "common/Error.hpp"

namespace imuwb {
inline namespace IMUWB_HAILORT_FLAVOUR {

std::string hailoStatusText(int status) {
  const char* name = hailo_get_status_message(static_cast<hailo_status>(status));
  return std::string(name ? name : "unknown hailo_status") + " (" + std::to_string(status) + ")";
}

namespace hailort_calls {
namespace {

std::string fixFor(hailo_status status) {
  switch (status) {
    case HAILO_OUT_OF_PHYSICAL_DEVICES:
    case HAILO_DEVICE_IN_USE:
      return "no free Hailo-8: check that `hailortcli scan` lists one and that no other process "
             "holds it (stop that process, or run the HailoRT multi-process service)";
    case HAILO_DRIVER_NOT_INSTALLED:
    case HAILO_INVALID_DRIVER_VERSION:
    case HAILO_DRIVER_INVALID_IOCTL:
    case HAILO_DRIVER_INVALID_RESPONSE:
      return "install the hailort-pcie-driver matching libhailort 4.23 and reboot";
    case HAILO_OPEN_FILE_FAILURE:
      return "check the HEF path (--backend-option hef=PATH)";
    case HAILO_INVALID_HEF:
    case HAILO_HEF_FILE_CORRUPTED:
    case HAILO_HEF_NOT_SUPPORTED:
    case HAILO_HEF_NOT_COMPATIBLE_WITH_DEVICE:
    case HAILO_INVALID_DEVICE_ARCHITECTURE:
      return "compile the model for hailo8 with a Dataflow Compiler release that matches "
             "HailoRT 4.23";
    case HAILO_TIMEOUT:
      return "raise --backend-option timeout_ms=N, or check the device (hailortcli fw-control "
             "identify)";
    default:
      return "HailoRT's own account of it is in hailort.log in the working directory";
  }
}

std::string number(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", double(value));
  return text;
}

}  // namespace

void throwStatus(const std::string& call, hailo_status status, const std::string& context) {
  throw Error(
      "hailort backend: " + call,
      call + " returned " + hailoStatusText(status) + (context.empty() ? "" : " (" + context + ")"),
      fixFor(status));
}

std::string formatOrderName(hailo_format_order_t order) {
  switch (order) {
    case HAILO_FORMAT_ORDER_AUTO:
      return "AUTO";
    case HAILO_FORMAT_ORDER_NHWC:
      return "NHWC";
    case HAILO_FORMAT_ORDER_NHCW:
      return "NHCW";
    case HAILO_FORMAT_ORDER_FCR:
      return "FCR";
    case HAILO_FORMAT_ORDER_F8CR:
      return "F8CR";
    case HAILO_FORMAT_ORDER_NHW:
      return "NHW";
    case HAILO_FORMAT_ORDER_NC:
      return "NC";
    case HAILO_FORMAT_ORDER_NCHW:
      return "NCHW";
    default:
      return "format order " + std::to_string(int(order));
  }
}

std::string formatTypeName(hailo_format_type_t type) {
  switch (type) {
    case HAILO_FORMAT_TYPE_AUTO:
      return "auto";
    case HAILO_FORMAT_TYPE_UINT8:
      return "uint8";
    case HAILO_FORMAT_TYPE_UINT16:
      return "uint16";
    case HAILO_FORMAT_TYPE_FLOAT32:
      return "float32";
    default:
      return "format type " + std::to_string(int(type));
  }
}

std::string libraryVersion() {
  hailo_version_t version{};
  if (hailo_get_library_version(&version) != HAILO_SUCCESS) return "unknown";
  return std::to_string(version.major) + "." + std::to_string(version.minor) + "." +
         std::to_string(version.revision);
}

HailortStreamInfo describeStream(const hailort::InferModel::InferStream& stream, bool input,
                                 const std::string& originalName, const std::string& role) {
  HailortStreamInfo info;
  info.name = stream.name();
  info.originalName = originalName;
  info.role = role;
  info.input = input;
  const auto shape = stream.shape();
  info.height = shape.height;
  info.width = shape.width;
  info.features = shape.features;
  const auto format = stream.format();
  info.formatOrder = formatOrderName(format.order);
  info.formatType = formatTypeName(format.type);
  for (const auto& q : stream.get_quant_infos())
    info.quant.push_back({q.qp_zp, q.qp_scale, q.limvals_min, q.limvals_max});
  return info;
}

std::string describeQuant(const std::vector<HailortStreamInfo::Quant>& quant) {
  if (quant.empty()) return "no quantization info";
  auto one = [](const HailortStreamInfo::Quant& q) {
    return "zp " + number(q.zeroPoint) + " scale " + number(q.scale) + " [" + number(q.min) + ", " +
           number(q.max) + "]";
  };
  if (quant.size() == 1) return "per tensor: " + one(quant.front());
  std::string text = "per channel (" + std::to_string(quant.size()) + "): ";
  for (std::size_t i = 0; i < quant.size() && i < 3; ++i)
    text += (i ? "; " : "") + std::string("c") + std::to_string(i) + " " + one(quant[i]);
  return quant.size() > 3 ? text + "; ..." : text;
}

void dequantize(const std::uint8_t* q, std::size_t count,
                const std::vector<hailo_quant_info_t>& infos, std::uint32_t features, float* out) {
  if (infos.size() == 1) {
    const float zp = infos[0].qp_zp, scale = infos[0].qp_scale;
    for (std::size_t i = 0; i < count; ++i) out[i] = (q[i] - zp) * scale;
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const auto& info = infos[i % features];
    out[i] = (q[i] - info.qp_zp) * info.qp_scale;
  }
}

void hwcToChw(const float* hwc, hailo_3d_image_shape_t shape, float* chw) {
  const std::size_t h = shape.height, w = shape.width, c = shape.features;
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x)
      for (std::size_t f = 0; f < c; ++f) chw[(f * h + y) * w + x] = hwc[(y * w + x) * c + f];
}

}  // namespace hailort_calls
}  // namespace IMUWB_HAILORT_FLAVOUR
}  // namespace imuwb
