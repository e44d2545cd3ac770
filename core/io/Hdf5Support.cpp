#include "io/Hdf5Support.hpp"

#include "io/Hdf5AttributeGuard.hpp"
#include "io/Hdf5TypeGuard.hpp"
#include "io/Hdf5VlenGuard.hpp"

namespace imuwb::hdf5 {

void silenceErrorStack() {
  H5::Exception::dontPrint();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// libhdf5 decodes every attribute message of the object to look one up: each is checked
// first (io/Hdf5AttributeGuard.hpp).
bool hasAttribute(const H5::H5Object& object, const std::string& name) {
  guardAttributeMessages(object.getId(), objectWhere(object.getId()));
  return object.attrExists(name);
}

namespace {
H5::StrType variableString() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

H5::Attribute openAttribute(const H5::H5Object& object, const std::string& name,
                            const std::string& where) {
  guardAttributeMessages(object.getId(), where);
  if (!object.attrExists(name))
    throw Error(where, "attribute '" + name + "' is missing",
                "write the file with imuwb (import/generate) or add the attribute as "
                "docs/session-format.md describes");
  return object.openAttribute(name);
}

// Reads a scalar or 1-element string attribute of fixed or variable length.
std::vector<std::string> readStrings(const H5::Attribute& attribute, const std::string& where,
                                     const std::string& name) {
  const H5::DataType type = attribute.getDataType();
  if (type.getClass() != H5T_STRING)
    throw Error(where, "attribute '" + name + "' is not a string",
                "store it as a UTF-8 string (h5py: attrs['" + name + "'] = 'text')");
  const H5::DataSpace space = attribute.getSpace();
  const hssize_t count = space.getSimpleExtentNpoints();
  std::vector<std::string> out;
  if (count == 0) return out;  // an empty list (e.g. no label classes): nothing to read
  const H5::StrType strType = attribute.getStrType();
  if (strType.isVariableStr()) {
    // libhdf5 reads the global heap unchecked: validate it first (io/Hdf5VlenGuard.hpp).
    guardVlenStringRead(attribute.getId(), true, where + ": attribute '" + name + "'");
    std::vector<char*> raw(static_cast<std::size_t>(count), nullptr);
    try {
      attribute.read(strType, raw.data());
      for (char* text : raw) out.emplace_back(text ? text : "");
    } catch (...) {
      // A read that fails part-way (a corrupt heap entry) has already allocated the strings
      // before it; reclaim them too (null entries are skipped).
      H5Dvlen_reclaim(strType.getId(), space.getId(), H5P_DEFAULT, raw.data());
      throw;
    }
    H5Dvlen_reclaim(strType.getId(), space.getId(), H5P_DEFAULT, raw.data());
  } else {
    const std::size_t size = strType.getSize();
    std::vector<char> raw(size * static_cast<std::size_t>(count) + 1, '\0');
    attribute.read(strType, raw.data());
    for (hssize_t i = 0; i < count; ++i) {
      std::string text(raw.data() + i * size, size);
      text.erase(text.find_last_not_of(std::string("\0 ", 2)) + 1);
      out.push_back(text);
    }
  }
  return out;
}
}  // namespace

std::string readStringAttribute(const H5::H5Object& object, const std::string& name,
                                const std::string& where) {
  return guarded(where, "cannot read attribute '" + name + "'", "rewrite the file", [&] {
    const auto values = readStrings(openAttribute(object, name, where), where, name);
    if (values.size() != 1)
      throw Error(
          where,
          "attribute '" + name + "' should be one string, has " + std::to_string(values.size()),
          "store a single string");
    return values.front();
  });
}

std::vector<std::string> readStringArrayAttribute(const H5::H5Object& object,
                                                  const std::string& name,
                                                  const std::string& where) {
  return guarded(where, "cannot read attribute '" + name + "'", "rewrite the file",
                 [&] { return readStrings(openAttribute(object, name, where), where, name); });
}

double readDoubleAttribute(const H5::H5Object& object, const std::string& name,
                           const std::string& where) {
  return guarded(where, "cannot read attribute '" + name + "'", "rewrite the file", [&] {
    const H5::Attribute attribute = openAttribute(object, name, where);
    const auto cls = attribute.getDataType().getClass();
    if ((cls != H5T_FLOAT && cls != H5T_INTEGER) ||
        attribute.getSpace().getSimpleExtentNpoints() != 1)
      throw Error(where, "attribute '" + name + "' should be one number",
                  "store a scalar number (h5py: attrs['" + name + "'] = 100.0)");
    checkNumericType(attribute.getDataType().getId(), where + ": attribute '" + name + "'");
    double value = 0;
    attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
    return value;
  });
}

long long readIntegerAttribute(const H5::H5Object& object, const std::string& name,
                               const std::string& where) {
  return guarded(where, "cannot read attribute '" + name + "'", "rewrite the file", [&] {
    const H5::Attribute attribute = openAttribute(object, name, where);
    if (attribute.getDataType().getClass() != H5T_INTEGER ||
        attribute.getSpace().getSimpleExtentNpoints() != 1)
      throw Error(where, "attribute '" + name + "' should be one integer",
                  "store a scalar integer (h5py: attrs['" + name + "'] = 1)");
    checkNumericType(attribute.getDataType().getId(), where + ": attribute '" + name + "'");
    long long value = 0;
    attribute.read(H5::PredType::NATIVE_LLONG, &value);
    return value;
  });
}

void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value) {
  const H5::StrType type = variableString();
  H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  const char* text = value.c_str();
  attribute.write(type, &text);
}

void writeStringArrayAttribute(H5::H5Object& object, const std::string& name,
                               const std::vector<std::string>& values) {
  const H5::StrType type = variableString();
  const hsize_t count = values.size();
  H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(1, &count));
  std::vector<const char*> texts;
  for (const auto& value : values) texts.push_back(value.c_str());
  // HDF5 rejects a write from an empty buffer; a zero-length attribute needs no data.
  if (!texts.empty()) attribute.write(type, texts.data());
}

