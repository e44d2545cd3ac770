#include "backends/edgeinfer/WindowBodyScanner.hpp"

#include <charconv>
#include <cstdint>
#include <system_error>

#include "model/Manifest.hpp"

namespace imuwb::sidecar {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}

  void skipSpace() {
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\t' || *at_ == '\n' || *at_ == '\r')) ++at_;
  }
  bool expect(char c) {
    skipSpace();
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }
  // A plain key: no escapes (a key with escapes goes to the full parser).
  bool expectKey(std::string_view key) {
    if (!expect('"')) return false;
    if (static_cast<std::size_t>(end_ - at_) < key.size() + 1) return false;
    if (std::string_view(at_, key.size()) != key || at_[key.size()] != '"') return false;
    at_ += key.size() + 1;
    return true;
  }
  bool atEnd() {
    skipSpace();
    return at_ == end_;
  }
  bool number(float& value);

 private:
  bool digits() {
    const char* start = at_;
    while (at_ < end_ && *at_ >= '0' && *at_ <= '9') ++at_;
    return at_ > start;
  }
  // JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool numberToken(bool& integral) {
    if (at_ < end_ && *at_ == '-') ++at_;
    if (at_ == end_) return false;
    if (*at_ == '0') {
      ++at_;
    } else if (!digits()) {
      return false;
    }
    integral = true;
    if (at_ < end_ && *at_ == '.') {
      ++at_;
      integral = false;
      if (!digits()) return false;
    }
    if (at_ < end_ && (*at_ == 'e' || *at_ == 'E')) {
      ++at_;
      integral = false;
      if (at_ < end_ && (*at_ == '+' || *at_ == '-')) ++at_;
      if (!digits()) return false;
    }
    return true;
  }

  const char* at_;
  const char* end_;
};

// nlohmann keeps an integer as int64 (or uint64 when positive and larger) and anything else as a
// double, correctly rounded; get<float> then casts. The same here; out of range: full parser.
bool Scanner::number(float& value) {
  skipSpace();
  const char* start = at_;
  bool integral = false;
  if (!numberToken(integral)) return false;
  if (integral) {
    std::int64_t signedValue = 0;
    if (auto [ptr, error] = std::from_chars(start, at_, signedValue);
        error == std::errc() && ptr == at_) {
      value = static_cast<float>(signedValue);
      return true;
    }
    std::uint64_t unsignedValue = 0;
    auto [ptr, error] = std::from_chars(start, at_, unsignedValue);
    if (error != std::errc() || ptr != at_) return false;
    value = static_cast<float>(unsignedValue);
    return true;
  }
  double parsed = 0;
  auto [ptr, error] = std::from_chars(start, at_, parsed);
  if (error != std::errc() || ptr != at_) return false;
  value = static_cast<float>(parsed);
  return true;
}

bool scanRow(Scanner& scanner, std::vector<float>& rows) {
  if (!scanner.expect('[')) return false;
  for (std::size_t channel = 0; channel < kChannelCount; ++channel) {
    if (channel > 0 && !scanner.expect(',')) return false;
    float value = 0;
    if (!scanner.number(value)) return false;
    rows.push_back(value);
  }
  return scanner.expect(']');
}

}  // namespace

bool scanWindowBody(std::string_view body, std::string_view key, std::size_t expectedRows,
                    std::vector<float>& rows) {
  rows.clear();
  rows.reserve(expectedRows * kChannelCount);
  Scanner scanner(body);
  if (!scanner.expect('{') || !scanner.expectKey(key) || !scanner.expect(':') ||
      !scanner.expect('['))
    return false;
  for (std::size_t row = 0; row < expectedRows; ++row) {
    if (row > 0 && !scanner.expect(',')) return false;
    if (!scanRow(scanner, rows)) return false;
  }
  return scanner.expect(']') && scanner.expect('}') && scanner.atEnd();
}

}  // namespace imuwb::sidecar
