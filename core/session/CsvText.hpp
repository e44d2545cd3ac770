#pragma once
// Minimal CSV line handling shared by the sample and label importers.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace imuwb::csv {

// Reads lines ended by \n, \r\n or a lone \r (old Mac exports), refusing any line longer
// than maxLineBytes before it is held in memory. Lines are numbered from 1.
class LineReader {
 public:
  LineReader(std::istream& in, std::uint64_t maxLineBytes) : in_(in), max_(maxLineBytes) {}

  // The next line without its terminator; false at the end of the input. When a line is over
  // the limit, returns true with tooLong() set and the line cut at the limit.
  bool next(std::string& line) {
    line.clear();
    tooLong_ = false;
    if (skipLf_) {
      skipLf_ = false;
      if (pos_ == buffer_.size() && !refill()) return false;
      if (buffer_[pos_] == '\n') ++pos_;
    }
    bool any = false;
    while (true) {
      if (pos_ == buffer_.size() && !refill()) {
        if (!any) return false;
        ++number_;
        return true;
      }
      any = true;
      const char* begin = buffer_.data() + pos_;
      const char* end = buffer_.data() + buffer_.size();
      const char* hit = begin;
      while (hit != end && *hit != '\n' && *hit != '\r') ++hit;
      const auto take = static_cast<std::size_t>(hit - begin);
      if (line.size() + take > max_) {
        line.append(begin, max_ - line.size());
        tooLong_ = true;
        ++number_;
        return true;
      }
      line.append(begin, take);
      pos_ += take;
      if (hit == end) continue;
      ++pos_;
      if (*hit == '\r') skipLf_ = true;
      ++number_;
      return true;
    }
  }

  std::size_t lineNumber() const { return number_; }
  bool tooLong() const { return tooLong_; }
  std::uint64_t bytesRead() const { return consumed_ - (buffer_.size() - pos_); }

 private:
  bool refill() {
    buffer_.resize(1 << 16);
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.resize(static_cast<std::size_t>(in_.gcount()));
    consumed_ += buffer_.size();
    pos_ = 0;
    return !buffer_.empty();
  }

  std::istream& in_;
  std::uint64_t max_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;
  std::size_t number_ = 0;
  bool skipLf_ = false;
  bool tooLong_ = false;
};

// A field as it can be quoted in a message: at most 40 bytes, control and non-ASCII bytes as
// \xNN, so NULs or binary junk never reach a terminal raw.
inline std::string printable(std::string_view text) {
  std::string out;
  static const char* digits = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  if (text.size() > 40) out += "...";
  return out;
}

// Picks ',' ';' or tab: whichever appears most in the header line.
inline char detectDelimiter(std::string_view header) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  for (char c : header) {
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"' || text.front() == '\r' ||
                           text.front() == '\'' || text.front() == '\xEF' ||
                           text.front() == '\xBB' || text.front() == '\xBF'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == '\r' ||
                           text.back() == '\'' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

inline void splitLine(std::string_view line, char delimiter, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(delimiter, start);
    out.push_back(trim(line.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

// Parses a number; empty, "nan", "NaN", "NA" give NaN. Returns false for anything else.
inline bool parseNumber(std::string_view text, double& value) {
  if (text.empty() || text == "nan" || text == "NaN" || text == "NAN" || text == "NA" ||
      text == "null") {
    value = std::nan("");
    return true;
  }
  if (text.front() == '+') text.remove_prefix(1);
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return true;
  if (text == "inf" || text == "Inf") return value = INFINITY, true;
  if (text == "-inf" || text == "-Inf") return value = -INFINITY, true;
  return false;
}

}  // namespace imuwb::csv
