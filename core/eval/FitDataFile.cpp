#include "eval/FitDataFile.hpp"

#include <bit>
#include <cstring>
#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"

namespace imuwb::eval {

static_assert(std::endian::native == std::endian::little, "the fit file is little-endian");

namespace {

constexpr char kMagic[8] = {'I', 'M', 'U', 'W', 'B', 'F', 'I', 'T'};
constexpr std::size_t kHashChars = 64;
constexpr std::size_t kMaxClasses = 1u << 16, kMaxSides = 16, kMaxName = 4096;
constexpr std::uint64_t kMaxRows = std::uint64_t{1} << 36;  // keeps the size arithmetic exact

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

bool fitsFloat(const std::vector<double>& values) {
  for (const double v : values)
    if (static_cast<double>(static_cast<float>(v)) != v) return false;
  return true;
}

void putTable(std::string& out, const std::vector<double>& values, std::uint8_t width) {
  if (width == 8) {
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
    return;
  }
  for (const double v : values) put(out, static_cast<float>(v));
}

// Reads the encoding front to back; every read is bounds-checked against the content.
class Reader {
 public:
  Reader(const std::string& bytes, std::size_t end, std::string where)
      : bytes_(bytes), end_(end), where_(std::move(where)) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value), sizeof value);
    return value;
  }
  std::string text(std::size_t n) { return {take(n), n}; }
  void table(std::vector<double>& to, std::size_t count, std::uint8_t width) {
    to.resize(count);
    if (count == 0) return;
    const char* from = take(count * width);
    if (width == 8) {
      std::memcpy(to.data(), from, count * sizeof(double));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      float f;
      std::memcpy(&f, from + i * sizeof f, sizeof f);
      to[i] = f;
    }
  }
  std::size_t remaining() const { return end_ - at_; }
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(where_, problem,
                "re-run the recording's shard with --resume (it redoes a recording whose fit "
                "data are damaged or missing)");
  }

 private:
  const char* take(std::size_t n) {
    if (n > end_ - at_)
      fail("is truncated: it ends " + std::to_string(n - (end_ - at_)) +
           " bytes before the data its header describes");
    const char* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  const std::string& bytes_;
  std::size_t end_, at_ = 0;
  std::string where_;
};

}  // namespace

std::string encodeFitData(const FitData& d) {
  const std::size_t nc = d.calibrationLabels.size(), nt = d.testLabels.size(), k = d.classes;
  std::string out(kMagic, sizeof kMagic);
  put(out, kFitDataVersion);
  put(out, static_cast<std::uint32_t>(k));
  put(out, static_cast<std::uint32_t>(d.sides.size()));
  put(out, std::uint32_t{0});
  put(out, static_cast<std::uint64_t>(nc));
  put(out, static_cast<std::uint64_t>(nt));
  std::vector<std::pair<std::uint8_t, std::uint8_t>> widths;  // logits, probabilities
  for (const auto& s : d.sides) {
    if (s.calibrationLogits.values.size() != nc * k || s.testLogits.values.size() != nt * k ||
        s.calibrationProbabilities.values.size() != nc * k ||
        s.testProbabilities.values.size() != nt * k)
      throw Error("evaluation fit data", "side " + s.backend + "'s tables do not match the labels");
    const std::uint8_t logits =
        fitsFloat(s.calibrationLogits.values) && fitsFloat(s.testLogits.values) ? 4 : 8;
    const std::uint8_t probabilities =
        fitsFloat(s.calibrationProbabilities.values) && fitsFloat(s.testProbabilities.values) ? 4
                                                                                              : 8;
    widths.emplace_back(logits, probabilities);
    put(out, static_cast<std::uint32_t>(s.backend.size()));
    out += s.backend;
    put(out, logits);
    put(out, probabilities);
    put(out, std::uint16_t{0});
  }
  for (const int label : d.calibrationLabels) put(out, static_cast<std::int32_t>(label));
  for (const int label : d.testLabels) put(out, static_cast<std::int32_t>(label));
  for (std::size_t i = 0; i < d.sides.size(); ++i) {
    const auto& s = d.sides[i];
    putTable(out, s.calibrationLogits.values, widths[i].first);
    putTable(out, s.calibrationProbabilities.values, widths[i].second);
    putTable(out, s.testLogits.values, widths[i].first);
    putTable(out, s.testProbabilities.values, widths[i].second);
  }
  out += sha256Hex(out.data(), out.size());
  return out;
}

