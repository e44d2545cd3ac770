#include "io/ReportHtml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "io/MarkupEscape.hpp"

namespace imuwb::io {

std::string htmlEscape(const std::string& text) {
  return escapeMarkup(text, Markup::Html);
}

namespace {

std::string num(double v, int digits = 4) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "&#8734;" : "-&#8734;";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

// Per-window cosine over time, one polyline per output, min/max per pixel column.
std::string driftSvg(const analysis::ParityResult& r) {
  const int width = 900, height = 260, left = 60, right = 10, top = 10, bottom = 40;
  const int plot_w = width - left - right, plot_h = height - top - bottom;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' role='img' aria-label='cosine similarity per window over time'>";
  if (r.windowTime_s.empty() || r.outputs.empty()) {
    svg << "<text x='20' y='40'>no windows compared</text></svg>";
    return svg.str();
  }
  const double t0 = r.windowTime_s.front(), t1 = std::max(r.windowTime_s.back(), t0 + 1e-9);
  double lo = 1.0;
  for (const auto& o : r.outputs)
    for (float c : o.cosinePerWindow)
      if (std::isfinite(c)) lo = std::min(lo, static_cast<double>(c));
  lo = std::min(lo, 0.9);
  lo = std::floor(lo * 20.0) / 20.0;
  const double hi = 1.0;
  auto y = [&](double v) { return top + plot_h * (hi - v) / (hi - lo); };
  auto x = [&](double t) { return left + plot_w * (t - t0) / (t1 - t0); };
  svg << "<rect x='" << left << "' y='" << top << "' width='" << plot_w << "' height='" << plot_h
      << "' fill='none' stroke='#999'/>";
  for (int i = 0; i <= 4; ++i) {
    const double v = lo + (hi - lo) * i / 4.0;
    svg << "<line x1='" << left << "' x2='" << left + plot_w << "' y1='" << y(v) << "' y2='" << y(v)
        << "' stroke='#eee'/><text x='" << left - 5 << "' y='" << y(v) + 4
        << "' font-size='11' text-anchor='end'>" << num(v, 3) << "</text>";
  }
  svg << "<text x='" << left << "' y='" << height - 8 << "' font-size='11'>" << num(t0, 6)
      << " s</text><text x='" << left + plot_w << "' y='" << height - 8
      << "' font-size='11' text-anchor='end'>" << num(t1, 6) << " s</text>"
      << "<text x='" << left + plot_w / 2 << "' y='" << height - 8
      << "' font-size='11' text-anchor='middle'>window start time</text>";
  for (std::size_t k = 0; k < r.outputs.size(); ++k) {
    const auto& o = r.outputs[k];
    // Threshold line.
    svg << "<line x1='" << left << "' x2='" << left + plot_w << "' y1='"
        << y(std::max(lo, o.tolerance.minCosine)) << "' y2='"
        << y(std::max(lo, o.tolerance.minCosine)) << "' stroke='" << kColours[k % 6]
        << "' stroke-dasharray='4 3' stroke-width='0.8'/>";
    std::vector<double> col_min(static_cast<std::size_t>(plot_w), 2.0),
        col_max(static_cast<std::size_t>(plot_w), -2.0);
    const std::size_t n = std::min(o.cosinePerWindow.size(), r.windowTime_s.size());
    for (std::size_t i = 0; i < n; ++i) {
      const double c = o.cosinePerWindow[i];
      if (!std::isfinite(c)) continue;
      auto col = static_cast<std::size_t>(
          std::clamp((x(r.windowTime_s[i]) - left), 0.0, static_cast<double>(plot_w - 1)));
      col_min[col] = std::min(col_min[col], std::max(c, lo));
      col_max[col] = std::max(col_max[col], std::max(c, lo));
    }
    svg << "<polyline fill='none' stroke='" << kColours[k % 6] << "' stroke-width='1' points='";
    for (int c = 0; c < plot_w; ++c) {
      if (col_max[static_cast<std::size_t>(c)] < -1.0) continue;
      svg << left + c << ',' << num(y(col_max[static_cast<std::size_t>(c)]), 6) << ' ' << left + c
          << ',' << num(y(col_min[static_cast<std::size_t>(c)]), 6) << ' ';
    }
    svg << "'/><text x='" << left + 8 + 160 * static_cast<int>(k) << "' y='" << top + 14
        << "' font-size='12' fill='" << kColours[k % 6] << "'>" << htmlEscape(o.output)
        << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

// Horizontal bars of per-layer SNR (view 1 and, when computed, view 2), threshold marked.
std::string layerSvg(const analysis::LayerNoiseReport& report) {
  const int row = 22, left = 240, bar_w = 560, top = 24;
  const int height = top + row * static_cast<int>(report.layers.size()) + 30;
  double hi = 40.0;
  for (const auto& l : report.layers) {
    if (std::isfinite(l.snrAllQuantized_db)) hi = std::max(hi, l.snrAllQuantized_db);
    if (std::isfinite(l.snrOnlyThisLayerMin_db)) hi = std::max(hi, l.snrOnlyThisLayerMin_db);
  }
  hi = std::ceil(hi / 10.0) * 10.0;
  auto w = [&](double db) {
    if (std::isinf(db) && db > 0) return static_cast<double>(bar_w);
    return std::clamp(db, 0.0, hi) / hi * bar_w;
  };
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << left + bar_w + 80 << "' height='"
      << height << "' role='img' aria-label='per-layer SNR in dB'>"
      << "<text x='" << left << "' y='14' font-size='11'>SNR dB: <tspan fill='#1f77b4'>all layers "
      << "quantized, at the layer</tspan> / <tspan fill='#ff7f0e'>only this layer quantized, at "
      << "the outputs</tspan></text>";
  const double flag_x = left + w(report.flagBelow_db);
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    const auto& l = report.layers[i];
    const int y0 = top + row * static_cast<int>(i);
    svg << "<text x='" << left - 6 << "' y='" << y0 + 14 << "' font-size='11' text-anchor='end'"
        << (l.flagged ? " fill='#d62728' font-weight='bold'" : "") << ">"
        << htmlEscape(l.node.size() > 34 ? "..." + l.node.substr(l.node.size() - 31) : l.node)
        << "</text><rect x='" << left << "' y='" << y0 + 2 << "' width='"
        << num(w(l.snrAllQuantized_db), 6) << "' height='8' fill='#1f77b4'/>";
    if (report.onlyThisLayerComputed)
      svg << "<rect x='" << left << "' y='" << y0 + 11 << "' width='"
          << num(w(l.snrOnlyThisLayerMin_db), 6) << "' height='8' fill='#ff7f0e'/>";
    svg << "<text x='" << left + bar_w + 6 << "' y='" << y0 + 14 << "' font-size='10'>"
        << num(l.snrAllQuantized_db, 3) << " / "
        << (report.onlyThisLayerComputed ? num(l.snrOnlyThisLayerMin_db, 3) : "-") << "</text>";
  }
  svg << "<line x1='" << flag_x << "' x2='" << flag_x << "' y1='" << top << "' y2='" << height - 24
      << "' stroke='#d62728' stroke-dasharray='4 3'/><text x='" << flag_x << "' y='" << height - 10
      << "' font-size='11' fill='#d62728' text-anchor='middle'>" << num(report.flagBelow_db, 3)
      << " dB</text><text x='" << left + bar_w << "' y='" << height - 10
      << "' font-size='11' text-anchor='end'>" << num(hi, 3) << " dB</text></svg>";
  return svg.str();
}

// Each side's description and what its backend reported (health, determinism), with a warning
// banner for a backend whose determinism probe failed.
std::string sourcesHtml(const analysis::ParityResult& r) {
  std::ostringstream h;
  for (const auto* side : {&r.a, &r.b})
    if (side->nonDeterministic)
      h << "<p class='fail'>WARNING: " << htmlEscape(side->label) << " is "
        << htmlEscape(side->determinism) << "</p>\n";
  h << "<h2>Sources</h2><table><tr><th class='l'></th><th class='l'>A</th><th class='l'>B</th>"
       "</tr>";
  auto row = [&h](const std::string& key, const std::string& a, const std::string& b) {
    h << "<tr><td class='l'>" << htmlEscape(key) << "</td><td class='l'>" << htmlEscape(a)
      << "</td><td class='l'>" << htmlEscape(b) << "</td></tr>";
  };
  row("label", r.a.label, r.b.label);
  row("kind", r.a.kind, r.b.kind);
  row("precision", r.a.precision, r.b.precision);
  row("description", r.a.detail, r.b.detail);
  auto value = [](const analysis::SourceInfo& s, const std::string& key) {
    for (const auto& d : s.details)
      if (d.key == key) return d.value;
    return std::string();
  };
  std::vector<std::string> keys;
  for (const auto* side : {&r.a, &r.b})
    for (const auto& d : side->details)
      if (std::find(keys.begin(), keys.end(), d.key) == keys.end()) keys.push_back(d.key);
  for (const auto& key : keys) row(key, value(r.a, key), value(r.b, key));
  h << "</table>\n";
  return h.str();
}

}  // namespace

std::string parityReportHtml(const analysis::ParityResult& r, const std::string& title) {
  std::ostringstream h;
  const bool passed = r.passed();
  h << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" << htmlEscape(title)
    << "</title><style>body{font-family:sans-serif;margin:24px;color:#222}"
       "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
       "font-size:13px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}"
       ".pass{color:#2a7d2a;font-weight:bold}.fail{color:#c62828;font-weight:bold}"
       "h2{margin-top:28px}</style></head><body>\n";
  h << "<h1>" << htmlEscape(title) << "</h1>\n<p>Model <b>" << htmlEscape(r.modelName)
    << "</b> (sha256 " << htmlEscape(r.modelSha256.substr(0, 16)) << "&#8230;). A = <b>"
    << htmlEscape(r.a.label) << "</b> (" << htmlEscape(r.a.precision) << "), B = <b>"
    << htmlEscape(r.b.label) << "</b> (" << htmlEscape(r.b.precision) << "). " << r.windows
    << " windows in " << num(r.seconds, 3) << " s. Verdict: <span class='"
    << (passed ? "pass'>PASS" : "fail'>FAIL") << "</span></p>\n";
  h << sourcesHtml(r);
  if (!r.inputs.empty()) {
    h << "<p>Inputs: ";
    for (const auto& i : r.inputs) h << "<code>" << htmlEscape(i) << "</code> ";
    h << "</p>\n";
  }
  if (!r.findings.empty()) {
    h << "<h2>Findings</h2><ul>";
    for (const auto& f : r.findings)
      h << "<li class='" << (f.severity == Severity::Error ? "fail" : "") << "'>["
        << severityName(f.severity) << "] " << htmlEscape(f.message)
        << (f.fix.empty() ? "" : " <i>Fix: " + htmlEscape(f.fix) + "</i>") << "</li>";
    h << "</ul>\n";
  }
  if (!r.outputs.empty()) {
    h << "<h2>Drift over time</h2>" << driftSvg(r) << "\n";
    h << "<h2>Per output</h2><table><tr><th class='l'>output</th><th class='l'>role</th>"
         "<th>cosine mean</th><th>min</th><th>p5</th><th>SNR dB</th><th>MSE</th><th>max abs</th>"
         "<th>max rel</th><th>top-1</th><th>flips / crossings</th><th>threshold</th>"
         "<th>verdict</th></tr>";
    for (const auto& o : r.outputs) {
      h << "<tr><td class='l'>" << htmlEscape(o.output) << "</td><td class='l'>" << roleName(o.role)
        << "</td><td>" << num(o.cosineMean, 5) << "</td><td>" << num(o.cosineMin, 5) << "</td><td>"
        << num(o.cosineP5, 5) << "</td><td>" << num(o.snr_db, 4) << "</td><td>" << num(o.mse, 3)
        << "</td><td>" << num(o.maxAbs, 3) << "</td><td>" << num(o.maxRel, 3) << "</td><td>"
        << (o.top1Agreement ? num(*o.top1Agreement * 100.0, 4) + " %" : "-") << "</td><td>";
      if (o.role == OutputRole::Logits)
        h << o.flips.size() << " flips";
      else if (o.role == OutputRole::MotifScores)
        h << "+" << o.crossingsGained << " / -" << o.crossingsLost;
      else
        h << "-";
      h << "</td><td>&#8805; " << num(o.tolerance.minCosine, 4) << " ("
        << htmlEscape(o.tolerance.source) << ")</td><td class='"
        << (o.passed ? "pass'>pass" : "fail'>fail") << "</td></tr>";
    }
    h << "</table>\n<h3>Checks</h3><table><tr><th class='l'>check</th><th>value</th>"
         "<th>threshold</th><th>verdict</th></tr>";
    for (const auto& o : r.outputs)
      for (const auto& c : o.checks)
        h << "<tr><td class='l'>" << htmlEscape(c.name) << "</td><td>" << num(c.value, 6)
          << "</td><td>" << htmlEscape(c.comparison) << ' ' << num(c.threshold, 6)
          << "</td><td class='" << (c.passed ? "pass'>pass" : "fail'>fail") << "</td></tr>";
    h << "</table>\n<h3>Worst windows</h3>";
    for (const auto& o : r.outputs) {
      h << "<p><b>" << htmlEscape(o.output)
        << "</b></p><table><tr><th>window</th><th>time s</th>"
           "<th>cosine</th><th>MSE</th></tr>";
      for (std::size_t i = 0; i < o.worst.size() && i < 10; ++i)
        h << "<tr><td>" << o.worst[i].window << "</td><td>" << num(o.worst[i].time_s, 8)
          << "</td><td>" << num(o.worst[i].cosine, 5) << "</td><td>" << num(o.worst[i].mse, 3)
          << "</td></tr>";
      h << "</table>";
      if (o.role == OutputRole::Logits && !o.flips.empty()) {
        h << "<p>First top-1 flips: ";
        for (std::size_t i = 0; i < o.flips.size() && i < 20; ++i) {
          const auto& f = o.flips[i];
          auto name = [&](int c) {
            return c >= 0 && static_cast<std::size_t>(c) < o.classNames.size()
                       ? o.classNames[static_cast<std::size_t>(c)]
                       : std::to_string(c);
          };
          h << num(f.time_s, 7) << " s: " << htmlEscape(name(f.classA)) << " &#8594; "
            << htmlEscape(name(f.classB)) << "; ";
        }
        h << "</p>";
      }
    }
  }
  if (r.layers) {
    h << "<h2>Per-layer noise</h2><p>" << r.layers->windows << " windows. Layers under "
      << num(r.layers->flagBelow_db, 3) << " dB are flagged in red.</p>" << layerSvg(*r.layers)
      << "<table><tr><th>rank</th><th class='l'>node</th><th class='l'>op</th><th>SNR at layer "
         "(all quantized)</th><th>SNR at outputs (only this layer)</th><th>clipped</th>"
         "<th class='l'>precision</th><th class='l'>suggested fix</th></tr>";
    for (const auto& l : r.layers->layers)
      h << "<tr><td>" << l.rank << "</td><td class='l'>" << htmlEscape(l.node)
        << "</td><td class='l'>" << htmlEscape(l.op) << "</td><td>" << num(l.snrAllQuantized_db, 4)
        << "</td><td>" << (r.layers->onlyThisLayerComputed ? num(l.snrOnlyThisLayerMin_db, 4) : "-")
        << "</td><td>" << num(l.clipFraction * 100.0, 3) << " %</td><td class='l'>"
        << htmlEscape(l.precision) << "</td><td class='l" << (l.flagged ? " fail" : "") << "'>"
        << htmlEscape(l.suggestion) << "</td></tr>";
    h << "</table>\n";
  }
  h << "<p style='color:#888;font-size:11px'>Generated by imuwb. The JSON report is the source "
       "of truth (docs/parity.md).</p></body></html>\n";
  return h.str();
}

void writeParityReportHtml(const analysis::ParityResult& result, const std::filesystem::path& path,
                           const std::string& title) {
  const auto html = parityReportHtml(result, title);
  writeTextAtomically(path, html, "the report");
}

}  // namespace imuwb::io
