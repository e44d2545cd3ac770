#include "session/SessionGenerator.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <cmath>
#include <future>
#include <numbers>

#include "common/Error.hpp"
#include "session/SessionIo.hpp"

namespace imuwb {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDeg = kPi / 180.0;

enum Behaviour { Stand, Sit, LieDown, Walk, Trot, Gallop, TurnLeft, TurnRight, Jump, Shake };

// splitmix64: a counter-based generator, so any sample's noise depends only on its coordinates.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Sequential uniform draws for the schedule (platform-independent, unlike <random> dists).
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : state_(mix(seed ^ 0xD06B0DE5ull)) {}
  double uniform() { return static_cast<double>(mix(state_++) >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() {
    const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
  }

 private:
  std::uint64_t state_;
};

// Approximately standard normal from one 64-bit hash: Irwin-Hall sum of four 16-bit uniforms.
float hashNormal(std::uint64_t key) {
  const std::uint64_t h = mix(key);
  const double sum = static_cast<double>(h & 0xFFFF) + static_cast<double>((h >> 16) & 0xFFFF) +
                     static_cast<double>((h >> 32) & 0xFFFF) + static_cast<double>(h >> 48);
  return static_cast<float>((sum / 65535.0 - 2.0) * std::sqrt(3.0));
}

// Real IMUs deliver 16-bit ADC counts. Quantizing to power-of-two steps close to typical
// resolutions (acc ~0.004 m/s^2, gyro ~0.001 rad/s, mag 0.125 uT) keeps the data realistic and
// leaves trailing zero bits in each float32, which shuffle+gzip compress well.
constexpr double kAccLsb = 1.0 / 256, kGyroLsb = 1.0 / 1024, kMagLsb = 1.0 / 8;
float quantize(double value, double lsb) {
  return static_cast<float>(std::nearbyint(value / lsb) * lsb);
}

struct Segment {
  Behaviour behaviour;
  double start, end;
  double frequency = 0;                // gait / shake Hz
  double amplitude = 1;                // behaviour-specific scale
  double yawRate = 0;                  // rad/s
  double heading0 = 0;                 // rad at start
  double pitch = 0, roll = 0;          // target posture, rad
  double fromPitch = 0, fromRoll = 0;  // posture at the start (blended over blendSeconds)
  double blendSeconds = 0.4;
  double phase = 0;
};

struct DeviceModel {
  Eigen::Matrix3d mountTransposed;  // body -> sensor
  Eigen::Vector3d accBias, gyroBias, magBias;
  double accNoise, gyroNoise, magNoise;
};

// Angles (ZYX Euler: yaw, pitch, roll), their rates and body linear acceleration at time t.
struct BodyState {
  double yaw, pitch, roll;
  double yawRate, pitchRate, rollRate;
  Eigen::Vector3d linearHorizontal;  // forward, lateral in the heading frame, m/s^2
  double linearVertical;             // world up, m/s^2
};

double smoothstep(double u) {
  return u <= 0 ? 0 : u >= 1 ? 1 : u * u * (3 - 2 * u);
}
double smoothstepSlope(double u) {
  return u <= 0 || u >= 1 ? 0 : 6 * u * (1 - u);
}

BodyState evaluate(const Segment& s, double t) {
  BodyState b{};
  const double local = t - s.start;
  const double duration = s.end - s.start;
  // Posture blend from the previous segment.
  const double u = s.blendSeconds > 0 ? local / s.blendSeconds : 1;
  const double w = smoothstep(u), dw = smoothstepSlope(u) / std::max(s.blendSeconds, 1e-9);
  b.pitch = s.fromPitch + (s.pitch - s.fromPitch) * w;
  b.roll = s.fromRoll + (s.roll - s.fromRoll) * w;
  b.pitchRate = (s.pitch - s.fromPitch) * dw;
  b.rollRate = (s.roll - s.fromRoll) * dw;
  b.yaw = s.heading0 + s.yawRate * local;
  b.yawRate = s.yawRate;
  b.linearHorizontal.setZero();
  b.linearVertical = 0;
  const double omega = 2 * kPi * s.frequency;
  switch (s.behaviour) {
    case Stand:
    case Sit:
    case LieDown: {
      // Breathing / postural sway: tiny and slow.
      const double sway = 0.004 * s.amplitude;
      b.pitch += sway * std::sin(omega * local + s.phase);
      b.pitchRate += sway * omega * std::cos(omega * local + s.phase);
      b.linearVertical = 0.05 * s.amplitude * std::sin(omega * local + s.phase);
      break;
    }
    case Walk:
    case Trot:
    case Gallop:
    case TurnLeft:
    case TurnRight: {
      const double p = omega * local + s.phase;
      const double vertical = s.behaviour == Gallop ? 8.5 : s.behaviour == Trot ? 3.8 : 1.6;
      const double forward = s.behaviour == Gallop ? 4.0 : s.behaviour == Trot ? 1.5 : 0.8;
      const double lateral = s.behaviour == Gallop ? 1.0 : 0.6;
      const double pitchSwing = (s.behaviour == Gallop ? 8 : s.behaviour == Trot ? 3 : 2) * kDeg;
      const double rollSwing = (s.behaviour == Gallop ? 3 : 3) * kDeg;
      const double a = s.amplitude;
      b.linearVertical = a * vertical * (std::sin(p) + 0.2 * std::sin(2 * p + 0.7));
      b.linearHorizontal = {a * forward * std::cos(p), a * lateral * std::sin(0.5 * p), 0};
      b.pitch += a * pitchSwing * std::sin(p + 0.4);
      b.pitchRate += a * pitchSwing * omega * std::cos(p + 0.4);
      b.roll += a * rollSwing * std::sin(0.5 * p);
      b.rollRate += a * rollSwing * 0.5 * omega * std::cos(0.5 * p);
      const double yawSwing = 2 * kDeg;
      b.yaw += yawSwing * std::sin(0.5 * p + 1.1);
      b.yawRate += yawSwing * 0.5 * omega * std::cos(0.5 * p + 1.1);
      break;
    }
    case Shake: {
      // A 4-6 Hz roll burst under a half-sine envelope.
      const double envelope = std::sin(kPi * local / duration);
      const double envelopeSlope = kPi / duration * std::cos(kPi * local / duration);
      const double p = omega * local;
      b.roll += s.amplitude * envelope * std::sin(p);
      b.rollRate += s.amplitude * (envelopeSlope * std::sin(p) + envelope * omega * std::cos(p));
      b.linearHorizontal = {0, 20.0 * s.amplitude * envelope * std::sin(p), 0};
      break;
    }
    case Jump: {
      // Take-off push, free fall (specific force ~0), landing impact, settle.
      const double x = local / duration;
      if (x < 0.25)
        b.linearVertical = s.amplitude * 12.0 * std::sin(kPi * x / 0.25);
      else if (x < 0.6)
        b.linearVertical = -kStandardGravity;
      else if (x < 0.8)
        b.linearVertical = s.amplitude * 25.0 * std::sin(kPi * (x - 0.6) / 0.2);
      b.linearHorizontal = {x < 0.6 ? 3.0 * std::sin(kPi * x / 0.6) : 0.0, 0, 0};
      const double swing = 0.3 * std::sin(2 * kPi * x);
      b.pitch += -swing;
      b.pitchRate += -0.3 * 2 * kPi / duration * std::cos(2 * kPi * x);
      break;
    }
  }
  return b;
}

Eigen::Matrix3d bodyRotation(double yaw, double pitch, double roll) {
  return (Eigen::AngleAxisd(yaw, Eigen::Vector3d::UnitZ()) *
          Eigen::AngleAxisd(pitch, Eigen::Vector3d::UnitY()) *
          Eigen::AngleAxisd(roll, Eigen::Vector3d::UnitX()))
      .toRotationMatrix();
}

}  // namespace

struct SessionGenerator::Impl {
  GeneratorOptions options;
  std::size_t rows = 0;
  std::vector<Segment> segments;
  std::vector<LabelInterval> labels;
  std::vector<DeviceModel> devices;
  const Eigen::Vector3d earthField{20.0, 0.0, -45.0};  // uT, world frame x north, z up