FitData decodeFitData(const std::string& bytes, const std::string& where) {
  Reader in(bytes, bytes.size(), where);
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    in.fail("is not an imuwb fit data file (no IMUWBFIT magic)");
  in.text(sizeof kMagic);
  if (const auto version = in.get<std::uint32_t>(); version != kFitDataVersion)
    in.fail("has format version " + std::to_string(version) + "; this imuwb reads version " +
            std::to_string(kFitDataVersion));
  FitData d;
  d.classes = in.get<std::uint32_t>();
  const std::size_t sides = in.get<std::uint32_t>();
  in.get<std::uint32_t>();
  const auto nc = in.get<std::uint64_t>(), nt = in.get<std::uint64_t>();
  if (d.classes == 0 || d.classes > kMaxClasses || sides == 0 || sides > kMaxSides ||
      nc > kMaxRows || nt > kMaxRows)
    in.fail("has an impossible header (" + std::to_string(d.classes) + " classes, " +
            std::to_string(sides) + " sides)");
  std::vector<std::pair<std::uint8_t, std::uint8_t>> widths;
  for (std::size_t s = 0; s < sides; ++s) {
    const auto name = in.get<std::uint32_t>();
    if (name > kMaxName) in.fail("has a backend name of " + std::to_string(name) + " bytes");
    d.sides.push_back(
        {in.text(name), {d.classes, {}}, {d.classes, {}}, {d.classes, {}}, {d.classes, {}}});
    const auto logits = in.get<std::uint8_t>(), probabilities = in.get<std::uint8_t>();
    in.get<std::uint16_t>();
    if ((logits != 4 && logits != 8) || (probabilities != 4 && probabilities != 8))
      in.fail("has a value width other than 4 or 8 bytes");
    widths.emplace_back(logits, probabilities);
  }
  std::size_t need = (nc + nt) * 4 + kHashChars;
  for (const auto& [l, p] : widths) need += (nc + nt) * d.classes * (l + p);
  if (need != in.remaining())
    in.fail((need > in.remaining() ? "is truncated: " : "is longer than its header says: ") +
            std::to_string(bytes.size()) + " bytes where its header implies " +
            std::to_string(bytes.size() - in.remaining() + need));
  const std::size_t content = bytes.size() - kHashChars;
  if (sha256Hex(bytes.data(), content) != bytes.substr(content))
    in.fail("is damaged: its SHA-256 does not match its content");
  for (auto* labels : {&d.calibrationLabels, &d.testLabels}) {
    labels->resize(labels == &d.calibrationLabels ? nc : nt);
    for (auto& label : *labels) {
      label = in.get<std::int32_t>();
      if (label < 0 || static_cast<std::size_t>(label) >= d.classes)
        in.fail("has a label outside its " + std::to_string(d.classes) + " classes");
    }
  }
  for (std::size_t s = 0; s < sides; ++s) {
    auto& side = d.sides[s];
    in.table(side.calibrationLogits.values, nc * d.classes, widths[s].first);
    in.table(side.calibrationProbabilities.values, nc * d.classes, widths[s].second);
    in.table(side.testLogits.values, nt * d.classes, widths[s].first);
    in.table(side.testProbabilities.values, nt * d.classes, widths[s].second);
  }
  return d;
}

FitDataDigest writeFitData(const FitData& data, const std::filesystem::path& path) {
  const std::string bytes = encodeFitData(data);
  writeTextAtomically(path, bytes, "evaluation fit data");
  return {bytes.size(), bytes.substr(bytes.size() - kHashChars)};
}

FitData readFitData(const std::filesystem::path& path, FitDataDigest* digest) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path.string(), "is missing (the recording's evaluation fit data)",
                "re-run the recording's shard with --resume");
  std::string bytes;
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (!error) bytes.resize(size);
  if (error || !in.read(bytes.data(), static_cast<std::streamsize>(size)))
    throw Error(path.string(), "could not be read (the recording's evaluation fit data)",
                "check the output folder's permissions, then re-run the shard with --resume");
  auto data = decodeFitData(bytes, path.string());
  if (digest) *digest = {bytes.size(), bytes.substr(bytes.size() - kHashChars)};
  return data;
}

}  // namespace imuwb::eval
