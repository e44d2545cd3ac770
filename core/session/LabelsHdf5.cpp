#include "session/LabelsHdf5.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <type_traits>
#include <vector>

#include "common/Error.hpp"
#include "io/Hdf5Support.hpp"

namespace imuwb {

static_assert(std::is_same_v<hid_t, std::int64_t>, "hid_t is a 64-bit id since HDF5 1.10");

void writeLabelsGroup(std::int64_t locationId, const LabelSet& labels) {
  std::vector<double> start, end;
  std::vector<std::int32_t> index;
  std::vector<std::string> notes;
  bool anyNote = false;
  for (const auto& label : labels.intervals) {
    const auto found = std::find(labels.classes.begin(), labels.classes.end(), label.label);
    if (found == labels.classes.end())
      throw Error("/labels", "label '" + label.label + "' is not in the class list",
                  "add it to the classes");
    start.push_back(label.start_s);
    end.push_back(label.end_s);
    index.push_back(static_cast<std::int32_t>(found - labels.classes.begin()));
    notes.push_back(label.note);
    anyNote = anyNote || !label.note.empty();
  }
  // Without modification times, so the same labels always give the same bytes.
  H5::PropList groupCreation(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_obj_track_times(groupCreation.getId(), false);
  const hid_t id =
      H5Gcreate2(locationId, "labels", H5P_DEFAULT, groupCreation.getId(), H5P_DEFAULT);
  if (id < 0) throw H5::GroupIException("writeLabelsGroup", "cannot create group 'labels'");
  H5::Group group(id);
  H5Gclose(id);  // H5::Group(id) took its own reference
  hdf5::writeStringDataset(group, "classes", labels.classes);
  const hsize_t count = labels.intervals.size();
  H5::DataSpace space(1, &count);
  auto column = [&](const char* name, const H5::PredType& fileType, const H5::PredType& memoryType,
                    const void* data) {
    H5::DSetCreatPropList untimed;
    H5Pset_obj_track_times(untimed.getId(), false);
    H5::DataSet dataset = group.createDataSet(name, fileType, space, untimed);
    if (count) dataset.write(data, memoryType);
    return dataset;
  };
  H5::DataSet startSet =
      column("start_s", H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE, start.data());
  hdf5::writeStringAttribute(startSet, "unit", "s");
  H5::DataSet endSet =
      column("end_s", H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE, end.data());
  hdf5::writeStringAttribute(endSet, "unit", "s");
  column("class_index", H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32, index.data());
  if (anyNote) hdf5::writeStringDataset(group, "note", notes);
}

}  // namespace imuwb
