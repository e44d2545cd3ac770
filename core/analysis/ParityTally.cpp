#include "analysis/ParityTally.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/Error.hpp"

namespace imuwb::analysis {

using nlohmann::json;

ParityTally tallyOf(const ParityResult& result) {
  ParityTally t;
  t.windows = result.windows;
  for (const auto& o : result.outputs) {
    OutputTally x;
    x.output = o.output;
    x.role = o.role;
    x.dim = o.dim;
    x.windows = o.windows;
    x.values = o.values;
    x.cosines = o.cosinePerWindow;
    x.sumA2 = o.sumA2;
    x.sumErr2 = o.sumErr2;
    x.maxAbs = o.maxAbs;
    x.maxRel = o.maxRel;
    x.top1Agreements = o.top1Agreements;
    x.crossingsGained = o.crossingsGained;
    x.crossingsLost = o.crossingsLost;
    x.tolerance = o.tolerance;
    t.outputs.push_back(std::move(x));
  }
  return t;
}

void mergeTally(ParityTally& into, const ParityTally& from) {
  if (into.outputs.empty()) {
    into = from;
    return;
  }
  if (into.outputs.size() != from.outputs.size())
    throw Error("parity results", "the recordings' results compare different outputs",
                "merge results of one model and one set of options");
  into.windows += from.windows;
  for (std::size_t i = 0; i < into.outputs.size(); ++i) {
    auto& a = into.outputs[i];
    const auto& b = from.outputs[i];
    if (a.output != b.output || a.dim != b.dim)
      throw Error("parity results", "output '" + b.output + "' does not match '" + a.output + "'",
                  "merge results of one model and one set of options");
    a.windows += b.windows;
    a.values += b.values;
    a.cosines.insert(a.cosines.end(), b.cosines.begin(), b.cosines.end());
    a.sumA2 += b.sumA2;
    a.sumErr2 += b.sumErr2;
    a.maxAbs = std::max(a.maxAbs, b.maxAbs);
    a.maxRel = std::max(a.maxRel, b.maxRel);
    a.top1Agreements += b.top1Agreements;
    a.crossingsGained += b.crossingsGained;
    a.crossingsLost += b.crossingsLost;
  }
}

namespace {

OutputParity finishOne(const OutputTally& t) {
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  OutputParity p;
  p.output = t.output;
  p.role = t.role;
  p.dim = t.dim;
  p.windows = t.windows;
  p.maxAbs = t.maxAbs;
  p.maxRel = t.maxRel;
  p.sumA2 = t.sumA2;
  p.sumErr2 = t.sumErr2;
  p.values = t.values;
  p.top1Agreements = t.top1Agreements;
  p.crossingsGained = t.crossingsGained;
  p.crossingsLost = t.crossingsLost;
  if (t.windows == 0) {
    p.cosineMean = p.cosineMin = p.cosineP5 = p.snr_db = p.mse = kNan;
  } else {
    double sum = 0;
    for (float c : t.cosines) sum += c;
    p.cosineMean = sum / static_cast<double>(t.windows);
    p.cosineMin = *std::min_element(t.cosines.begin(), t.cosines.end());
    p.cosineP5 = percentile(t.cosines, 5.0);
    p.mse = t.values ? t.sumErr2 / static_cast<double>(t.values) : 0.0;
    if (t.sumErr2 == 0.0) {
      p.snr_db = std::numeric_limits<double>::infinity();
    } else if (t.sumA2 == 0.0) {
      p.snr_db = -std::numeric_limits<double>::infinity();
    } else {
      p.snr_db = 10.0 * std::log10(t.sumA2 / t.sumErr2);
    }
    if (t.role == OutputRole::Logits)
      p.top1Agreement = static_cast<double>(t.top1Agreements) / static_cast<double>(t.windows);
  }
  applyTolerance(p, t.tolerance);
  return p;
}

json optionalJson(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}
std::optional<double> optionalFrom(const json& v) {
  return v.is_null() ? std::nullopt : std::optional<double>(v.get<double>());
}

}  // namespace

std::vector<OutputParity> finishTally(const ParityTally& tally) {
  std::vector<OutputParity> out;
  for (const auto& t : tally.outputs) out.push_back(finishOne(t));
  return out;
}

json tallyToJson(const ParityTally& tally) {
  json outputs = json::array();
  for (const auto& t : tally.outputs)
    outputs.push_back({{"output", t.output},
                       {"role", std::string(roleName(t.role))},
                       {"dim", t.dim},
                       {"windows", t.windows},
                       {"values", t.values},
                       {"cosines", t.cosines},
                       {"sum_a2", t.sumA2},
                       {"sum_err2", t.sumErr2},
                       {"max_abs", t.maxAbs},
                       {"max_rel", t.maxRel},
                       {"top1_agreements", t.top1Agreements},
                       {"crossings_gained", t.crossingsGained},
                       {"crossings_lost", t.crossingsLost},
                       {"tolerance",
                        {{"min_cosine", t.tolerance.minCosine},
                         {"min_cosine_p5", optionalJson(t.tolerance.minCosineP5)},
                         {"min_snr_db", optionalJson(t.tolerance.minSnr_db)},
                         {"min_top1_agreement", optionalJson(t.tolerance.minTop1Agreement)},
                         {"motif_threshold", t.tolerance.motifThreshold},
                         {"source", t.tolerance.source}}}});
  return {{"windows", tally.windows}, {"outputs", outputs}};
}

ParityTally tallyFromJson(const json& j) {
  try {
    ParityTally tally;
    tally.windows = j.at("windows").get<std::size_t>();
    for (const auto& o : j.at("outputs")) {
      OutputTally t;
      t.output = o.at("output").get<std::string>();
      t.role = parseRole(o.at("role").get<std::string>()).value_or(OutputRole::Other);
      t.dim = o.at("dim").get<std::size_t>();
      t.windows = o.at("windows").get<std::size_t>();
      t.values = o.at("values").get<std::size_t>();
      t.cosines = o.at("cosines").get<std::vector<float>>();
      t.sumA2 = o.at("sum_a2").get<double>();
      t.sumErr2 = o.at("sum_err2").get<double>();
      t.maxAbs = o.at("max_abs").get<double>();
      t.maxRel = o.at("max_rel").get<double>();
      t.top1Agreements = o.at("top1_agreements").get<std::size_t>();
      t.crossingsGained = o.at("crossings_gained").get<std::size_t>();
      t.crossingsLost = o.at("crossings_lost").get<std::size_t>();
      const auto& tol = o.at("tolerance");
      t.tolerance.minCosine = tol.at("min_cosine").get<double>();
      t.tolerance.minCosineP5 = optionalFrom(tol.at("min_cosine_p5"));
      t.tolerance.minSnr_db = optionalFrom(tol.at("min_snr_db"));
      t.tolerance.minTop1Agreement = optionalFrom(tol.at("min_top1_agreement"));
      t.tolerance.motifThreshold = tol.at("motif_threshold").get<double>();
      t.tolerance.source = tol.at("source").get<std::string>();
      if (t.cosines.size() != t.windows)
        throw Error("parity tally", "output '" + t.output + "' lists " +
                                        std::to_string(t.cosines.size()) + " cosines for " +
                                        std::to_string(t.windows) + " windows");
      tally.outputs.push_back(std::move(t));
    }
    return tally;
  } catch (const json::exception& e) {
    throw Error("parity tally", std::string("malformed: ") + e.what(),
                "re-run the recording (its result file is damaged)");
  }
}

}  // namespace imuwb::analysis
