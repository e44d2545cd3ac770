/**
 * Test double of HailoRT 4.23.0's hef.hpp: the Hef members imuwb's backend reads from an
 * InferModel's hef() (names, original-name mapping, hash). Private implementation pointer, as
 * in the real class; the fake's Hef is made only by the fake VDevice.
 **/
#ifndef _HAILO_HEF_HPP_
#define _HAILO_HEF_HPP_

#include <memory>
#include <string>
#include <vector>

#include "hailo/buffer.hpp"
#include "hailo/expected.hpp"
#include "hailo/hailort.h"

namespace imuwb_fake_hailort {

class FakeAccess;

class HAILORTAPI Hef final {
 public:
  Expected<std::string> get_vstream_name_from_original_name(
      const std::string& original_name, const std::string& net_group_name = "") const;
  Expected<std::vector<std::string>> get_original_names_from_vstream_name(
      const std::string& vstream_name, const std::string& net_group_name = "") const;
  std::vector<std::string> get_network_groups_names() const;
  std::string hash() const;

  ~Hef();
  Hef(Hef&&);
  Hef& operator=(Hef&&);
  Hef(const Hef&) = default;
  Hef& operator=(const Hef&) = delete;

 private:
  friend class FakeAccess;
  class Impl;
  Hef(std::shared_ptr<Impl> pimpl);
  std::shared_ptr<Impl> pimpl;
};

} /* namespace imuwb_fake_hailort */

#endif /* _HAILO_HEF_HPP_ */
