#pragma once
// What Tools ▸ Convert for Hailo-8… did, as `imuwb convert --report` records it: one row per
// applied rewrite (its rule, the ONNX nodes it touched, what it did), one row per output of the
// equivalence proof (cosine over every value, the worst window's cosine, max |Δ| and max |Δ|
// relative to the output's scale, against the proof's thresholds), then the warnings and the
// Hailo blockers the rewrites did not remove.
#include <QWidget>

#include "jobs/ConvertJob.hpp"

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class ConvertResultView : public QWidget {
  Q_OBJECT
 public:
  explicit ConvertResultView(QWidget* parent = nullptr);

  void showResult(const jobs::ConvertJobResult& result);
  void clear();

  QTableWidget* rewritesTable() const { return rewrites_; }
  QTableWidget* proofTable() const { return proof_; }
  QLabel* notesLabel() const { return notes_; }

 private:
  void showRewrites(const convert::ConvertLog& log);
  void showProof(const convert::EquivalenceReport& proof);
  void showNotes(const jobs::ConvertJobResult& result);

  QTableWidget* rewrites_ = nullptr;
  QTableWidget* proof_ = nullptr;
  QLabel* notes_ = nullptr;
};

}  // namespace imuwb::widgets
