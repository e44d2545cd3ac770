// The evaluation panel renders one core EvaluationResult (jobs::runEvaluateJob through the GUI's
// request mapping): the sample model on the 10-minute two-device sample session, cpu against
// int8 (calibrated from a set exported by core into a temp dir). Independently of the job, the
// confusion matrix and a cell's windows are recomputed here from `imuwb run`'s outputs of the same
// session (the workbench's Run: argmax per window) and the session's label intervals at each
// window's centre sample (run's label rule). A click on a listed window must move the timeline
// there; the set-size strip must hold the job's per-window set sizes; a session switch must hide
// a result computed on another session and bring it back on return.
#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

#include "BackendChoiceBox.hpp"
#include "ConfusionMatrixView.hpp"
#include "EvaluationPanel.hpp"
#include "EvaluationRunner.hpp"
#include "MainWindow.hpp"
#include "ReliabilityDiagramView.hpp"
#include "SessionBrowser.hpp"
#include "SetSizeStrip.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "session/SessionIo.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kOtherSession = testing::sourceDir() + "/samples/sessions/dog_2min_collar.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";
constexpr int kStride = 50;
constexpr std::size_t kWindowLength = 100;
constexpr double kRate = 100.0;
}  // namespace

class EvaluationPanelTest : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir temp_;
  QString calibration_;
  std::shared_ptr<const Session> session_;
  std::shared_ptr<const ModelBundle> bundle_;
  std::shared_ptr<const EvaluationOutcome> outcome_;  // cpu against int8
  std::vector<int> runPredicted_;                     // argmax of `run`'s outputs per window
  std::vector<int> labels_;  // model class at each window's centre sample; -1 none

  // The session's label interval holding t, as a model class (-1 unlabelled, -2 not the model's).
  int labelAt(double t) const {
    for (const auto& interval : session_->labels)
      if (t >= interval.start_s && t < interval.end_s) {
        const auto& names = outcome_->result.classes;
        const auto it = std::find(names.begin(), names.end(), interval.label);
        return it == names.end() ? -2 : static_cast<int>(it - names.begin());
      }
    return -1;
  }
  static double windowStart(std::size_t w) { return static_cast<double>(w * kStride) / kRate; }

  std::unique_ptr<EvaluationPanel> shownPanel() {
    auto panel = std::make_unique<EvaluationPanel>();
    panel->resize(1400, 700);
    panel->show();
    panel->setContext(session_, bundle_);
    panel->addOutcome(outcome_);
    return panel;
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
    if (!QFileInfo::exists(kSession) || !QFileInfo::exists(kModel))
      QFAIL("sample session or sample model missing from samples/ (part of the repository)");
    QVERIFY(temp_.isValid());
    bundle_ = std::make_shared<const ModelBundle>(loadModelBundle(kModel.toStdString()));
    quant::CalibrationExportOptions exportOptions;
    exportOptions.sessions = {kSession.toStdString()};
    exportOptions.out = (temp_.path() + "/calib.npy").toStdString();
    exportOptions.windows = 256;
    exportOptions.force = true;
    const auto exported = quant::exportCalibrationSet(*bundle_, exportOptions);
    QVERIFY(exported.written);
    calibration_ = QString::fromStdString(exported.npyPath.string());
    session_ = std::make_shared<const Session>(loadSession(kSession.toStdString()));
    EvaluationRequest request;
    request.session = session_;
    request.bundle = bundle_;
    request.calibration = exported.npyPath;
    request.compareBackend = "int8";
    outcome_ = std::make_shared<const EvaluationOutcome>(
        EvaluationOutcome{request, runEvaluationRequest(request, {})});
    // The independent side: the workbench's Run (core's `run`) of the same session on cpu.
    MainWindow window;
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto outputs = window.outputs();
    const std::size_t windows = (session_->sampleCount() - kWindowLength) / kStride + 1;
    QCOMPARE(outputs->windowCount(), windows);
    QCOMPARE(outcome_->result.windows.size(), windows);
    for (std::size_t w = 0; w < windows; ++w) {
      runPredicted_.push_back(outputs->predictedClass(w));
      labels_.push_back(labelAt(windowStart(w) + static_cast<double>(kWindowLength / 2) / kRate));
    }
  }

  void displayedMatrixEqualsTheJobsAndTheRunsConfusion() {
    const auto panel = shownPanel();
    const auto& r = outcome_->result;
    const std::size_t k = r.classes.size();
    auto* view = panel->matrixView();
    QCOMPARE(view->classCount(), static_cast<int>(k));
    for (std::size_t c = 0; c < k; ++c)
      QCOMPARE(view->classes()[static_cast<int>(c)], QString::fromStdString(r.classes[c]));
    // Recomputed from the run's predictions and the label intervals.
    std::vector<long long> recomputed(k * k, 0);
    for (std::size_t w = 0; w < labels_.size(); ++w)
      if (labels_[w] >= 0)
        ++recomputed[static_cast<std::size_t>(labels_[w]) * k + runPredicted_[w]];
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p) {
        const int ti = static_cast<int>(t), pi = static_cast<int>(p);
        QCOMPARE(view->value(ti, pi), static_cast<long long>(r.sides[0].confusion.count(t, p)));
        QCOMPARE(view->value(ti, pi), recomputed[t * k + p]);
      }
    QVERIFY(!view->showsDifference());
    panel->setMatrixMode(EvaluationPanel::MatrixMode::SideB);
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p)
        QCOMPARE(view->value(int(t), int(p)),
                 static_cast<long long>(r.sides[1].confusion.count(t, p)));
    panel->setMatrixMode(EvaluationPanel::MatrixMode::Difference);
    QVERIFY(view->showsDifference());
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p)
        QCOMPARE(view->value(int(t), int(p)),
                 static_cast<long long>(r.sides[1].confusion.count(t, p)) -
                     static_cast<long long>(r.sides[0].confusion.count(t, p)));
    // The reliability diagram is side A's test split, before and after scaling.
    panel->setMatrixMode(EvaluationPanel::MatrixMode::SideA);
    QCOMPARE(panel->reliabilityView()->before().ece, r.sides[0].calibration.testBefore.ece);
    QCOMPARE(panel->reliabilityView()->after().ece, r.sides[0].calibration.testAfter.ece);
    // Excluded windows are counted in the summary, never hidden.
    const QString summary = panel->summaryLabel()->text();
    QVERIFY(summary.contains(QStringLiteral("<b>%1</b> unlabelled").arg(r.counts.unlabelled)));
  }

  void clickingACellListsExactlyItsWindows() {
    const auto panel = shownPanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    const std::size_t k = outcome_->result.classes.size();
    // The most confused off-diagonal cell, and a diagonal one.
    std::size_t label = 0, prediction = 1, most = 0;
    const auto& confusion = outcome_->result.sides[0].confusion;
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p)
        if (t != p && confusion.count(t, p) > most)
          most = confusion.count(t, p), label = t, prediction = p;
    QVERIFY2(most > 0, "the sample model confuses no classes on the sample session");
    for (auto [t, p] : {std::pair{label, prediction}, std::pair{label, label}}) {
      auto* view = panel->matrixView();
      QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(int(t), int(p)).center());
      std::vector<double> expected;  // from the run and the label intervals
      for (std::size_t w = 0; w < labels_.size(); ++w)
        if (labels_[w] == int(t) && runPredicted_[w] == int(p)) expected.push_back(windowStart(w));
      auto* table = panel->cellTable();
      QCOMPARE(table->rowCount(), static_cast<int>(expected.size()));
      for (int row = 0; row < table->rowCount(); ++row) {
        QCOMPARE(table->item(row, 0)->data(Qt::UserRole).toDouble(), expected[std::size_t(row)]);
        QCOMPARE(table->item(row, 1)->text(), QString::fromStdString(outcome_->result.classes[t]));
        QCOMPARE(table->item(row, 2)->text(), QString::fromStdString(outcome_->result.classes[p]));
      }
    }
  }

  // In the difference matrix, a cell lists the windows in it on one side only: as many more on
  // B's side than on A's as the cell shows.
  void differenceCellListsTheWindowsOnOneSide() {
    const auto panel = shownPanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    panel->setMatrixMode(EvaluationPanel::MatrixMode::Difference);
    const auto& r = outcome_->result;
    const int k = static_cast<int>(r.classes.size());
    int nonzero = 0;
    for (int t = 0; t < k; ++t)
      for (int p = 0; p < k; ++p) {
        auto* view = panel->matrixView();
        QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(t, p).center());
        auto* table = panel->cellTable();
        const QString cell = QString::fromStdString(r.classes[std::size_t(p)]);
        long long onB = 0, onA = 0;
        for (int row = 0; row < table->rowCount(); ++row) {
          QCOMPARE(table->item(row, 1)->text(), QString::fromStdString(r.classes[std::size_t(t)]));
          const auto sides = table->item(row, 2)->text().split(QStringLiteral(" → "));
          QCOMPARE(sides.size(), 2);
          QVERIFY((sides[0] == cell) != (sides[1] == cell));
          (sides[1] == cell ? onB : onA) += 1;
        }
        QCOMPARE(onB - onA, view->value(t, p));
        nonzero += view->value(t, p) != 0;
      }
    QVERIFY2(nonzero > 0, "int8 and cpu agree on every labelled window");
  }

  void workbenchEvaluationMovesTheTimelineAndFillsTheStrip() {
    QSettings().remove("parity/calibration");
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    auto* panel = window.evaluationPanel();
    panel->compareCheck()->setChecked(true);
    panel->sideB()->setCurrentBackend("int8");
    QString error;
    QVERIFY2(window.evaluateAndWait(calibration_, 120000, &error), qPrintable(error));
    const auto shown = panel->outcome();
    QVERIFY(shown);
    const auto& r = shown->result;
    QCOMPARE(r.sides.size(), std::size_t(2));
    QCOMPARE(r.sides[0].confusion.correct(), outcome_->result.sides[0].confusion.correct());
    // A window of the class with the most correct windows, clicked in the list: the timeline
    // moves there.
    std::size_t best = 0;
    for (std::size_t c = 0; c < r.classes.size(); ++c)
      if (r.sides[0].confusion.count(c, c) > r.sides[0].confusion.count(best, best)) best = c;
    panel->showCell(int(best), int(best));
    auto* table = panel->cellTable();
    QVERIFY(table->rowCount() > 3);
    auto* axis = window.timeAxis();
    for (int row : {3, 0}) {
      auto* item = table->item(row, 0);
      table->scrollToItem(item);
      QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                        table->visualItemRect(item).center());
      const double start = item->data(Qt::UserRole).toDouble();
      QCOMPARE(axis->cursor(), start);
      QVERIFY(axis->view().contains(start) && axis->view().contains(start + 1.0));
      QCOMPARE(axis->selection().start_s, start);
      QCOMPARE(axis->selection().end_s, start + static_cast<double>(kWindowLength) / kRate);
    }
    // The flipped windows: every one listed; a click moves the timeline too.
    auto* flipped = panel->flippedTable();
    QCOMPARE(flipped->rowCount(), static_cast<int>(r.comparison->flipped.size()));
    for (int row = 0; row < std::min(flipped->rowCount(), 2); ++row) {
      auto* item = flipped->item(row, 0);
      const double start = r.comparison->flipped[std::size_t(row)].start_s;
      QCOMPARE(item->data(Qt::UserRole).toDouble(), start);
      flipped->scrollToItem(item);
      QTest::mouseClick(flipped->viewport(), Qt::LeftButton, {},
                        flipped->visualItemRect(item).center());
      QCOMPARE(axis->cursor(), start);
    }
    // The strip under the class probabilities: the job's per-window set sizes, LAC then APS.
    auto* strip = window.setSizeStrip();
    for (int score : {0, 1}) {
      panel->setScoreIndex(score);
      const auto& sizes = r.sides[0].windowSetSizes.at(std::size_t(score));
      QCOMPARE(strip->sizes().size(), sizes.size());
      for (std::size_t w = 0; w < sizes.size(); ++w) {
        QCOMPARE(strip->sizes()[w], float(sizes[w]));
        QCOMPARE(strip->centres_s()[w], windowStart(w) + 0.5);
      }
      // Zoomed in to 60 s: one point per window at its centre, holding its set size.
      axis->setView({120, 180});
      strip->refreshNow();
      QCOMPARE(strip->traceCount(), 1);
      const auto& points = strip->tracePoints(0);
      QVERIFY(points.size() >= 110);
      for (const auto& point : points) {
        const auto w = static_cast<std::size_t>(std::llround((point.x() - 0.5) * kRate / kStride));
        QCOMPARE(point.y(), double(sizes[w]));
      }
    }
  }

  void switchingSessionHidesAndRestoresResults() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    QString error;
    QVERIFY2(window.evaluateAndWait({}, 120000, &error), qPrintable(error));  // cpu only
    auto* panel = window.evaluationPanel();
    const auto first = panel->outcome();
    QVERIFY(first);
    QVERIFY(first->request.session == window.currentSession());
    QVERIFY(!window.setSizeStrip()->sizes().empty());
    QVERIFY(window.openPath(kOtherSession));  // shown at once: the other session is current
    QVERIFY(window.currentSession() != first->request.session);
    QVERIFY(!panel->outcome());
    QCOMPARE(panel->matrixView()->classCount(), 0);
    QVERIFY(window.setSizeStrip()->sizes().empty());
    QCOMPARE(panel->flippedTable()->rowCount(), 0);
    // A result for the first session arriving now (a newer one) is kept, not shown.
    auto late = std::make_shared<const EvaluationOutcome>(*first);
    panel->addOutcome(late);
    QVERIFY(!panel->outcome());
    window.sessionBrowser()->setCurrentIndex(0);
    QVERIFY(window.currentSession() == first->request.session);
    QVERIFY(panel->outcome() == late);
    QCOMPARE(panel->matrixView()->classCount(), static_cast<int>(first->result.classes.size()));
    QCOMPARE(window.setSizeStrip()->sizes().size(), first->result.windows.size());
  }
};

QTEST_MAIN(EvaluationPanelTest)
#include "EvaluationPanelTest.moc"
