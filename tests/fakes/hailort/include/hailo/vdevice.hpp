/**
 * Test double of HailoRT 4.23.0's vdevice.hpp: VDevice::create(), create_infer_model() and the
 * physical device ids. The "HEF" a fake VDevice opens is an ONNX file run by imuwb's CPU engine.
 **/
#ifndef _HAILO_VDEVICE_HPP_
#define _HAILO_VDEVICE_HPP_

#include <memory>
#include <string>
#include <vector>

#include "hailo/buffer.hpp"
#include "hailo/expected.hpp"
#include "hailo/hailort.h"
#include "hailo/hef.hpp"

namespace imuwb_fake_hailort {

class InferModel;

class HAILORTAPI VDevice {
 public:
  static Expected<std::unique_ptr<VDevice>> create();
  static Expected<std::shared_ptr<VDevice>> create_shared();

  virtual Expected<std::shared_ptr<InferModel>> create_infer_model(const std::string& hef_path,
                                                                   const std::string& name = "");
  virtual Expected<std::vector<std::string>> get_physical_devices_ids() const;

  virtual ~VDevice();
  VDevice(const VDevice&) = delete;
  VDevice& operator=(const VDevice&) = delete;
  VDevice(VDevice&&) = delete;
  VDevice& operator=(VDevice&& other) = delete;

 protected:
  VDevice();
};

} /* namespace imuwb_fake_hailort */

#endif /* _HAILO_VDEVICE_HPP_ */
