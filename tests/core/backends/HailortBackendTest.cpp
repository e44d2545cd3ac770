// The hailort backend, compiled against the HailoRT 4.23 test double (tests/fakes/hailort):
// an ONNX file stands in for the HEF and the CPU engine for the Hailo-8. Proves the call
// sequence, the float32 and raw uint8 paths (per-tensor and per-channel dequantization), the
// NCHW/NTC -> NHWC conversion, output mapping by original name, timeouts and error statuses.
// What it cannot prove without a device is in docs/backends.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "backends/BackendRegistry.hpp"
#include "backends/CpuBackend.hpp"
#include "backends/hailort/HailortBackend.hpp"
#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "hailort_fake/FakeControl.hpp"
#include "pipeline/Layout.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::filesystem::path sampleModel() {
  return test::sourceDir() / "samples/models/dog_behavior_conv2d";
}
std::filesystem::path pipelineEncoder() {
  return test::sourceDir() / "tests/fixtures/pipeline/tcn_encoder_for_edgeinfer.onnx";
}

class HailortBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hailort_fake::reset();
    bundle = loadModelBundle(sampleModel());
    const auto inputs = engine::readNpyAsFloat32(sampleModel() / "reference/inputs_nchw.npy");
    batch = {bundle.manifest.input.name,
             inputs.shape(),
             {inputs.floats().begin(), inputs.floats().end()}};
    CpuBackend cpu;
    cpu.load(bundle);
    reference = cpu.run(batch);
  }
  void TearDown() override { hailort_fake::reset(); }

  HailortBackendOptions options(bool raw = false, bool async = false) {
    HailortBackendOptions o;
    o.hef = bundle.onnxPath;  // the fake's "HEF"
    o.rawOutputs = raw;
    o.async = async;
    return o;
  }

  // Per-feature (or per-tensor) uint8 quantization covering the cpu outputs' range.
  std::vector<hailo_quant_info_t> quantFor(const OutputTensor& output, bool perChannel) {
    const std::size_t d = output.valuesPerWindow();
    const std::size_t groups = perChannel ? d : 1;
    std::vector<hailo_quant_info_t> infos;
    for (std::size_t g = 0; g < groups; ++g) {
      float lo = 0, hi = 0;
      for (std::size_t i = 0; i < output.values.size(); ++i)
        if (!perChannel || i % d == g)
          lo = std::min(lo, output.values[i]), hi = std::max(hi, output.values[i]);
      const float scale = std::max(hi - lo, 1e-3f) / 255.0f;
      const float zp = std::nearbyint(-lo / scale);
      infos.push_back({zp, scale, (0 - zp) * scale, (255 - zp) * scale});
    }
    return infos;
  }

  // HailoRT's semantics: q = round_half_even(x / scale + zp) saturated to uint8; x' = (q - zp) *
  // scale.
  static float quantizeDequantize(float x, const hailo_quant_info_t& q) {
    const float level = std::min(255.0f, std::max(0.0f, std::nearbyint(x / q.qp_scale + q.qp_zp)));
    return (level - q.qp_zp) * q.qp_scale;
  }

  void expectUint8PathMatches(bool perChannel) {
    std::map<std::string, std::vector<hailo_quant_info_t>> quant;
    for (const auto& output : reference.outputs) {
      quant[output.name] = quantFor(output, perChannel);
      hailort_fake::setOutputQuantization(output.name, quant[output.name]);
    }
    HailortBackend backend(options(true));
    backend.load(bundle);
    const auto outputs = backend.run(batch);
    HailortBackend async(options(true, true));
    async.load(bundle);
    const auto asyncOutputs = async.run(batch);
    for (std::size_t o = 0; o < outputs.outputs.size(); ++o)
      EXPECT_EQ(asyncOutputs.outputs[o].values, outputs.outputs[o].values) << "async uint8 path";
    ASSERT_EQ(outputs.outputs.size(), reference.outputs.size());
    for (const auto& expected : reference.outputs) {
      const auto* got = outputs.find(expected.name);
      ASSERT_NE(got, nullptr) << expected.name;
      ASSERT_EQ(got->shape, expected.shape) << expected.name;
      const auto& infos = quant[expected.name];
      ASSERT_EQ(infos.size(), perChannel ? expected.valuesPerWindow() : 1u);
      for (std::size_t i = 0; i < expected.values.size(); ++i) {
        const auto& q = infos[perChannel ? i % expected.valuesPerWindow() : 0];
        const float x = expected.values[i];
        EXPECT_NEAR(got->values[i], quantizeDequantize(x, q), 1e-6 * std::max(1.0f, std::abs(x)))
            << expected.name << "[" << i << "]";
        EXPECT_LE(std::abs(got->values[i] - x), q.qp_scale / 2 * (1 + 1e-5f) + 1e-7f)
            << expected.name << "[" << i << "] is more than half a step from the cpu output";
      }
    }
  }

  ModelBundle bundle;
  Batch batch;
  OutputSet reference;
};

