// RunJob end to end with a test-double backend whose outputs are a known function of its input,
// so the outputs file can be checked value by value against the session.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/model/OnnxTestModels.hpp"
#include "pipeline/OutputsFile.hpp"
#include "pipeline/PostProcessing.hpp"
#include "pipeline/RunJob.hpp"
#include "session/SessionGenerator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

// latent[k] = input value k of the window (model layout); logits = [1, 2, 3] * first value.
class EchoBackend final : public Backend {
 public:
  BackendInfo describe() const override { return {"echo", "test 1", "none", "fp32"}; }
  void load(const ModelBundle&) override {}
  std::size_t maxBatchWindows() const override { return 5; }  // forces chunking
  OutputSet run(const Batch& batch) override {
    EXPECT_LE(batch.windowCount(), 5u);
    OutputSet set;
    const std::size_t n = batch.windowCount(), per = batch.valuesPerWindow();
    OutputTensor latent{"latent", {static_cast<std::int64_t>(n), 64}, {}};
    OutputTensor logits{"logits", {static_cast<std::int64_t>(n), 3}, {}};
    for (std::size_t w = 0; w < n; ++w) {
      for (int k = 0; k < 64; ++k) latent.values.push_back(batch.values[w * per + k]);
      for (int k = 1; k <= 3; ++k) logits.values.push_back(k * batch.values[w * per]);
    }
    set.outputs = {latent, logits};
    ++calls;
    return set;
  }
  int calls = 0;
};

struct Fixture {
  test::TempDir dir;
  ModelBundle bundle;
  Session session;
  // Outputs file and CSV in the fixture's folder.
  RunOptions fileAndCsv() const {
    RunOptions options;
    options.outPath = dir / "out.h5";
    options.csvPath = dir / "out.csv";
    return options;
  }
  Fixture() {
    test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText(),
                         test::goodConv2dWeights());
    bundle.onnxPath = dir / "model.onnx";
    bundle.model = std::make_shared<engine::OnnxModel>(engine::loadOnnxModel(bundle.onnxPath));
    bundle.manifest = parseManifest(nlohmann::json::parse(R"({
      "format": "imuwb-manifest", "format_version": 1, "name": "echo",
      "input": {"name": "imu_window", "layout": "NCHW_devices", "shape": [1,9,2,100],
                "devices": ["collar", "harness"]},
      "normalization": {"mean": [0,0,9.8,0,0,0,20,0,40], "std": [2,2,2,1,1,1,25,25,25]},
      "outputs": [{"name": "latent", "role": "latent", "size": 64},
                  {"name": "logits", "role": "logits", "size": 3, "names": ["a","b","c"]}],
      "temperature": 2.0})"),
                                    "echo.json");
    GeneratorOptions options;
    options.durationSeconds = 60;
    session = generateSession(options);
  }
};

TEST(RunJob, WritesEveryWindowWithProvenanceAndValuesTraceableToTheSession) {
  Fixture fixture;
  EchoBackend backend;
  InMemorySource source(fixture.session);
  RunOptions options = fixture.fileAndCsv();
  options.stride = 50;
  options.blockWindows = 16;
  const auto summary = runModelOnSession(fixture.bundle, backend, source, options);
  const std::size_t expected = (6000 - 100) / 50 + 1;
  EXPECT_EQ(summary.windows, expected);
  EXPECT_EQ(summary.devices, (std::vector<std::string>{"collar", "harness"}));

  auto file = OutputsFile::open(options.outPath);
  EXPECT_EQ(file.windowCount(), expected);
  EXPECT_EQ(file.provenance().modelSha256, fixture.bundle.sha256());
  EXPECT_EQ(file.provenance().stride, 50);
  EXPECT_EQ(file.backends(), (std::vector<std::string>{"echo"}));
  const auto starts = file.startIndices();
  const auto latent = file.read("echo", "latent");
  const auto probabilities = file.read("echo", "derived/logits_probabilities");
  ASSERT_EQ(latent.rows, expected);
  ASSERT_EQ(latent.cols, 64u);
  const auto& collar = fixture.session.devices[0];
  for (std::size_t w = 0; w < expected; w += 13) {
    EXPECT_EQ(starts[w], static_cast<std::int64_t>(w * 50));
    // NCHW: value k < 100 is channel ax, device H=0 (collar), time k.
    for (int k = 0; k < 64; ++k)
      ASSERT_FLOAT_EQ(latent.at(w, k), (collar.at(w * 50 + k, 0) - 0.0f) / 2.0f) << w << "," << k;
    const float x = latent.at(w, 0);
    float p[3];
    const float logits[3] = {x, 2 * x, 3 * x};
    softmaxWithTemperature(logits, 1, 3, 2.0, p);
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(probabilities.at(w, k), p[k], 1e-6);
  }
  std::ifstream csv(options.csvPath);
  std::size_t lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  EXPECT_EQ(lines, expected + 1);
}

