#include "session/SessionGenerator.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <future>

#include "common/Error.hpp"
#include "session/SessionIo.hpp"
#include "session/generate/BehaviourSchedule.hpp"
#include "session/generate/BodyMotion.hpp"
#include "session/generate/DeviceMount.hpp"
#include "session/generate/GeneratorRandom.hpp"

namespace imuwb {
namespace {

using namespace generator;

// Real IMUs deliver 16-bit ADC counts. Quantizing to power-of-two steps close to typical
// resolutions (acc ~0.004 m/s^2, gyro ~0.001 rad/s, mag 0.125 uT) keeps the data realistic and
// leaves trailing zero bits in each float32, which shuffle+gzip compress well.
constexpr double kAccLsb = 1.0 / 256, kGyroLsb = 1.0 / 1024, kMagLsb = 1.0 / 8;
float quantize(double value, double lsb) {
  return static_cast<float>(std::nearbyint(value / lsb) * lsb);
}

double roundMicro(double seconds) {
  return std::round(seconds * 1e6) / 1e6;
}

}  // namespace

struct SessionGenerator::Impl {
  GeneratorOptions options;
  std::size_t rows = 0;
  Schedule schedule;
  std::vector<DeviceModel> devices;
  const Eigen::Vector3d earthField{20.0, 0.0, -45.0};  // uT, world frame x north, z up

  void generate(std::size_t firstRow, std::size_t rowCount,
                const std::vector<std::pair<std::size_t, float*>>& outputs) const;
};

void SessionGenerator::Impl::generate(
    std::size_t firstRow, std::size_t rowCount,
    const std::vector<std::pair<std::size_t, float*>>& outputs) const {
  const auto& segments = schedule.segments;
  const double rate = options.sampleRateHz;
  const double t0 = static_cast<double>(firstRow) / rate;
  auto segment = std::upper_bound(segments.begin(), segments.end(), t0,
                                  [](double t, const Segment& s) { return t < s.start; });
  if (segment != segments.begin()) --segment;
  std::vector<std::size_t> cursors;
  for (const auto& output : outputs)
    cursors.push_back(firstEventNotEnded(devices[output.first], t0));
  const Eigen::Vector3d gravityUp(0, 0, kStandardGravity);
  const int width = options.channelCount();
  MountAt mount;
  for (std::size_t i = 0; i < rowCount; ++i) {
    const std::size_t row = firstRow + i;
    const double t = static_cast<double>(row) / rate;
    while (segment + 1 != segments.end() && t >= segment->end) ++segment;
    const BodyState b =
        bodyStateAt(segments, static_cast<std::size_t>(segment - segments.begin()), t);
    const Eigen::Matrix3d body = bodyRotation(b.yaw, b.pitch, b.roll);
    const double sp = std::sin(b.pitch), cp = std::cos(b.pitch);
    const double sr = std::sin(b.roll), cr = std::cos(b.roll);
    // Body angular velocity from ZYX Euler rates.
    const Eigen::Vector3d omegaBody(b.rollRate - b.yawRate * sp,
                                    b.pitchRate * cr + b.yawRate * sr * cp,
                                    -b.pitchRate * sr + b.yawRate * cr * cp);
    const double cy = std::cos(b.yaw), sy = std::sin(b.yaw);
    const Eigen::Vector3d linearWorld(cy * b.linearHorizontal.x() - sy * b.linearHorizontal.y(),
                                      sy * b.linearHorizontal.x() + cy * b.linearHorizontal.y(),
                                      b.linearVertical);
    const Eigen::Matrix3d bodyT = body.transpose();
    // An accelerometer measures specific force: linear acceleration minus gravity (g points down).
    const Eigen::Vector3d forceBody = bodyT * (linearWorld + gravityUp);
    const Eigen::Vector3d fieldBody = bodyT * earthField;
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      const auto& [d, out] = outputs[o];
      const DeviceModel& model = devices[d];
      mountAt(model, cursors[o], t, mount);
      const Eigen::Matrix3d& toSensor = *mount.toSensor;
      const Eigen::Vector3d acc = toSensor * forceBody + mount.extraForceSensor + model.accBias;
      const Eigen::Vector3d gyro = toSensor * (omegaBody + mount.extraOmegaBody) + model.gyroBias;
      const Eigen::Vector3d mag = toSensor * fieldBody + model.magBias;
      float* values = out + i * static_cast<std::size_t>(width);
      // Keyed on 9 channels per row either way, so a 6-axis device holds the same ax..gz.
      const std::uint64_t key =
          (options.seed * 0x100000001B3ull ^ (d + 1) * 0x9E3779B97F4A7C15ull) + row * kChannelCount;
      for (int c = 0; c < 3; ++c) {
        values[c] = quantize(acc[c] + model.accNoise * hashNormal(key + c), kAccLsb);
        values[3 + c] = quantize(gyro[c] + model.gyroNoise * hashNormal(key + 3 + c), kGyroLsb);
        if (width == kChannelCount)
          values[6 + c] = quantize(mag[c] + model.magNoise * hashNormal(key + 6 + c), kMagLsb);
      }
    }
  }
}