std::string errorOf(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& error) {
    return error.what();
  }
  return "no imuwb::Error thrown";
}

void expectEqualToCpu(const OutputSet& got, const OutputSet& expected, const Manifest& manifest) {
  ASSERT_EQ(got.outputs.size(), manifest.outputs.size());
  for (std::size_t o = 0; o < manifest.outputs.size(); ++o) {
    EXPECT_EQ(got.outputs[o].name, manifest.outputs[o].name) << "manifest order";
    const auto* cpu = expected.find(manifest.outputs[o].name);
    ASSERT_NE(cpu, nullptr);
    ASSERT_EQ(got.outputs[o].shape, cpu->shape);
    double maxDiff = 0;
    for (std::size_t i = 0; i < cpu->values.size(); ++i)
      maxDiff = std::max(maxDiff, std::abs(double(got.outputs[o].values[i]) - cpu->values[i]));
    EXPECT_LE(maxDiff, 1e-6) << cpu->name;
  }
}

TEST_F(HailortBackendTest, Float32OutputsEqualTheCpuBackend) {
  HailortBackend backend(options());
  backend.load(bundle);
  expectEqualToCpu(backend.run(batch), reference, bundle.manifest);
  EXPECT_EQ(hailort_fake::framesRun(), batch.windowCount());
}

TEST_F(HailortBackendTest, AsyncFloat32OutputsEqualTheCpuBackend) {
  HailortBackend backend(options(false, true));
  backend.load(bundle);
  expectEqualToCpu(backend.run(batch), reference, bundle.manifest);
}

TEST_F(HailortBackendTest, Uint8PerTensorDequantizesWithinHalfAStep) {
  expectUint8PathMatches(false);
}

TEST_F(HailortBackendTest, Uint8PerChannelDequantizesWithinHalfAStep) {
  expectUint8PathMatches(true);
}

TEST_F(HailortBackendTest, Uint8PathUsesTheDefaultQuantizationTheHefReports) {
  HailortBackend backend(options(true));
  backend.load(bundle);
  const auto outputs = backend.run(batch);
  const hailo_quant_info_t q{128.0f, 1.0f / 32, -4.0f, 127.0f / 32};
  for (const auto& expected : reference.outputs)
    for (std::size_t i = 0; i < expected.values.size(); ++i)
      ASSERT_FLOAT_EQ(outputs.find(expected.name)->values[i],
                      quantizeDequantize(expected.values[i], q));
}

TEST_F(HailortBackendTest, NchwBatchReachesTheHefAsExactNhwc) {
  HailortBackend backend(options());
  backend.load(bundle);
  backend.run(batch);
  const auto frame = hailort_fake::lastInputFrame();  // NHWC [H=2, W=100, C=9], last window
  ASSERT_EQ(frame.size(), 2u * 100 * 9);
  const std::size_t last = batch.windowCount() - 1, per = batch.valuesPerWindow();
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t w = 0; w < 100; ++w)
      for (std::size_t c = 0; c < 9; ++c)
        ASSERT_EQ(frame[(h * 100 + w) * 9 + c], batch.values[last * per + (c * 2 + h) * 100 + w])
            << h << "," << w << "," << c;
}

TEST_F(HailortBackendTest, NtcEncoderRunsAsOneRowNhwcAndEqualsTheCpuBackend) {
  const auto encoder = loadModelBundle(pipelineEncoder());
  ASSERT_EQ(encoder.manifest.input.layout, InputLayout::NTC);
  std::mt19937 random(14);
  std::normal_distribution<float> normal;
  Batch windows{encoder.manifest.input.name, batchShape(encoder.manifest, 5), {}};
  windows.values.resize(5 * 100 * 9);
  for (auto& value : windows.values) value = normal(random);
  CpuBackend cpu;
  cpu.load(encoder);
  HailortBackendOptions o;
  o.hef = encoder.onnxPath;
  HailortBackend backend(o);
  backend.load(encoder);
  expectEqualToCpu(backend.run(windows), cpu.run(windows), encoder.manifest);
  const auto frame = hailort_fake::lastInputFrame();
  ASSERT_EQ(frame, std::vector<float>(windows.values.end() - 900, windows.values.end()));
  EXPECT_EQ(backend.streams().front().height, 1u);
  EXPECT_EQ(backend.streams().front().width, 100u);
}

