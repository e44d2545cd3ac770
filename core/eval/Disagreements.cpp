#include "eval/Disagreements.hpp"

#include <algorithm>
#include <map>

#include "common/Error.hpp"

namespace imuwb::eval {

namespace {

// Consecutive windows further apart than this (in window spans) are not one stretch.
constexpr double kGapSpans = 1.5;

void checkShape(const WindowPredictions& p) {
  const auto& table = p.probabilities;
  if (table.classes != p.classes.size() || table.rows() != p.centre_s.size() ||
      table.values.size() != table.rows() * table.classes)
    throw Error("review",
                "the outputs hold " + std::to_string(table.rows()) + " rows of " +
                    std::to_string(table.classes) + " probabilities for " +
                    std::to_string(p.centre_s.size()) + " windows and " +
                    std::to_string(p.classes.size()) + " classes",
                "run the model on the session again");
  if (!(p.span_s > 0)) throw Error("review", "the window span is not positive", "");
}

std::array<ClassProbability, 3> topThree(const double* row, std::size_t classes) {
  std::vector<int> order(classes);
  for (std::size_t c = 0; c < classes; ++c) order[c] = static_cast<int>(c);
  // Most probable first; the lower index first on ties (numpy's stable argsort of -p).
  std::stable_sort(order.begin(), order.end(), [row](int a, int b) { return row[a] > row[b]; });
  std::array<ClassProbability, 3> top{};
  for (std::size_t i = 0; i < top.size() && i < classes; ++i) top[i] = {order[i], row[order[i]]};
  return top;
}

}  // namespace

std::vector<int> windowLabels(const std::vector<LabelInterval>& labels,
                              const std::vector<std::string>& classes,
                              const std::vector<double>& centre_s) {
  std::map<std::string, int> index;
  for (std::size_t c = 0; c < classes.size(); ++c) index.emplace(classes[c], static_cast<int>(c));
  std::vector<const LabelInterval*> sorted;
  for (const auto& interval : labels) sorted.push_back(&interval);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return a->start_s < b->start_s; });
  std::vector<int> out(centre_s.size(), kNoWindowLabel);
  for (std::size_t w = 0; w < centre_s.size(); ++w) {
    const double t = centre_s[w];
    const auto after =
        std::upper_bound(sorted.begin(), sorted.end(), t,
                         [](double v, auto* interval) { return v < interval->start_s; });
    if (after == sorted.begin() || !(t < (*(after - 1))->end_s)) continue;
    const auto found = index.find((*(after - 1))->label);
    out[w] = found == index.end() ? kUnknownWindowLabel : found->second;
  }
  return out;
}

SessionReview reviewSession(const WindowPredictions& p, const std::vector<LabelInterval>& labels) {
  checkShape(p);
  SessionReview review;
  review.classes = p.classes;
  review.confusion = ConfusionMatrix(p.classes.size());
  review.windows = p.centre_s.size();
  const auto truth = windowLabels(labels, p.classes, p.centre_s);
  const std::size_t k = p.classes.size();
  Stretch* open = nullptr;  // the stretch the previous window extended, if any
  double confidenceSum = 0;
  auto close = [&] {
    if (!open) return;
    open->meanConfidence = confidenceSum / static_cast<double>(open->windows);
    open->top = topThree(p.probabilities.row(open->peakWindow), k);
    open = nullptr;
  };
  for (std::size_t w = 0; w < truth.size(); ++w) {
    if (truth[w] < 0) {
      ++(truth[w] == kNoWindowLabel ? review.unlabelled : review.unknownLabel);
      close();
      continue;
    }
    const double* row = p.probabilities.row(w);
    const int predicted = topClass(row, k);
    const double confidence = row[predicted];
    review.confusion.add(truth[w], predicted);
    const bool joins = open && open->truth == truth[w] && open->predicted == predicted &&
                       w == open->firstWindow + open->windows &&
                       p.centre_s[w] - p.centre_s[w - 1] <= kGapSpans * p.span_s;
    if (!joins) {
      close();
      review.stretches.push_back({});
      open = &review.stretches.back();
      open->firstWindow = open->peakWindow = w;
      open->truth = truth[w];
      open->predicted = predicted;
      open->start_s = p.centre_s[w] - p.span_s / 2;
      open->minConfidence = confidence;
      confidenceSum = 0;
    }
    ++open->windows;
    open->end_s = p.centre_s[w] + p.span_s / 2;
    confidenceSum += confidence;
    open->minConfidence = std::min(open->minConfidence, confidence);
    if (confidence > p.probabilities.row(open->peakWindow)[predicted]) open->peakWindow = w;
  }
  close();
  for (const auto& s : review.stretches) review.disagreements += s.agrees() ? 0 : 1;
  return review;
}

std::vector<AgreementSpan> agreementSpans(const WindowPredictions& p,
                                          const std::vector<int>& labels, int levels) {
  checkShape(p);
  std::vector<AgreementSpan> out;
  const std::size_t k = p.classes.size();
  for (std::size_t w = 0; w < p.centre_s.size() && w < labels.size(); ++w) {
    const double* row = p.probabilities.row(w);
    const int predicted = topClass(row, k);
    AgreementSpan span;
    span.start_s = p.centre_s[w] - p.span_s / 2;
    span.end_s = p.centre_s[w] + p.span_s / 2;
    span.state = labels[w] < 0            ? AgreementSpan::State::Unlabelled
                 : labels[w] == predicted ? AgreementSpan::State::Agrees
                                          : AgreementSpan::State::Disagrees;
    span.level = std::clamp(static_cast<int>(row[predicted] * levels), 0, levels - 1);
    auto* last = out.empty() ? nullptr : &out.back();
    if (last && last->state == span.state && last->level == span.level &&
        span.start_s - last->end_s < 1e-9 * std::max(1.0, span.start_s))
      last->end_s = span.end_s;
    else
      out.push_back(span);
  }
  return out;
}

}  // namespace imuwb::eval