SessionGenerator::SessionGenerator(GeneratorOptions options) : impl_(std::make_unique<Impl>()) {
  const std::string where = "generate";
  if (!(options.durationSeconds > 0) || options.durationSeconds > 7 * 24 * 3600.0)
    throw Error(where, "duration must be between a fraction of a second and 7 days",
                "pass --duration like 90s, 10m or 24h");
  if (!(options.sampleRateHz > 0) || options.sampleRateHz > 10000)
    throw Error(where, "sample rate must be in (0, 10000] Hz", "use the contract's 100 Hz");
  if (options.devices.empty())
    throw Error(where, "no devices", "pass --devices collar,harness (or one name)");
  for (std::size_t i = 0; i < options.devices.size(); ++i)
    for (std::size_t j = i + 1; j < options.devices.size(); ++j)
      if (options.devices[i] == options.devices[j])
        throw Error(where, "device '" + options.devices[i] + "' listed twice",
                    "use distinct names");
  impl_->options = std::move(options);
  impl_->rows = static_cast<std::size_t>(
      std::llround(impl_->options.durationSeconds * impl_->options.sampleRateHz));
  if (impl_->rows == 0) impl_->rows = 1;
  const double duration = static_cast<double>(impl_->rows) / impl_->options.sampleRateHz;
  impl_->schedule = buildSchedule(impl_->options.seed, duration);
  for (const auto& name : impl_->options.devices)
    impl_->devices.push_back(buildDevice(name, impl_->options.seed, duration));
}

SessionGenerator::~SessionGenerator() = default;
SessionGenerator::SessionGenerator(SessionGenerator&&) noexcept = default;

const GeneratorOptions& SessionGenerator::options() const {
  return impl_->options;
}
std::size_t SessionGenerator::sampleCount() const {
  return impl_->rows;
}
const std::vector<LabelInterval>& SessionGenerator::labels() const {
  return impl_->schedule.labels;
}

std::vector<LabelInterval> SessionGenerator::trueTimeline() const {
  std::vector<LabelInterval> truth;
  for (const Segment& s : impl_->schedule.segments)
    truth.push_back({s.start, s.end, generatorClasses()[static_cast<std::size_t>(s.behaviour)]});
  return truth;
}

std::vector<SensorEvent> SessionGenerator::sensorEvents() const {
  std::vector<SensorEvent> events;
  for (std::size_t d = 0; d < impl_->devices.size(); ++d)
    for (const MountEvent& e : impl_->devices[d].events)
      events.push_back({impl_->options.devices[d], e.kind, e.start, e.end, e.angle / kDeg,
                        e.knock.squaredNorm() > 0});
  std::stable_sort(events.begin(), events.end(), [](const SensorEvent& a, const SensorEvent& b) {
    return a.start_s < b.start_s;
  });
  return events;
}

