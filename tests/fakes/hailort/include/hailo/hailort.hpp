/**
 * Test double of HailoRT 4.23.0's umbrella header hailort.hpp (the subset the fake mirrors).
 **/
#ifndef _HAILORT_HPP_
#define _HAILORT_HPP_

#include "hailo/buffer.hpp"
#include "hailo/expected.hpp"
#include "hailo/hailort.h"
#include "hailo/hef.hpp"
#include "hailo/infer_model.hpp"
#include "hailo/vdevice.hpp"

#endif /* _HAILORT_HPP_ */
