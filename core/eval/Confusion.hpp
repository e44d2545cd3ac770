#pragma once
// Decisions against labels: the confusion matrix (rows = label, columns = prediction) and the
// metrics read from it. Definitions (docs/evaluate.md), as scikit-learn computes them:
//   precision_k = TP_k / predicted_k (0 when nothing was predicted k),
//   recall_k = TP_k / support_k (0 when k has no support), F1_k = 2PR / (P + R) (0 when P+R=0);
//   accuracy = trace / N; balanced accuracy = mean recall over classes with support;
//   macro F1 = mean F1 over classes that occur as a label or a prediction;
//   Cohen's kappa = (p_o - p_e) / (1 - p_e), p_e = sum_k support_k predicted_k / N^2
//   (1 when p_e = 1: then every window is one class on both sides).
#include <cstddef>
#include <string>
#include <vector>

namespace imuwb::eval {

class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(std::size_t classes = 0);
  // truth and predicted index the classes; throws imuwb::Error when out of range.
  void add(int truth, int predicted);
  std::size_t count(std::size_t truth, std::size_t predicted) const {
    return counts_[truth * classes_ + predicted];
  }
  std::size_t classCount() const { return classes_; }
  std::size_t total() const { return total_; }
  std::size_t support(std::size_t truth) const;        // row sum
  std::size_t predicted(std::size_t predicted) const;  // column sum
  std::size_t correct() const;                         // trace

 private:
  std::size_t classes_ = 0;
  std::size_t total_ = 0;
  std::vector<std::size_t> counts_;  // [truth][predicted]
};

struct ClassMetrics {
  std::string name;
  std::size_t support = 0, predicted = 0, truePositives = 0;
  double precision = 0, recall = 0, f1 = 0;
};

struct DecisionMetrics {
  std::size_t windows = 0;
  double accuracy = 0, balancedAccuracy = 0, macroF1 = 0, kappa = 0;
  std::vector<ClassMetrics> classes;
};

double cohensKappa(const ConfusionMatrix& confusion);

// names: one per class of the matrix.
DecisionMetrics decisionMetrics(const ConfusionMatrix& confusion,
                                const std::vector<std::string>& names);

}  // namespace imuwb::eval
