#include "eval/EvalSvg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "io/MarkupEscape.hpp"

namespace imuwb::eval {
namespace {

std::string esc(const std::string& text) {
  return io::escapeMarkup(text, io::Markup::Html);
}

std::string fixed(double v, int digits = 1) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string cellFill(long long value, long long rowTotal, long long largest, bool signedValues) {
  if (signedValues) {
    if (value == 0 || largest == 0) return "#ffffff";
    const int shade = 255 - static_cast<int>(200.0 * std::abs(value) / largest);
    const std::string s = std::to_string(shade);
    return value > 0 ? "rgb(" + s + "," + s + ",255)" : "rgb(255," + s + "," + s + ")";
  }
  if (rowTotal == 0) return "#ffffff";
  const int shade = 255 - static_cast<int>(200.0 * value / rowTotal);
  return "rgb(" + std::to_string(shade) + "," + std::to_string(shade) + ",255)";
}

}  // namespace

std::string confusionSvg(const std::vector<long long>& values,
                         const std::vector<std::string>& classes, bool signedValues) {
  const int k = static_cast<int>(classes.size());
  const int cell = 44, left = 90, top = 90;
  long long largest = 0;
  for (auto v : values) largest = std::max(largest, std::abs(v));
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + k * cell + 10
    << "\" height=\"" << top + k * cell + 30 << "\" font-family=\"sans-serif\" font-size=\"11\">"
    << "<text x=\"" << left << "\" y=\"12\">prediction &#8594;</text>"
    << "<text x=\"4\" y=\"" << top - 6 << "\">label &#8595;</text>";
  for (int c = 0; c < k; ++c) {
    const int x = left + c * cell + cell / 2, y = top + c * cell + cell / 2 + 4;
    s << "<text transform=\"translate(" << x << "," << top - 6 << ") rotate(-60)\">"
      << esc(classes[c]) << "</text><text x=\"" << left - 4 << "\" y=\"" << y
      << "\" text-anchor=\"end\">" << esc(classes[c]) << "</text>";
  }
  for (int t = 0; t < k; ++t) {
    long long rowTotal = 0;
    for (int p = 0; p < k; ++p) rowTotal += values[t * k + p];
    for (int p = 0; p < k; ++p) {
      const long long v = values[t * k + p];
      s << "<rect x=\"" << left + p * cell << "\" y=\"" << top + t * cell << "\" width=\"" << cell
        << "\" height=\"" << cell << "\" fill=\"" << cellFill(v, rowTotal, largest, signedValues)
        << "\" stroke=\"#999\"/><text x=\"" << left + p * cell + cell / 2 << "\" y=\""
        << top + t * cell + cell / 2 + 4 << "\" text-anchor=\"middle\">"
        << (signedValues && v > 0 ? "+" : "") << v << "</text>";
    }
  }
  s << "</svg>";
  return s.str();
}

std::string reliabilitySvg(const std::vector<const CalibrationError*>& series,
                           const std::vector<std::string>& names) {
  const int size = 300, left = 40, top = 10;
  const char* colours[] = {"#1f77b4", "#ff7f0e"};
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + size + 150 << "\" height=\""
    << top + size + 40 << "\" font-family=\"sans-serif\" font-size=\"11\">"
    << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << size << "\" height=\"" << size
    << "\" fill=\"none\" stroke=\"#999\"/><line x1=\"" << left << "\" y1=\"" << top + size
    << "\" x2=\"" << left + size << "\" y2=\"" << top << "\" stroke=\"#bbb\" "
    << "stroke-dasharray=\"4\"/><text x=\"" << left << "\" y=\"" << top + size + 28
    << "\">confidence (0..1) &#8594; ; accuracy &#8593;</text>";
  for (std::size_t i = 0; i < series.size() && i < 2; ++i) {
    const auto& bins = series[i]->bins;
    const double width = static_cast<double>(size) / std::max<std::size_t>(bins.size(), 1);
    for (std::size_t b = 0; b < bins.size(); ++b) {
      if (bins[b].count == 0) continue;
      const double h = bins[b].accuracy * size;
      s << "<rect x=\"" << fixed(left + b * width + i * width / 2) << "\" y=\""
        << fixed(top + size - h) << "\" width=\"" << fixed(width / 2) << "\" height=\"" << fixed(h)
        << "\" fill=\"" << colours[i] << "\" fill-opacity=\"0.7\"><title>" << esc(names[i]) << ": ("
        << fixed(bins[b].lo, 3) << ", " << fixed(bins[b].hi, 3) << "] n=" << bins[b].count
        << " accuracy " << fixed(bins[b].accuracy, 3) << " confidence "
        << fixed(bins[b].meanConfidence, 3) << "</title></rect>";
    }
    s << "<rect x=\"" << left + size + 10 << "\" y=\"" << top + 10 + 18 * i
      << "\" width=\"10\" height=\"10\" fill=\"" << colours[i] << "\"/><text x=\""
      << left + size + 24 << "\" y=\"" << top + 19 + 18 * i << "\">" << esc(names[i]) << " (ECE "
      << fixed(series[i]->ece, 4) << ")</text>";
  }
  s << "</svg>";
  return s.str();
}

}  // namespace imuwb::eval
