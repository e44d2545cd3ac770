#include "io/Hdf5TypeGuard.hpp"

#include "common/Error.hpp"

namespace imuwb::hdf5 {
namespace {

constexpr const char* kCorruptFix =
    "the file is corrupt or hostile; rewrite it with `imuwb import`/`generate`, or re-save it "
    "with h5py";
constexpr std::size_t kMaxNumericBytes = 16;  // no HDF5 integer or float is wider

std::string bits(std::size_t position, std::size_t size) {
  return "bits " + std::to_string(position) + " to " + std::to_string(position + size);
}

}  // namespace

void checkNumericType(hid_t type, const std::string& where) {
  const H5T_class_t typeClass = H5Tget_class(type);
  if (typeClass != H5T_INTEGER && typeClass != H5T_FLOAT) return;
  const char* const kind = typeClass == H5T_FLOAT ? "float" : "integer";
  const std::size_t size = H5Tget_size(type);
  const std::size_t precision = H5Tget_precision(type);
  const int offset = H5Tget_offset(type);
  if (size == 0 || size > kMaxNumericBytes || precision == 0 || offset < 0 ||
      static_cast<std::size_t>(offset) + precision > 8 * size)
    throw Error(where,
                std::string("its ") + kind + " datatype claims " + std::to_string(precision) +
                    " bits of precision at bit offset " + std::to_string(offset) + " in " +
                    std::to_string(size) + " bytes, which do not fit",
                kCorruptFix);
  if (typeClass != H5T_FLOAT) return;
  std::size_t sign = 0, exponentAt = 0, exponentSize = 0, mantissaAt = 0, mantissaSize = 0;
  if (H5Tget_fields(type, &sign, &exponentAt, &exponentSize, &mantissaAt, &mantissaSize) < 0)
    throw Error(where, "its float datatype's fields cannot be read", kCorruptFix);
  const bool fits = sign < precision && exponentSize > 0 && mantissaSize > 0 &&
                    exponentAt + exponentSize <= precision &&
                    mantissaAt + mantissaSize <= precision;
  if (!fits)
    throw Error(where,
                "its float datatype puts the sign at bit " + std::to_string(sign) +
                    ", the exponent at " + bits(exponentAt, exponentSize) +
                    " and the mantissa at " + bits(mantissaAt, mantissaSize) + ", outside its " +
                    std::to_string(precision) + "-bit precision",
                kCorruptFix);
}

}  // namespace imuwb::hdf5
