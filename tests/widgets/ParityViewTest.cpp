// The parity view renders one core ParityResult: cpu against int8 on the sample model and the
// 10-minute two-device sample session, int8 calibrated from a set exported by core into a temp
// dir. Table rows must equal the result's metrics, the cosine line must hold one point per
// window in view when zoomed in and never lose the worst window when zoomed out (window count
// from the windowing rule, computed here from the session length), and a click on a worst
// window must move the shared cursor there. The workbench's Parity action and
// int8 in the run panel (which needs the chosen calibration set) are checked end to end.
#include <QComboBox>
#include <QFileInfo>
#include <QListWidget>
#include <QScatterSeries>
#include <QSettings>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "MainWindow.hpp"
#include "ParityRunner.hpp"
#include "ParityView.hpp"
#include "RunPanel.hpp"
#include "TimeAxisModel.hpp"
#include "TimeChartView.hpp"
#include "WidgetTestSupport.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "session/SessionIo.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {
const QString kSession = testing::sourceDir() + "/samples/sessions/dog_10min_collar_harness.h5";
const QString kModel = testing::sourceDir() + "/samples/models/dog_behavior_conv2d";
constexpr int kStride = 50;
constexpr std::size_t kWindowLength = 100;
}  // namespace

class ParityViewTest : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir temp_;
  QString calibration_;
  std::shared_ptr<const Session> session_;
  std::shared_ptr<const analysis::ParityResult> result_;

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QSettings().clear();
    if (!QFileInfo::exists(kSession) || !QFileInfo::exists(kModel))
      QFAIL("sample session or sample model missing from samples/ (part of the repository)");
    QVERIFY(temp_.isValid());
    auto bundle = std::make_shared<const ModelBundle>(loadModelBundle(kModel.toStdString()));
    quant::CalibrationExportOptions exportOptions;
    exportOptions.sessions = {kSession.toStdString()};
    exportOptions.out = (temp_.path() + "/calib.npy").toStdString();
    exportOptions.windows = 256;
    exportOptions.force = true;
    const auto exported = quant::exportCalibrationSet(*bundle, exportOptions);
    QVERIFY(exported.written);
    calibration_ = QString::fromStdString(exported.npyPath.string());
    session_ = std::make_shared<const Session>(loadSession(kSession.toStdString()));
    ParityRequest request;
    request.session = session_;
    request.bundle = bundle;
    request.calibration = exported.npyPath;
    request.strideSamples = kStride;
    result_ = std::make_shared<const analysis::ParityResult>(runParityRequest(request, {}));
    QVERIFY(!result_->outputs.empty());
  }

  void tableRowsEqualTheResultsMetrics() {
    TimeAxisModel axis;
    ParityView view(&axis);
    view.setResult(result_);
    auto* table = view.table();
    QCOMPARE(table->rowCount(), static_cast<int>(result_->outputs.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
      const auto& o = result_->outputs[static_cast<std::size_t>(row)];
      auto text = [&](int column) { return table->item(row, column)->text(); };
      QCOMPARE(text(ParityView::Output), QString::fromStdString(o.output));
      QCOMPARE(text(ParityView::CosineMean), QString::number(o.cosineMean, 'f', 4));
      QCOMPARE(text(ParityView::CosineMin), QString::number(o.cosineMin, 'f', 4));
      QCOMPARE(text(ParityView::CosineP5), QString::number(o.cosineP5, 'f', 4));
      QCOMPARE(text(ParityView::SnrDb), QString::number(o.snr_db, 'f', 1));
      QCOMPARE(text(ParityView::MaxAbs), QString::number(o.maxAbs, 'f', 4));
      if (o.top1Agreement)
        QCOMPARE(text(ParityView::Top1), QString::number(*o.top1Agreement * 100, 'f', 1) + " %");
      QCOMPARE(text(ParityView::Verdict), o.passed ? QString("pass") : QString("FAIL"));
    }
  }

  void cosineLineFollowsTheWindows() {
    TimeAxisModel axis;
    axis.setExtent({0, session_->sampleCount() / 100.0});
    ParityView view(&axis);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(result_);
    // The windowing rule, from the session's length: every full window at the stride.
    const std::size_t windows = (session_->sampleCount() - kWindowLength) / kStride + 1;
    QCOMPARE(result_->windows, windows);
    QCOMPARE(view.cosineLineCount(), static_cast<int>(result_->outputs.size()));
    const int columns = static_cast<int>(view.cosineChart()->plotRect().width());
    // The whole session: at most two points per pixel column, and the worst window is drawn.
    view.refreshNow();
    for (int o = 0; o < view.cosineLineCount(); ++o) {
      const auto& cosine = result_->outputs[static_cast<std::size_t>(o)].cosinePerWindow;
      QCOMPARE(cosine.size(), windows);
      const auto points = view.cosinePoints(o);
      QVERIFY(points.size() <= 2 * columns + 2);
      float worst = INFINITY, drawnWorst = INFINITY;
      for (float c : cosine) worst = std::min(worst, c);
      for (const auto& p : points) drawnWorst = std::min(drawnWorst, float(p.y()));
      QVERIFY(drawnWorst == worst);  // exactly: the worst window itself
    }
    // Zoomed to 60 s: one point per window, at its centre (window w starts at w * stride
    // samples and is 100 samples long), holding that window's cosine.
    axis.setView({120, 180});
    view.refreshNow();
    for (int o = 0; o < view.cosineLineCount(); ++o) {
      const auto& cosine = result_->outputs[static_cast<std::size_t>(o)].cosinePerWindow;
      const auto points = view.cosinePoints(o);
      QVERIFY(points.size() >= 120);
      for (const auto& p : points) {
        const auto w = static_cast<std::size_t>(std::llround((p.x() * 100.0 - 50) / kStride));
        QCOMPARE(p.x(), double(w * kStride + 50) / 100.0);
        QCOMPARE(p.y(), double(cosine[w]));
      }
    }
    // The scatter shows the selected output's (a, b) pairs, at most a few thousand.
    QVERIFY(view.scatterPoints().size() > 0);
    QVERIFY(view.scatterPoints().size() <= 4000);
  }

  void clickingAWorstWindowMovesTheSharedCursor() {
    TimeAxisModel axis;
    axis.setExtent({0, session_->sampleCount() / 100.0});
    ParityView view(&axis);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(result_);
    const int output = static_cast<int>(result_->outputs.size()) - 1;
    view.selectOutput(output);
    const auto& worst = result_->outputs[static_cast<std::size_t>(output)].worst;
    QVERIFY(worst.size() >= 3);
    auto* list = view.worstList();
    QCOMPARE(list->count(), static_cast<int>(worst.size()));
    for (int row : {2, 0}) {
      auto* item = list->item(row);
      list->scrollToItem(item);
      QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
      const double t = worst[static_cast<std::size_t>(row)].time_s;
      QCOMPARE(axis.cursor(), t);
      QVERIFY(axis.view().contains(t));
      // The window itself is the new selection.
      QCOMPARE(axis.selection().start_s, t);
    }
  }

  void parityActionAndInt8RunPanelInTheWorkbench() {
    QSettings().remove("parity/calibration");
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openPath(kSession));
    QVERIFY(window.openPath(kModel));
    QComboBox* backends = nullptr;
    for (auto* combo : window.runPanel()->findChildren<QComboBox*>())
      if (combo->findText("int8") >= 0) backends = combo;
    QVERIFY2(backends, "the run panel does not list int8");
    backends->setCurrentIndex(backends->findText("int8"));
    // No calibration chosen yet: a clear status-bar error, no run.
    window.startRun();
    QVERIFY(!window.runController()->busy());
    QVERIFY(window.statusBar()->currentMessage().contains("calibration"));

    QString error;
    QVERIFY2(window.parityAndWait(calibration_, 120000, &error), qPrintable(error));
    const auto shown = window.parityView()->result();
    QVERIFY(shown);
    QCOMPARE(shown->windows, result_->windows);
    QCOMPARE(MainWindow::lastCalibration(), calibration_);
    // Now int8 runs from the run panel with the remembered calibration set.
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    QVERIFY(window.outputs());
    QCOMPARE(window.outputs()->windowCount(), result_->windows);
  }
};

QTEST_MAIN(ParityViewTest)
#include "ParityViewTest.moc"
