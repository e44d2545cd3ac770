#pragma once
// Above the parity view: which two backends to compare (A, B: cpu against int8 by default; any
// of the registry's, edgeinfer with its URL and Check) and the button that runs the comparison
// over the open session and model (Run > Parity does the same).
#include <QWidget>

#include "BackendChoiceBox.hpp"

QT_BEGIN_NAMESPACE
class QPushButton;
QT_END_NAMESPACE

namespace imuwb::widgets {

class ParitySidesBar : public QWidget {
  Q_OBJECT
 public:
  explicit ParitySidesBar(QWidget* parent = nullptr);
  void setBackends(const std::vector<BackendChoice>& backends);  // keeps A = cpu, B = int8
  BackendChoiceBox* sideA() const { return a_; }
  BackendChoiceBox* sideB() const { return b_; }
  QPushButton* runButton() const { return run_; }
  bool usesInt8() const;
  void setBusy(bool busy);

 signals:
  void parityRequested();

 private:
  BackendChoiceBox* a_;
  BackendChoiceBox* b_;
  QPushButton* run_;
};

}  // namespace imuwb::widgets
