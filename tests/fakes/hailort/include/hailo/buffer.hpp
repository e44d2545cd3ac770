/**
 * Test double of HailoRT 4.23.0's buffer.hpp: MemoryView only (a non-owning pointer and size).
 **/
#ifndef _HAILO_BUFFER_HPP_
#define _HAILO_BUFFER_HPP_

#include <cstddef>
#include <cstdint>
#include <string>

#include "hailo/expected.hpp"

namespace imuwb_fake_hailort {

class MemoryView final {
 public:
  MemoryView() noexcept : m_data(nullptr), m_size(0) {}
  MemoryView(void* data, size_t size) noexcept : m_data(data), m_size(size) {}
  MemoryView(const std::string& data) noexcept
      : m_data(const_cast<char*>(data.data())), m_size(data.size()) {}
  ~MemoryView() = default;
  MemoryView& operator=(MemoryView&& other) noexcept = default;
  MemoryView(const MemoryView&) noexcept = default;
  MemoryView& operator=(const MemoryView&) noexcept = default;
  MemoryView(MemoryView&&) noexcept = default;

  static const MemoryView create_const(const void* data, size_t size) noexcept {
    return MemoryView(const_cast<void*>(data), size);
  }

  uint8_t* data() noexcept { return static_cast<uint8_t*>(m_data); }
  const uint8_t* data() const noexcept { return static_cast<const uint8_t*>(m_data); }
  size_t size() const noexcept { return m_size; }
  bool empty() const noexcept { return (m_data == nullptr); }

 private:
  void* m_data;
  size_t m_size;
};

} /* namespace imuwb_fake_hailort */

#endif /* _HAILO_BUFFER_HPP_ */