  void buildSchedule();
  void buildDevices();
  void generate(std::size_t firstRow, std::size_t rowCount,
                const std::vector<std::pair<std::size_t, float*>>& outputs) const;
};

void SessionGenerator::Impl::buildSchedule() {
  Draw draw(options.seed);
  const double duration = static_cast<double>(rows) / options.sampleRateHz;
  // Next-behaviour weights: postures chain through each other, gaits speed up and slow down.
  static const double transitions[10][10] = {//  st   sit  lie  walk trot gal  tl   tr   jump shake
                                             {0, 2, 1, 4, 1, 0, 1, 1, 0.5, 1},        // stand
                                             {3, 0, 2, 0, 0, 0, 0, 0, 0, 0.5},        // sit
                                             {2, 2, 0, 0, 0, 0, 0, 0, 0, 0},          // lie_down
                                             {2, 0.5, 0, 0, 2, 0, 1.5, 1.5, 0.3, 0},  // walk
                                             {0.5, 0, 0, 2, 0, 1.5, 1, 1, 0.5, 0},    // trot
                                             {0, 0, 0, 0, 2, 0, 0.5, 0.5, 0.5, 0},    // gallop
                                             {1, 0, 0, 3, 1, 0, 0, 0, 0, 0},          // turn_left
                                             {1, 0, 0, 3, 1, 0, 0, 0, 0, 0},          // turn_right
                                             {1, 0, 0, 1, 1, 0, 0, 0, 0, 0},          // jump
                                             {2, 0, 0, 1, 0, 0, 0, 0, 0, 0}};         // shake
  static const double durationRange[10][2] = {{3, 30}, {5, 60}, {10, 240}, {5, 60},    {3, 30},
                                              {2, 10}, {1, 3},  {1, 3},    {0.8, 1.2}, {1, 2.5}};
  auto current = static_cast<Behaviour>(static_cast<int>(draw.uniform() * 4) == 3 ? Walk : Stand);
  double t = 0, heading = draw.uniform(-kPi, kPi), pitch = 0, roll = 0;
  while (t < duration) {
    Segment s;
    s.behaviour = current;
    s.start = t;
    const double length = draw.uniform(durationRange[current][0], durationRange[current][1]);
    s.end = std::min(duration, t + length);
    s.heading0 = heading;
    s.fromPitch = pitch;
    s.fromRoll = roll;
    s.phase = draw.uniform(0, 2 * kPi);
    s.amplitude = draw.uniform(0.85, 1.15);
    switch (current) {
      case Stand:
        s.pitch = draw.normal() * 2 * kDeg;
        s.frequency = draw.uniform(0.2, 0.4);
        break;
      case Sit:
        s.pitch = -draw.uniform(30, 40) * kDeg;  // trunk raised at the front
        s.roll = draw.normal() * 3 * kDeg;
        s.frequency = draw.uniform(0.2, 0.4);
        break;
      case LieDown:
        s.pitch = draw.normal() * 3 * kDeg;
        s.roll = draw.uniform() < 0.5
                     ? draw.normal() * 4 * kDeg
                     : (draw.uniform() < 0.5 ? -1 : 1) * draw.uniform(65, 85) * kDeg;
        s.frequency = draw.uniform(0.2, 0.35);
        break;
      case Walk:
        s.frequency = draw.uniform(1.5, 2.0);
        s.yawRate = draw.uniform(-0.08, 0.08);
        break;
      case Trot:
        s.frequency = draw.uniform(2.5, 3.5);
        s.yawRate = draw.uniform(-0.08, 0.08);
        break;
      case Gallop:
        s.frequency = draw.uniform(3.0, 4.0);
        s.yawRate = draw.uniform(-0.05, 0.05);
        break;
      case TurnLeft:
      case TurnRight:
        s.frequency = draw.uniform(1.5, 2.0);
        s.yawRate = (current == TurnLeft ? 1 : -1) * draw.uniform(1.0, 2.0);  // 57-115 deg/s
        s.roll = (current == TurnLeft ? -1 : 1) * 4 * kDeg;                   // lean in
        s.amplitude *= 0.8;
        break;
      case Jump:
        s.amplitude = draw.uniform(0.9, 1.2);
        break;
      case Shake:
        s.frequency = draw.uniform(4.0, 6.0);
        s.amplitude = draw.uniform(0.5, 0.8);  // roll amplitude, rad
        break;
    }
    s.blendSeconds = std::min(0.4, (s.end - s.start) / 3);
    heading = s.heading0 + s.yawRate * (s.end - s.start);
    heading = std::remainder(heading, 2 * kPi);
    pitch = s.pitch;
    roll = s.roll;
    segments.push_back(s);
    labels.push_back({s.start, s.end, generatorClasses()[static_cast<std::size_t>(current)]});
    t = s.end;
    // Pick the next behaviour.
    double total = 0;
    for (double weight : transitions[current]) total += weight;
    double pick = draw.uniform() * total;
    int next = 0;
    for (; next < 9; ++next) {
      pick -= transitions[current][next];
      if (pick < 0) break;
    }
    current = static_cast<Behaviour>(next);
  }
}

void SessionGenerator::Impl::buildDevices() {
  for (std::size_t d = 0; d < options.devices.size(); ++d) {
    const std::string& name = options.devices[d];
    Draw draw(options.seed * 1000003u + std::hash<std::string>{}(name) % 1000003u);
    Eigen::Matrix3d mount;
    double scale = 1;
    if (name == "collar") {
      // Under the chin, upside down and rotated: x down the neck, z towards the ground.
      mount = bodyRotation(90 * kDeg, 20 * kDeg, 180 * kDeg);
      scale = 1.4;  // a collar moves more and is noisier than a harness
    } else if (name == "harness") {
      mount = bodyRotation(180 * kDeg, -8 * kDeg, 0);
    } else {
      mount =
          bodyRotation(draw.uniform(-kPi, kPi), draw.uniform(-0.5, 0.5), draw.uniform(-kPi, kPi));
    }
    DeviceModel model;
    model.mountTransposed = mount.transpose();
    model.accBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 0.05;
    model.gyroBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 0.008;
    model.magBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 1.5;
    model.accNoise = 0.04 * scale;
    model.gyroNoise = 0.008 * scale;
    model.magNoise = 0.4 * scale;
    devices.push_back(model);
  }
}

void SessionGenerator::Impl::generate(
    std::size_t firstRow, std::size_t rowCount,
    const std::vector<std::pair<std::size_t, float*>>& outputs) const {
  const double rate = options.sampleRateHz;
  double t0 = static_cast<double>(firstRow) / rate;
  auto segment = std::upper_bound(segments.begin(), segments.end(), t0,
                                  [](double t, const Segment& s) { return t < s.start; });
  if (segment != segments.begin()) --segment;
  const Eigen::Vector3d gravityUp(0, 0, kStandardGravity);
  const int width = options.channelCount();
  for (std::size_t i = 0; i < rowCount; ++i) {
    const std::size_t row = firstRow + i;
    const double t = static_cast<double>(row) / rate;
    while (segment + 1 != segments.end() && t >= segment->end) ++segment;
    const BodyState b = evaluate(*segment, t);
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
    for (const auto& [d, out] : outputs) {
      const DeviceModel& model = devices[d];
      const Eigen::Vector3d acc = model.mountTransposed * forceBody + model.accBias;
      const Eigen::Vector3d gyro = model.mountTransposed * omegaBody + model.gyroBias;
      const Eigen::Vector3d mag = model.mountTransposed * fieldBody + model.magBias;
      float* o = out + i * static_cast<std::size_t>(width);
      // Keyed on 9 channels per row either way, so a 6-axis device holds the same ax..gz.
      const std::uint64_t key =
          (options.seed * 0x100000001B3ull ^ (d + 1) * 0x9E3779B97F4A7C15ull) + row * kChannelCount;
      for (int c = 0; c < 3; ++c) {
        o[c] = quantize(acc[c] + model.accNoise * hashNormal(key + c), kAccLsb);
        o[3 + c] = quantize(gyro[c] + model.gyroNoise * hashNormal(key + 3 + c), kGyroLsb);
        if (width == kChannelCount)
          o[6 + c] = quantize(mag[c] + model.magNoise * hashNormal(key + 6 + c), kMagLsb);
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
  impl_->buildSchedule();
  impl_->buildDevices();
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
  return impl_->labels;
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
  session.metadata = {{"generator", "imuwb generate"},
                      {"seed", options.seed},
                      {"duration_s", options.durationSeconds}};
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
  writerOptions.metadata = {{"generator", "imuwb generate"},
                            {"seed", options.seed},
                            {"duration_s", options.durationSeconds}};
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