void writeDoubleAttribute(H5::H5Object& object, const std::string& name, double value) {
  H5::Attribute attribute =
      object.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void writeIntegerAttribute(H5::H5Object& object, const std::string& name, long long value) {
  H5::Attribute attribute =
      object.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_LLONG, &value);
}

void writeStringDataset(H5::Group& group, const std::string& name,
                        const std::vector<std::string>& values) {
  const H5::StrType type = variableString();
  const hsize_t count = values.size();
  H5::DSetCreatPropList untimed;  // no modification times: same content, same bytes
  H5Pset_obj_track_times(untimed.getId(), false);
  H5::DataSet dataset = group.createDataSet(name, type, H5::DataSpace(1, &count), untimed);
  std::vector<const char*> texts;
  for (const auto& value : values) texts.push_back(value.c_str());
  if (!texts.empty()) dataset.write(texts.data(), type);
}

std::vector<std::string> readStringDataset(const H5::DataSet& dataset, const std::string& where) {
  return guarded(where, "cannot read string dataset", "rewrite the file", [&] {
    const H5::DataType type = dataset.getDataType();
    if (type.getClass() != H5T_STRING)
      throw Error(where, "should hold strings", "store the names as UTF-8 strings");
    const H5::DataSpace space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != 1)
      throw Error(where, "should be 1-D", "store a 1-D array of strings");
    const hssize_t count = space.getSimpleExtentNpoints();
    std::vector<std::string> out;
    const H5::StrType strType = dataset.getStrType();
    if (count == 0) return out;
    if (strType.isVariableStr()) {
      guardVlenStringRead(dataset.getId(), false, where);  // see readStrings
      std::vector<char*> raw(static_cast<std::size_t>(count), nullptr);
      dataset.read(raw.data(), strType);
      for (char* text : raw) out.emplace_back(text ? text : "");
      H5Dvlen_reclaim(strType.getId(), space.getId(), H5P_DEFAULT, raw.data());
    } else {
      const std::size_t size = strType.getSize();
      std::vector<char> raw(size * static_cast<std::size_t>(count) + 1, '\0');
      dataset.read(raw.data(), strType);
      for (hssize_t i = 0; i < count; ++i) {
        std::string text(raw.data() + i * size, size);
        text.erase(text.find_last_not_of(std::string("\0 ", 2)) + 1);
        out.push_back(text);
      }
    }
    return out;
  });
}

}  // namespace imuwb::hdf5
