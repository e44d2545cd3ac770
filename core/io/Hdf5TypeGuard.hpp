#pragma once
// Numeric datatypes read from a file are trusted by libhdf5 1.10's conversions: a float whose
// exponent or mantissa position lies past its precision, or an integer or float whose bit
// offset + precision lies past its size, makes the soft conversions (H5T__conv_f_f,
// H5T__conv_i_i, through H5T__bit_find and H5T__bit_get_d) read bits far outside the element.
// The session fuzzer hit it as a SEGV in H5T__bit_find. This guard applies the invariants
// libhdf5's own setters (H5Tset_offset, H5Tset_precision, H5Tset_fields) enforce, before any
// read converts data of that type.
#include <hdf5.h>

#include <string>

namespace imuwb::hdf5 {

// Throws imuwb::Error(where, ...) when an integer or float type's size, offset, precision or
// (floats) sign, exponent and mantissa fields are impossible. Other classes pass unchecked.
void checkNumericType(hid_t type, const std::string& where);

}  // namespace imuwb::hdf5