TEST_F(HailortBackendTest, DescribesVersionDeviceStreamsShapesOrdersAndQuantization) {
  HailortBackend backend(options());
  EXPECT_EQ(backend.describe().name, "hailort");
  EXPECT_EQ(backend.describe().version, "HailoRT 4.23.0");
  backend.load(bundle);
  EXPECT_EQ(backend.describe().device, "Hailo-8 (fake-hailo8-0)");
  const auto& streams = backend.streams();
  ASSERT_EQ(streams.size(), 1 + bundle.manifest.outputs.size());
  EXPECT_TRUE(streams[0].input);
  EXPECT_EQ(streams[0].name, "model/input_layer1");
  EXPECT_EQ(streams[0].originalName, "imu_window");
  EXPECT_EQ(streams[0].height, 2u);
  EXPECT_EQ(streams[0].width, 100u);
  EXPECT_EQ(streams[0].features, 9u);
  EXPECT_EQ(streams[0].formatOrder, "NHWC");
  EXPECT_EQ(streams[0].formatType, "float32");
  for (std::size_t i = 1; i < streams.size(); ++i) {
    EXPECT_EQ(streams[i].formatOrder, "NC");
    EXPECT_EQ(streams[i].formatType, "float32");
    ASSERT_EQ(streams[i].quant.size(), 1u);
    EXPECT_EQ(streams[i].quant[0].zeroPoint, 128.0f);
    EXPECT_EQ(streams[i].quant[0].scale, 1.0f / 32);
    // Mapped to the manifest's roles through the HEF's original names.
    const auto* spec = bundle.manifest.findOutput(streams[i].originalName);
    ASSERT_NE(spec, nullptr) << streams[i].name;
    EXPECT_EQ(streams[i].role, std::string(roleName(spec->role)) + " '" + spec->name + "'");
  }
  std::string text;
  for (const auto& detail : backend.details()) text += detail.key + ": " + detail.value + "\n";
  EXPECT_NE(text.find("input 'model/input_layer1': 2x100x9 NHWC float32"), std::string::npos)
      << text;
  EXPECT_NE(text.find("per tensor: zp 128 scale 0.03125"), std::string::npos) << text;
  EXPECT_NE(text.find("HailoRT 4.23.0"), std::string::npos) << text;
}

TEST_F(HailortBackendTest, RecordsLatencyPerWindow) {
  hailort_fake::setInferenceDelay(std::chrono::milliseconds(3));
  for (bool async : {false, true}) {
    HailortBackend backend(options(false, async));
    backend.load(bundle);
    backend.run(batch);
    ASSERT_EQ(backend.windowLatencies_ms().size(), batch.windowCount());
    for (double ms : backend.windowLatencies_ms()) EXPECT_GE(ms, 2.9) << (async ? "async" : "sync");
  }
}

