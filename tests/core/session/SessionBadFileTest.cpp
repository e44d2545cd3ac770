// Bad session files: each must give an imuwb::Error naming the file, the place and a fix.
// Crafted with the raw HDF5 C++ API (not our writer), truncated by cutting a real file,
// corrupted by overwriting bytes.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "SessionTestData.hpp"
#include "common/Error.hpp"
#include "io/Hdf5Support.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

struct Craft {
  std::string format = "imuwb-session";
  long long version = 1;
  std::vector<hsize_t> imuShape = {200, 9};
  bool integerSamples = false;
  long long timeLength = -1;  // -1: no /time
  bool nanInData = false;
  std::vector<std::string> units = {"m/s^2", "m/s^2", "m/s^2", "rad/s", "rad/s",
                                    "rad/s", "uT",    "uT",    "uT"};
  int classIndex = 0;
};

void craft(const std::filesystem::path& path, const Craft& c) {
  hdf5::silenceErrorStack();
  H5::H5File file(path.string(), H5F_ACC_TRUNC);
  hdf5::writeStringAttribute(file, "format", c.format);
  hdf5::writeIntegerAttribute(file, "format_version", c.version);
  hdf5::writeDoubleAttribute(file, "sample_rate_hz", 100.0);
  H5::Group device = file.createGroup("devices").createGroup("collar");
  H5::DataSpace space(static_cast<int>(c.imuShape.size()), c.imuShape.data());
  hsize_t total = 1;
  for (auto d : c.imuShape) total *= d;
  H5::DataSet imu = device.createDataSet(
      "imu", c.integerSamples ? H5::PredType::STD_I32LE : H5::PredType::IEEE_F32LE, space);
  if (c.integerSamples) {
    std::vector<int> data(total, 1);
    imu.write(data.data(), H5::PredType::NATIVE_INT);
  } else {
    std::vector<float> data(total, 1.0f);
    if (c.nanInData) data[data.size() / 2] = NAN;
    imu.write(data.data(), H5::PredType::NATIVE_FLOAT);
  }
  hdf5::writeStringArrayAttribute(imu, "channels",
                                  {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"});
  hdf5::writeStringArrayAttribute(imu, "units", c.units);
  if (c.timeLength >= 0) {
    const hsize_t n = static_cast<hsize_t>(c.timeLength);
    std::vector<double> time(n);
    for (hsize_t i = 0; i < n; ++i) time[i] = i * 0.01;
    H5::DataSet t = file.createDataSet("time", H5::PredType::IEEE_F64LE, H5::DataSpace(1, &n));
    if (n) t.write(time.data(), H5::PredType::NATIVE_DOUBLE);
  }
  H5::Group labels = file.createGroup("labels");
  hdf5::writeStringDataset(labels, "classes", {"stand"});
  const hsize_t one = 1;
  const double start = 0, end = 1;
  const int index = c.classIndex;
  labels.createDataSet("start_s", H5::PredType::IEEE_F64LE, H5::DataSpace(1, &one))
      .write(&start, H5::PredType::NATIVE_DOUBLE);
  labels.createDataSet("end_s", H5::PredType::IEEE_F64LE, H5::DataSpace(1, &one))
      .write(&end, H5::PredType::NATIVE_DOUBLE);
  labels.createDataSet("class_index", H5::PredType::STD_I32LE, H5::DataSpace(1, &one))
      .write(&index, H5::PredType::NATIVE_INT);
}

// Loads the file expecting an Error whose text contains each needle, with the file named and a fix.
void expectLoadError(const std::filesystem::path& path, std::vector<std::string> needles) {
  try {
    loadSession(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const Error& error) {
    EXPECT_NE(error.where().find(path.filename().string()), std::string::npos) << error.what();
    EXPECT_FALSE(error.fix().empty()) << error.what();
    for (const auto& needle : needles)
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos)
          << "missing '" << needle << "' in: " << error.what();
  }
}

TEST(SessionBadFile, CraftedGoodFileLoads) {
  test::TempDir dir;
  craft(dir / "ok.h5", {});
  const Session session = loadSession(dir / "ok.h5");
  EXPECT_EQ(session.sampleCount(), 200u);
  EXPECT_EQ(session.labels.at(0).label, "stand");
}

TEST(SessionBadFile, MissingAndNotHdf5) {
  test::TempDir dir;
  expectLoadError(dir / "absent.h5", {"does not exist"});
  std::ofstream(dir / "text.h5") << "time,ax\n0,1\n";
  expectLoadError(dir / "text.h5", {"not an HDF5 file", "imuwb import"});
}

TEST(SessionBadFile, WrongFormatAndNewerVersion) {
  test::TempDir dir;
  Craft c;
  c.format = "nwb";
  craft(dir / "nwb.h5", c);
  expectLoadError(dir / "nwb.h5", {"format attribute is 'nwb'"});
  c = {};
  c.version = 2;
  craft(dir / "v2.h5", c);
  expectLoadError(dir / "v2.h5", {"format_version 2", "newer", "update imuwb"});
}

TEST(SessionBadFile, WrongShapesAndDtypes) {
  test::TempDir dir;
  Craft c;
  c.imuShape = {200, 7};
  craft(dir / "seven.h5", c);
  expectLoadError(dir / "seven.h5", {"/devices/collar/imu", "[200,7]", "[N,9] or [N,6]"});
  // Six columns are a 6-axis device, but then the attributes must name six channels.
  c.imuShape = {200, 6};
  craft(dir / "six.h5", c);
  expectLoadError(dir / "six.h5",
                  {"/devices/collar/imu", "channels attribute is not ax ay az gx gy gz"});
  c.imuShape = {1800};
  craft(dir / "flat.h5", c);
  expectLoadError(dir / "flat.h5", {"[1800]", "[N,9] or [N,6]"});
  c = {};
  c.integerSamples = true;
  craft(dir / "int.h5", c);
  expectLoadError(dir / "int.h5", {"int32", "float32"});
  c = {};
  c.units[3] = "deg/s";
  craft(dir / "units.h5", c);
  expectLoadError(dir / "units.h5", {"units are", "deg/s"});
  c = {};
  c.classIndex = 3;
  craft(dir / "label.h5", c);
  expectLoadError(dir / "label.h5", {"class_index[0]", "is 3"});
}

TEST(SessionBadFile, TimeLengthMismatch) {
  test::TempDir dir;
  Craft c;
  c.timeLength = 150;
  craft(dir / "time.h5", c);
  expectLoadError(dir / "time.h5", {"/time", "[150]", "[200]"});
}

TEST(SessionBadFile, NanIsAFindingNotACrash) {
  test::TempDir dir;
  Craft c;
  c.nanInData = true;
  craft(dir / "nan.h5", c);
  const Session session = loadSession(dir / "nan.h5");  // loads fine...
  const auto findings = validateSession(session);       // ...validation reports it
  ASSERT_TRUE(hasErrors(findings));
  bool found = false;
  for (const auto& finding : findings) found = found || finding.code == "non_finite";
  EXPECT_TRUE(found);
}

TEST(SessionBadFile, TruncatedFilesAreRejected) {
  test::TempDir dir;
  saveSession(test::restingSession(100000), dir / "full.h5");
  const auto size = std::filesystem::file_size(dir / "full.h5");
  for (double fraction : {0.0, 0.001, 0.3, 0.9, 0.999}) {
    const auto cut = dir / ("cut" + std::to_string(static_cast<int>(fraction * 1000)) + ".h5");
    std::filesystem::copy_file(dir / "full.h5", cut);
    std::filesystem::resize_file(cut, static_cast<std::uintmax_t>(fraction * size));
    expectLoadError(cut, {});
  }
}

TEST(SessionBadFile, CorruptBytesAreRejected) {
  test::TempDir dir;
  saveSession(test::restingSession(300000), dir / "full.h5");
  const auto size = std::filesystem::file_size(dir / "full.h5");
  // Overwrite a run in the compressed sample data (the middle of the file: a chunk that
  // loadSession decodes on a worker thread) and, separately, the superblock signature.
  for (std::uintmax_t offset : {size / 2, static_cast<std::uintmax_t>(0)}) {
    const auto bad = dir / ("bad" + std::to_string(offset) + ".h5");
    std::filesystem::copy_file(dir / "full.h5", bad);
    std::fstream file(bad, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    const std::string junk(4096, '\x5A');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    file.close();
    expectLoadError(bad, {});
  }
}

}  // namespace
}  // namespace imuwb
