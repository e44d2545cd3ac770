/**
 * Test double of HailoRT 4.23.0's expected.hpp: Expected<T> is either a T or the hailo_status
 * that prevented it, with the real class's members and rules (no assignment, release() leaves
 * HAILO_UNINITIALIZED behind, no exceptions: libhailort is built without them).
 **/
#ifndef _HAILO_EXPECTED_HPP_
#define _HAILO_EXPECTED_HPP_

#include <assert.h>

#include <new>
#include <type_traits>
#include <utility>

#include "hailo/hailort.h"

namespace imuwb_fake_hailort {

class Unexpected final {
 public:
  explicit Unexpected(hailo_status status) : m_status(status) {}
  operator hailo_status() { return m_status; }
  hailo_status m_status;
};

inline Unexpected make_unexpected(hailo_status status) {
  return Unexpected(status);
}

template <typename T>
class Expected final {
 public:
  template <class U>
  friend class Expected;

  Expected(Unexpected unexpected) : m_status(unexpected.m_status) {
    assert(unexpected.m_status != HAILO_SUCCESS);
  }
  explicit Expected(const Expected<T>& other) : m_status(other.m_status) {
    if (other.has_value()) {
      new ((void*)&m_value) T(other.m_value);
    }
  }
  Expected(Expected<T>&& other) : m_status(other.m_status) {
    if (other.has_value()) {
      new ((void*)&m_value) T(std::move(other.m_value));
    }
  }
  Expected(T&& value) : m_value(std::move(value)), m_status(HAILO_SUCCESS) {}
  Expected(hailo_status status) = delete;
  template <typename... Args, std::enable_if_t<std::is_constructible<T, Args...>::value, int> = 0>
  explicit Expected(Args&&... args)
      : m_value(std::forward<Args>(args)...), m_status(HAILO_SUCCESS) {}

  Expected<T>& operator=(const Expected<T>& other) = delete;
  Expected<T>& operator=(Expected<T>&& other) noexcept = delete;
  Expected<T>& operator=(const T& other) = delete;
  Expected<T>& operator=(T&& other) noexcept = delete;
  Expected<T>& operator=(hailo_status status) = delete;

  ~Expected() {
    if (has_value()) {
      m_status = HAILO_UNINITIALIZED;
      m_value.~T();
    }
  }

  bool has_value() const { return (HAILO_SUCCESS == m_status); }
  T& value() & {
    assert(has_value());
    return m_value;
  }
  const T& value() const& {
    assert(has_value());
    return m_value;
  }
  hailo_status status() const { return m_status; }
  T release() {
    assert(has_value());
    T tmp = std::move(m_value);
    m_value.~T();
    m_status = HAILO_UNINITIALIZED;
    return tmp;
  }
  T* operator->() {
    assert(has_value());
    return &(value());
  }
  const T* operator->() const {
    assert(has_value());
    return &(value());
  }
  T& operator*() & {
    assert(has_value());
    return value();
  }
  const T& operator*() const& {
    assert(has_value());
    return value();
  }
  explicit operator bool() const { return has_value(); }

 private:
  union {
    T m_value;
  };
  hailo_status m_status;
};

} /* namespace imuwb_fake_hailort */

/* The fake's classes live in their own namespace, reached as hailort:: through this alias, so a
   test binary that also links the real libhailort (a HailoRT build) has no duplicate symbols. */
namespace hailort = imuwb_fake_hailort;

#endif /* _HAILO_EXPECTED_HPP_ */