// Returns the same bounded FSQ projection for every window.
class FsqBackend final : public Backend {
 public:
  BackendInfo describe() const override { return {"fsq", "test 1", "none", "fp32"}; }
  void load(const ModelBundle&) override {}
  OutputSet run(const Batch& batch) override {
    OutputTensor z{"z", {static_cast<std::int64_t>(batch.windowCount()), 5}, {}};
    for (std::size_t w = 0; w < batch.windowCount(); ++w)
      z.values.insert(z.values.end(), {3.2f, -2.6f, 0.4f, -1.7f, 1.49f});
    return {{z}};
  }
};

TEST(RunJob, FsqModelsGetCodesIndicesAndTheHostSideHead) {
  Fixture fixture;
  test::writeOnnxModel(fixture.dir / "head.onnx", R"(<ir_version: 7, opset_import: ["" : 11]>
head (float[1,5] codes) => (float[1,3] logits) {
  logits = Gemm <transB = 1> (codes, H, HB)
})",
                       {{"H", {3, 5}}, {"HB", {3}}});
  fixture.bundle.manifest = parseManifest(nlohmann::json::parse(R"({
      "format": "imuwb-manifest", "format_version": 1, "name": "fsq",
      "input": {"name": "imu_window", "layout": "NCHW_devices", "shape": [1,9,2,100],
                "devices": ["collar", "harness"]},
      "outputs": [{"name": "z", "role": "fsq_projection", "size": 5}],
      "fsq": {"levels": [8,6,5,5,4], "head_onnx": "head.onnx", "class_names": ["x","y","w"]}})"),
                                          fixture.dir / "m.json");
  fixture.bundle.fsqHead =
      std::make_shared<engine::OnnxModel>(engine::loadOnnxModel(fixture.dir / "head.onnx"));
  FsqBackend backend;
  InMemorySource source(fixture.session);
  RunOptions options;
  options.outPath = fixture.dir / "fsq.h5";
  options.maxWindows = 10;
  runModelOnSession(fixture.bundle, backend, source, options);
  auto file = OutputsFile::open(options.outPath);
  const auto index = file.readIndices("fsq", "derived/fsq_code_index");
  const auto codes = file.read("fsq", "derived/fsq_codes");
  const auto logits = file.read("fsq", "derived/fsq_logits");
  const auto probabilities = file.read("fsq", "derived/fsq_probabilities");
  ASSERT_EQ(index.size(), 10u);
  // By hand (see PostProcessingTest): codes [0.75, -1, 0, -1, 0.5], index 3703.
  const float expectedCodes[] = {0.75f, -1.0f, 0.0f, -1.0f, 0.5f};
  EXPECT_EQ(index[9], 3703);
  for (int d = 0; d < 5; ++d) EXPECT_FLOAT_EQ(codes.at(9, d), expectedCodes[d]);
  // Gemm by its definition with the test weights w[i] = 0.01 * (i % 7 - 3).
  auto weight = [](int i) { return 0.01f * static_cast<float>(i % 7 - 3); };
  float expectedLogits[3];
  for (int j = 0; j < 3; ++j) {
    expectedLogits[j] = weight(j);
    for (int k = 0; k < 5; ++k) expectedLogits[j] += expectedCodes[k] * weight(j * 5 + k);
    EXPECT_NEAR(logits.at(0, j), expectedLogits[j], 1e-6) << j;
  }
  float p[3];
  softmaxWithTemperature(expectedLogits, 1, 3, 1.0, p);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(probabilities.at(0, j), p[j], 1e-6);
}

