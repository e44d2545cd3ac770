#pragma once
// Small helpers over the HDF5 C++ API shared by every HDF5 reader/writer in core: turning
// H5::Exception into imuwb::Error (file + object + fix), and string attributes that h5py
// reads as plain str (variable-length UTF-8).
#include <H5Cpp.h>

#include <string>
#include <utility>
#include <vector>

#include "common/Error.hpp"

namespace imuwb::hdf5 {

// Turns off HDF5's automatic printing of its error stack to stderr (we report errors ourselves).
void silenceErrorStack();

// Runs body; an H5::Exception becomes imuwb::Error(where, problem + HDF5's detail, fix).
template <class Body>
auto guarded(const std::string& where, const std::string& problem, const std::string& fix,
             Body&& body) -> decltype(body()) {
  try {
    return std::forward<Body>(body)();
  } catch (const H5::Exception& error) {
    throw Error(where, problem + " (HDF5: " + error.getCDetailMsg() + ")", fix);
  }
}

bool hasAttribute(const H5::H5Object& object, const std::string& name);
// Throws imuwb::Error(where...) when missing or not a string.
std::string readStringAttribute(const H5::H5Object& object, const std::string& name,
                                const std::string& where);
std::vector<std::string> readStringArrayAttribute(const H5::H5Object& object,
                                                  const std::string& name,
                                                  const std::string& where);
double readDoubleAttribute(const H5::H5Object& object, const std::string& name,
                           const std::string& where);
long long readIntegerAttribute(const H5::H5Object& object, const std::string& name,
                               const std::string& where);

void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value);
void writeStringArrayAttribute(H5::H5Object& object, const std::string& name,
                               const std::vector<std::string>& values);
void writeDoubleAttribute(H5::H5Object& object, const std::string& name, double value);
void writeIntegerAttribute(H5::H5Object& object, const std::string& name, long long value);

// Variable-length UTF-8 string datasets (h5py: ds.asstr()[()]).
void writeStringDataset(H5::Group& group, const std::string& name,
                        const std::vector<std::string>& values);
std::vector<std::string> readStringDataset(const H5::DataSet& dataset, const std::string& where);

}  // namespace imuwb::hdf5