TEST_F(HailortBackendTest, RunTimeoutNamesRunAndHailoTimeout) {
  hailort_fake::setInferenceDelay(std::chrono::milliseconds(300));
  auto o = options();
  o.timeout = std::chrono::milliseconds(20);
  HailortBackend backend(o);
  backend.load(bundle);
  const auto start = std::chrono::steady_clock::now();
  const auto message = errorOf([&] { backend.run(batch); });
  EXPECT_NE(message.find("ConfiguredInferModel::run() returned HAILO_TIMEOUT (4)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("window 1 of 8, timeout 20 ms"), std::string::npos) << message;
  EXPECT_NE(message.find("timeout_ms"), std::string::npos) << message;  // the fix
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
}

TEST_F(HailortBackendTest, AsyncTimeoutNamesTheWaitAndHailoTimeout) {
  hailort_fake::setInferenceDelay(std::chrono::milliseconds(200));
  auto o = options(false, true);
  o.timeout = std::chrono::milliseconds(20);
  HailortBackend backend(o);
  backend.load(bundle);
  // Two frames fill the async queue; the third waits for a free slot and times out.
  const auto message = errorOf([&] { backend.run(batch); });
  EXPECT_NE(message.find("ConfiguredInferModel::wait_for_async_ready() returned HAILO_TIMEOUT (4)"),
            std::string::npos)
      << message;
  Batch two{batch.inputName, batch.shape, {}};
  two.shape[0] = 2;
  two.values.assign(batch.values.begin(), batch.values.begin() + 2 * batch.valuesPerWindow());
  const auto waited = errorOf([&] { backend.run(two); });
  EXPECT_NE(waited.find("AsyncInferJob::wait() returned HAILO_TIMEOUT (4)"), std::string::npos)
      << waited;
}

enum class Path { Both, Sync, Async };  // which run modes make the call

struct Injected {
  const char* call;      // the fake's hook name
  hailo_status status;   // what it returns
  const char* expected;  // the text the error must carry
  Path path = Path::Both;
};

// Readable in test listings (ctest shows GetParam()).
void PrintTo(const Injected& p, std::ostream* out) {
  *out << p.call << " -> " << hailoStatusText(p.status);
}

class HailortStatusTest : public HailortBackendTest,
                          public ::testing::WithParamInterface<Injected> {};

TEST_P(HailortStatusTest, NamesTheCallAndTheStatus) {
  const auto& p = GetParam();
  hailort_fake::injectStatus(p.call, p.status);
  for (bool async : {false, true}) {
    if ((async && p.path == Path::Sync) || (!async && p.path == Path::Async)) continue;
    HailortBackend backend(options(false, async));
    const auto message = errorOf([&] {
      backend.load(bundle);
      backend.run(batch);
    });
    EXPECT_NE(message.find(p.expected), std::string::npos)
        << (async ? "async: " : "sync: ") << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    HailortBackend, HailortStatusTest,
    ::testing::Values(
        Injected{"VDevice::create", HAILO_OUT_OF_PHYSICAL_DEVICES,
                 "VDevice::create() returned HAILO_OUT_OF_PHYSICAL_DEVICES (74)"},
        Injected{"VDevice::create", HAILO_DRIVER_NOT_INSTALLED,
                 "VDevice::create() returned HAILO_DRIVER_NOT_INSTALLED (64)"},
        Injected{"create_infer_model", HAILO_INVALID_HEF,
                 "VDevice::create_infer_model() returned HAILO_INVALID_HEF (26)"},
        Injected{
            "create_infer_model", HAILO_HEF_NOT_COMPATIBLE_WITH_DEVICE,
            "VDevice::create_infer_model() returned HAILO_HEF_NOT_COMPATIBLE_WITH_DEVICE (93)"},
        Injected{"configure", HAILO_OUT_OF_FW_MEMORY,
                 "InferModel::configure() returned HAILO_OUT_OF_FW_MEMORY (71)"},
        Injected{"create_bindings", HAILO_OUT_OF_HOST_MEMORY,
                 "ConfiguredInferModel::create_bindings() returned HAILO_OUT_OF_HOST_MEMORY (3)"},
        Injected{"set_buffer", HAILO_INVALID_ARGUMENT,
                 "Bindings::InferStream::set_buffer() returned HAILO_INVALID_ARGUMENT (2)"},
        Injected{"run", HAILO_STREAM_ABORT,
                 "ConfiguredInferModel::run() returned HAILO_STREAM_ABORT (63)", Path::Sync},
        Injected{"run_async", HAILO_DRIVER_TIMEOUT,
                 "ConfiguredInferModel::run_async() returned HAILO_DRIVER_TIMEOUT (87)",
                 Path::Async},
        Injected{
            "wait_for_async_ready", HAILO_SHUTDOWN_EVENT_SIGNALED,
            "ConfiguredInferModel::wait_for_async_ready() returned HAILO_SHUTDOWN_EVENT_SIGNALED "
            "(57)",
            Path::Async},
        Injected{"AsyncInferJob::wait", HAILO_INTERNAL_FAILURE,
                 "AsyncInferJob::wait() returned HAILO_INTERNAL_FAILURE (8)", Path::Async}),
    [](const auto& info) {
      std::string name = std::string(info.param.call) + "_" + hailoStatusText(info.param.status);
      std::replace_if(
          name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
      return name;
    });

TEST_F(HailortBackendTest, MissingAndInvalidHefsAreHailoStatuses) {
  auto o = options();
  o.hef = sampleModel() / "missing.hef";
  auto message = errorOf([&] { HailortBackend(o).load(bundle); });
  EXPECT_NE(message.find("VDevice::create_infer_model() returned HAILO_OPEN_FILE_FAILURE (13)"),
            std::string::npos)
      << message;
  o.hef = sampleModel() / "manifest.json";  // a file, but no network
  message = errorOf([&] { HailortBackend(o).load(bundle); });
  EXPECT_NE(message.find("HAILO_INVALID_HEF (26)"), std::string::npos) << message;
  EXPECT_NE(message.find("Dataflow Compiler"), std::string::npos) << message;
  o.hef.clear();  // no <model>.hef beside the ONNX
  message = errorOf([&] { HailortBackend(o).load(bundle); });
  EXPECT_NE(message.find("hef=PATH"), std::string::npos) << message;
}

TEST_F(HailortBackendTest, StatusesFromTheEnvironmentReachTheBackend) {
  ::setenv("IMUWB_FAKE_HAILORT_STATUS", "VDevice::create=HAILO_DEVICE_IN_USE", 1);
  const auto message = errorOf([&] { HailortBackend(options()).load(bundle); });
  ::unsetenv("IMUWB_FAKE_HAILORT_STATUS");
  EXPECT_NE(message.find("VDevice::create() returned HAILO_DEVICE_IN_USE (73)"), std::string::npos)
      << message;
}

TEST_F(HailortBackendTest, RejectsABatchNotInTheManifestLayoutAndRunBeforeLoad) {
  HailortBackend backend(options());
  EXPECT_NE(errorOf([&] { backend.run(batch); }).find("run() before load()"), std::string::npos);
  backend.load(bundle);
  Batch nhwc = batch;
  nhwc.shape = {8, 2, 100, 9};
  EXPECT_NE(errorOf([&] { backend.run(nhwc); }).find("is not the manifest's [8,9,2,100]"),
            std::string::npos);
}

TEST(HailortStatus, TextIsTheRealNameAndNumber) {
  // The fake's values are HailoRT 4.23.0's (hailort.h, HAILO_STATUS_VARIABLES).
  static_assert(HAILO_TIMEOUT == 4 && HAILO_INVALID_HEF == 26 &&
                HAILO_OUT_OF_PHYSICAL_DEVICES == 74 && HAILO_HEF_NOT_COMPATIBLE_WITH_DEVICE == 93 &&
                HAILO_STATUS_COUNT == 94);
  static_assert(HAILO_FORMAT_TYPE_UINT8 == 1 && HAILO_FORMAT_TYPE_FLOAT32 == 3 &&
                HAILO_FORMAT_ORDER_NHWC == 1 && HAILO_FORMAT_ORDER_NC == 6 &&
                HAILO_FORMAT_ORDER_NCHW == 11);
  EXPECT_EQ(hailoStatusText(HAILO_TIMEOUT), "HAILO_TIMEOUT (4)");
  EXPECT_EQ(hailoStatusText(HAILO_OUT_OF_PHYSICAL_DEVICES), "HAILO_OUT_OF_PHYSICAL_DEVICES (74)");
  EXPECT_EQ(hailoStatusText(500), "unknown hailo_status (500)");
}

TEST(HailortOptions, ParseTheRegistrySettings) {
  BackendOptions settings;
  settings.settings = {
      {"hef", "m.hef"}, {"outputs", "uint8"}, {"timeout_ms", "250"}, {"mode", "async"}};
  const auto o = hailortOptionsFromSettings(settings);
  EXPECT_EQ(o.hef, "m.hef");
  EXPECT_TRUE(o.rawOutputs);
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(250));
  EXPECT_TRUE(o.async);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"outputs", "int4"}, {"timeout_ms", "0"}, {"timeout_ms", "1s"}, {"mode", "turbo"}}) {
    BackendOptions bad;
    bad.settings[key] = value;
    EXPECT_THROW(hailortOptionsFromSettings(bad), Error) << key << "=" << value;
  }
}

TEST(HailortRegistry, ListsHailortAndSaysWhyWhenUnavailable) {
  const auto registry = makeDefaultBackendRegistry();
  ASSERT_TRUE(registry.contains("hailort"));
  const auto& entries = registry.entries();
  const auto entry = std::find_if(entries.begin(), entries.end(),
                                  [](const BackendEntry& e) { return e.name == "hailort"; });
  if (hailortBuiltIn()) {
    EXPECT_TRUE(entry->unavailable.empty());
    EXPECT_EQ(registry.create("hailort")->describe().name, "hailort");
  } else {
    const std::string reason =
        "HailoRT 4.23.0 not found at configure time; install hailort 4.23 and reconfigure";
    EXPECT_EQ(entry->unavailable, reason);
    EXPECT_NE(entry->description.find(reason), std::string::npos);
    const auto message = errorOf([&] { registry.create("hailort"); });
    EXPECT_NE(message.find("backend 'hailort' is not available in this build: " + reason),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace imuwb