// The CSV's p(class) columns come from the same post-processing as the outputs file's derived
// probabilities (DerivedOutputs): equal to the printed six digits, window by window.
TEST(RunJob, CsvProbabilitiesAreTheOutputsFilesDerivedOnes) {
  Fixture fixture;
  EchoBackend backend;
  InMemorySource source(fixture.session);
  RunOptions options = fixture.fileAndCsv();
  options.maxWindows = 40;
  runModelOnSession(fixture.bundle, backend, source, options);
  const auto probabilities =
      OutputsFile::open(options.outPath).read("echo", "derived/logits_probabilities");
  ASSERT_EQ(probabilities.rows, 40u);
  std::ifstream csv(options.csvPath);
  std::string line;
  std::getline(csv, line);
  auto cells = [](const std::string& text) {
    std::vector<std::string> out(1);
    for (char c : text) {
      if (c == ',')
        out.emplace_back();
      else
        out.back().push_back(c);
    }
    return out;
  };
  const auto header = cells(line);
  // window,start_index,start_time_s,label, 64 latent, 3 logits, then p(a), p(b), p(c).
  ASSERT_EQ(header.size(), 4u + 64u + 3u + 3u);
  EXPECT_EQ(header[header.size() - 3], "p(a)");
  EXPECT_EQ(header.back(), "p(c)");
  for (std::size_t w = 0; std::getline(csv, line); ++w) {
    const auto row = cells(line);
    ASSERT_EQ(row.size(), header.size()) << w;
    for (std::size_t k = 0; k < 3; ++k)
      EXPECT_NEAR(std::stod(row[row.size() - 3 + k]), probabilities.at(w, k),
                  1e-5 * probabilities.at(w, k) + 1e-12)  // six significant digits
          << w << "," << k;
  }
}

TEST(RunJob, CancellingLeavesNoOutputBehind) {
  Fixture fixture;
  EchoBackend backend;
  InMemorySource source(fixture.session);
  RunOptions options = fixture.fileAndCsv();
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  control.onProgress = [&](double, std::string_view) { stop.request_stop(); };
  EXPECT_THROW(runModelOnSession(fixture.bundle, backend, source, options, control), Cancelled);
  EXPECT_FALSE(std::filesystem::exists(options.outPath));
  EXPECT_FALSE(std::filesystem::exists(options.csvPath));
  for (const auto& entry : std::filesystem::directory_iterator(fixture.dir.path()))
    EXPECT_EQ(entry.path().extension(), ".onnx") << entry.path();
}

TEST(RunJob, DeviceCountMismatchIsAnError) {
  Fixture fixture;
  EchoBackend backend;
  GeneratorOptions options;
  options.durationSeconds = 10;
  options.devices = {"collar"};
  const Session oneDevice = generateSession(options);
  InMemorySource source(oneDevice);
  RunOptions run;
  run.outPath = fixture.dir / "out.h5";
  EXPECT_THROW(runModelOnSession(fixture.bundle, backend, source, run), Error);
  EXPECT_FALSE(std::filesystem::exists(run.outPath));
}

TEST(OutputsFile, RejectsFilesThatAreNotOutputs) {
  test::TempDir dir;
  std::ofstream(dir / "x.h5") << "not hdf5";
  EXPECT_THROW(OutputsFile::open(dir / "x.h5"), Error);
  EXPECT_THROW(OutputsFile::open(dir / "missing.h5"), Error);
}

// A hostile outputs file may give a dataset any rank; the reader names it instead of writing
// the dims past its two-element array (found reading the code after the fuzz campaign).
TEST(OutputsFile, DatasetsOfAnotherRankAreRefusedByName) {
  Fixture fixture;
  EchoBackend backend;
  InMemorySource source(fixture.session);
  RunOptions options = fixture.fileAndCsv();
  runModelOnSession(fixture.bundle, backend, source, options);
  {
    H5::H5File file(options.outPath.string(), H5F_ACC_RDWR);
    file.unlink("backends/echo/latent");
    const hsize_t dims[4] = {3, 4, 5, 6};
    file.createDataSet("backends/echo/latent", H5::PredType::IEEE_F32LE, H5::DataSpace(4, dims));
    file.unlink("windows/start_index");
    const hsize_t three[3] = {2, 2, 2};
    file.createDataSet("windows/start_index", H5::PredType::STD_I64LE, H5::DataSpace(3, three));
  }
  try {
    OutputsFile::open(options.outPath);
    FAIL() << "a rank-3 start_index was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("windows/start_index"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("has rank 3"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace imuwb