nlohmann::json SessionGenerator::metadata() const {
  nlohmann::json changes = nlohmann::json::array();
  const auto& segments = impl_->schedule.segments;
  for (std::size_t k = 1; k < segments.size(); ++k)
    changes.push_back(roundMicro(segments[k].start));
  nlohmann::json events = nlohmann::json::array();
  for (const SensorEvent& e : sensorEvents())
    events.push_back({{"device", e.device},
                      {"kind", e.kind},
                      {"start_s", roundMicro(e.start_s)},
                      {"end_s", roundMicro(e.end_s)},
                      {"angle_deg", std::round(e.angleDeg * 100) / 100},
                      {"knock", e.knock}});
  return {{"generator", "imuwb generate"},
          {"generator_version", kGeneratorVersion},
          {"seed", impl_->options.seed},
          {"duration_s", impl_->options.durationSeconds},
          {"label_edge_jitter_max_s", kMaxLabelJitterSeconds},
          {"true_change_s", std::move(changes)},
          {"sensor_events", std::move(events)}};
}

void SessionGenerator::generateRows(std::size_t deviceIndex, std::size_t firstRow,
                                    std::size_t rowCount, float* out) const {
  if (deviceIndex >= impl_->devices.size() || firstRow + rowCount > impl_->rows)
    throw Error("generate", "rows or device out of range", "stay within sampleCount()");
  impl_->generate(firstRow, rowCount, {{deviceIndex, out}});
}

Session generateSession(const GeneratorOptions& options) {
  const SessionGenerator generator(options);
  Session session;
  session.sampleRateHz = options.sampleRateHz;
  session.startTime = options.startTime;
  session.classes = generatorClasses();
  session.labels = generator.labels();
  session.metadata = generator.metadata();
  const std::size_t rows = generator.sampleCount();
  for (std::size_t d = 0; d < options.devices.size(); ++d) {
    Device device;
    device.name = options.devices[d];
    device.channels = options.channelCount();
    device.samples.resize(rows * static_cast<std::size_t>(device.channels));
    generator.generateRows(d, 0, rows, device.samples.data());
    session.devices.push_back(std::move(device));
  }
  return session;
}

void generateSessionFile(const GeneratorOptions& options, const std::filesystem::path& target,
                         const JobControl& control) {
  const SessionGenerator generator(options);
  SessionWriterOptions writerOptions;
  writerOptions.sampleRateHz = options.sampleRateHz;
  writerOptions.startTime = options.startTime;
  writerOptions.deviceNames = options.devices;
  writerOptions.deviceChannels.assign(options.devices.size(), options.channelCount());
  writerOptions.metadata = generator.metadata();
  SessionWriter writer = SessionWriter::create(target, writerOptions);
  const std::size_t rows = generator.sampleCount();
  const std::size_t block = writerOptions.chunkRows;
  const std::size_t deviceCount = options.devices.size();
  using Block = std::vector<std::vector<float>>;
  auto produce = [&](std::size_t first) {
    const std::size_t count = std::min(block, rows - first);
    Block buffers(deviceCount,
                  std::vector<float>(count * static_cast<std::size_t>(options.channelCount())));
    std::vector<std::pair<std::size_t, float*>> outputs;
    for (std::size_t d = 0; d < deviceCount; ++d) outputs.emplace_back(d, buffers[d].data());
    generator.impl_->generate(first, count, outputs);
    return buffers;
  };
  // Generate the next block on a second thread while this one compresses and writes.
  std::future<Block> next = std::async(std::launch::async, produce, std::size_t{0});
  for (std::size_t first = 0; first < rows; first += block) {
    Block current = next.get();
    if (first + block < rows) next = std::async(std::launch::async, produce, first + block);
    control.throwIfCancelled();
    for (std::size_t d = 0; d < deviceCount; ++d)
      writer.appendRows(d, current[d].data(),
                        current[d].size() / static_cast<std::size_t>(options.channelCount()));
    control.report(static_cast<double>(std::min(rows, first + block)) / static_cast<double>(rows),
                   "generating");
  }
  writer.setLabels(generatorClasses(), generator.labels());
  writer.finish();
}

}  // namespace imuwb
