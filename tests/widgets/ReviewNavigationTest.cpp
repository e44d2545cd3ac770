// Review mode on the bundled samples: the sample model run on the two-device session, its
// disagreements with the session's labels reviewed from the keyboard, the filters, the confusion
// matrix and the list. Every expected value comes from the independent numpy implementation
// (tests/peers/disagreements_peer.py) fed the session's labels and the run's probabilities.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <fstream>
#include <nlohmann/json.hpp>

#include "AgreementStrip.hpp"
#include "ConfusionMatrixView.hpp"
#include "LabelEditController.hpp"
#include "MainWindow.hpp"
#include "ReviewController.hpp"
#include "ReviewPanel.hpp"
#include "ReviewStretchModel.hpp"
#include "ShortcutsDialog.hpp"
#include "TimeAxisModel.hpp"
#include "WorkbenchSamples.hpp"
#include "session/LabelCsv.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

struct PeerFilter {
  int truth, predicted;
  double lo, hi;
};

}  // namespace

class ReviewNavigationTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase() { window_.reset(); }
  void reviewMatchesTheReference();
  void keyboardVisitsEveryDisagreementInOrder();
  void filtersChangeTheList();
  void confusionCellListsItsStretches();
  void stretchClickZoomsThere();
  void recomputingKeepsTheStretchUnderReview();
  void editedLabelsRecomputeTheReview();
  void streamedOutputsEndOnTheLastUpdate();
  void labelEditsAreReviewed();
  void attachedLabelsRecomputeTheReview();  // last: it replaces the session's labels

 private:
  std::vector<std::size_t> peerDisagreements() const;
  const eval::Stretch& stretch(std::size_t i) const { return review()->stretches.at(i); }
  std::shared_ptr<const eval::SessionReview> review() const { return window_->review()->review(); }
  std::vector<std::size_t> selection(std::size_t filter) const {
    return peer_["selections"][filter].get<std::vector<std::size_t>>();
  }

  std::unique_ptr<MainWindow> window_;
  nlohmann::json peer_;
  std::vector<PeerFilter> filters_;
  int busiestTruth_ = -1, busiestPrediction_ = -1;  // the off-diagonal cell with most windows
};

void ReviewNavigationTest::initTestCase() {
  testing::isolateSettings();
  if (!testing::samplesPresent())
    QFAIL("sample session or sample model missing from samples/ (part of the repository)");
  window_ = std::make_unique<MainWindow>();
  window_->resize(1400, 900);
  window_->show();
  QVERIFY(QTest::qWaitForWindowActive(window_.get()));
  QVERIFY(window_->openPath(testing::twoDeviceSession()));
  QVERIFY(window_->openPath(testing::sampleModel()));
  QString error;
  QVERIFY2(window_->runAndWait(120000, &error), qPrintable(error));
  QVERIFY(review());

  // The busiest confusion cell off the diagonal, from the run's own argmax and the labels (the
  // peer checks the matrix itself below).
  const auto outputs = window_->outputs();
  const auto session = window_->currentSession();
  std::size_t most = 0;
  for (std::size_t t = 0; t < review()->classes.size(); ++t)
    for (std::size_t p = 0; p < review()->classes.size(); ++p)
      if (t != p && review()->confusion.count(t, p) > most) {
        most = review()->confusion.count(t, p);
        busiestTruth_ = static_cast<int>(t);
        busiestPrediction_ = static_cast<int>(p);
      }
  QVERIFY(most > 0);
  filters_ = {{-1, -1, 0, 1},
              {busiestTruth_, -1, 0, 1},
              {-1, busiestPrediction_, 0, 1},
              {-1, -1, 0.5, 0.8},
              {busiestTruth_, busiestPrediction_, 0, 1},
              {busiestTruth_, busiestTruth_, 0, 1}};

  nlohmann::json in;
  in["classes"] = outputs->probabilities.columnNames;
  std::vector<double> centres;
  for (std::size_t w = 0; w < outputs->windowCount(); ++w)
    centres.push_back(outputs->windowStart_s[w] + outputs->windowLength_s / 2);
  in["centres"] = centres;
  in["span"] = static_cast<double>(outputs->strideSamples) / session->sampleRateHz;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t w = 0; w < outputs->windowCount(); ++w) {
    std::vector<double> row;
    for (std::size_t c = 0; c < outputs->probabilities.width; ++c)
      row.push_back(outputs->probabilities.at(w, c));
    rows.push_back(row);
  }
  in["probabilities"] = rows;
  in["labels"] = nlohmann::json::array();
  for (const auto& l : session->labels) in["labels"].push_back({l.start_s, l.end_s, l.label});
  in["filters"] = nlohmann::json::array();
  for (const auto& f : filters_) in["filters"].push_back({f.truth, f.predicted, f.lo, f.hi});
  in["times"] = std::vector<double>{0.0};
  QTemporaryDir dir;
  const QString inPath = dir.filePath("in.json"), outPath = dir.filePath("out.json");
  std::ofstream(inPath.toStdString()) << in.dump();
  QProcess python;
  python.start(QString::fromUtf8(test::paths::python()),
               {testing::sourceDir() + "/tests/peers/disagreements_peer.py", inPath, outPath});
  QVERIFY(python.waitForFinished(120000));
  QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
  std::ifstream out(outPath.toStdString());
  peer_ = nlohmann::json::parse(out);
}

std::vector<std::size_t> ReviewNavigationTest::peerDisagreements() const {
  return selection(0);
}

void ReviewNavigationTest::reviewMatchesTheReference() {
  const auto& r = *review();
  qInfo("%zu windows, %zu stretches, %zu disagreements", r.windows, r.stretches.size(),
        r.disagreements);
  QVERIFY(r.disagreements > 10);
  QCOMPARE(r.stretches.size(), peer_["stretches"].size());
  for (std::size_t i = 0; i < r.stretches.size(); ++i) {
    const auto& s = r.stretches[i];
    const auto& p = peer_["stretches"][i];
    QCOMPARE_LT(std::abs(s.start_s - p[0].get<double>()), 1e-9);
    QCOMPARE_LT(std::abs(s.end_s - p[1].get<double>()), 1e-9);
    QCOMPARE(s.windows, p[3].get<std::size_t>());
    QCOMPARE(s.truth, p[4].get<int>());
    QCOMPARE(s.predicted, p[5].get<int>());
    QCOMPARE_LT(std::abs(s.meanConfidence - p[6].get<double>()), 1e-9);
    for (std::size_t k = 0; k < 3; ++k) QCOMPARE(s.top[k].cls, p[9][k][0].get<int>());
  }
  QCOMPARE(r.unlabelled, peer_["unlabelled"].get<std::size_t>());
  QCOMPARE(r.unknownLabel, peer_["unknown"].get<std::size_t>());
  auto* matrix = window_->reviewPanel()->matrixView();
  QCOMPARE(matrix->classCount(), int(r.classes.size()));
  for (int t = 0; t < matrix->classCount(); ++t)
    for (int p = 0; p < matrix->classCount(); ++p)
      QCOMPARE(matrix->value(t, p), peer_["confusion"][t][p].get<long long>());
  QVERIFY(window_->agreementStrip()->isVisible());
  QVERIFY(!window_->agreementStrip()->bands().empty());
}

void ReviewNavigationTest::keyboardVisitsEveryDisagreementInOrder() {
  auto* panel = window_->reviewPanel();
  panel->setFilter({});
  auto* axis = window_->timeAxis();
  axis->setCursor(axis->extent().start_s);
  const auto expected = peerDisagreements();
  QVERIFY(expected.size() > 5);
  window_->activateWindow();
  for (std::size_t step = 0; step < expected.size(); ++step) {
    QTest::keyClick(window_.get(), Qt::Key_BracketRight);
    const auto& s = stretch(expected[step]);
    QCOMPARE(panel->current(), long(expected[step]));
    QCOMPARE(axis->cursor(), s.start_s);
    QVERIFY2(axis->view().start_s <= s.start_s + 1e-9 && axis->view().end_s >= s.end_s - 1e-9,
             qPrintable(QStringLiteral("step %1 not in view").arg(step)));
    QCOMPARE(axis->selection(), (TimeRange{s.start_s, s.end_s}));
    QCOMPARE(window_->agreementStrip()->highlight(), (TimeRange{s.start_s, s.end_s}));
  }
  // Past the last one nothing moves; backwards visits them all again in reverse.
  QTest::keyClick(window_.get(), Qt::Key_BracketRight);
  QCOMPARE(panel->current(), long(expected.back()));
  for (std::size_t step = expected.size() - 1; step-- > 0;) {
    QTest::keyClick(window_.get(), Qt::Key_BracketLeft);
    QCOMPARE(panel->current(), long(expected[step]));
    QCOMPARE(axis->cursor(), stretch(expected[step]).start_s);
  }
  // Playback starts at the stretch under review (it is the selection), and the keys are listed
  // in Help > Keyboard Shortcuts.
  QCOMPARE(window_->playbackStart_s(), stretch(expected.front()).start_s);
  QTextDocument shortcuts;
  shortcuts.setHtml(shortcutsTable(*window_));
  QVERIFY(shortcuts.toPlainText().contains(QStringLiteral("Next Disagreement")));
  QVERIFY(shortcuts.toPlainText().contains(QStringLiteral("Previous Disagreement")));
  // The details name the model's top 3 at the stretch's most confident window.
  const auto& s = stretch(expected.front());
  const QString top =
      QString::fromStdString(review()->classes[static_cast<std::size_t>(s.top[0].cls)]);
  QVERIFY(panel->detailsText().contains(top));
}

void ReviewNavigationTest::filtersChangeTheList() {
  window_->focusReview();
  QApplication::processEvents();
  auto* panel = window_->reviewPanel();
  panel->setFilter({});
  panel->setOrder(eval::StretchOrder::Time, false);
  QCOMPARE(panel->listed(), selection(0));
  panel->labelBox()->setCurrentIndex(busiestTruth_ + 1);
  QCOMPARE(panel->listed(), selection(1));
  QVERIFY(panel->listed().size() < selection(0).size());
  panel->labelBox()->setCurrentIndex(0);
  panel->predictedBox()->setCurrentIndex(busiestPrediction_ + 1);
  QCOMPARE(panel->listed(), selection(2));
  panel->predictedBox()->setCurrentIndex(0);
  panel->minConfidenceBox()->setValue(0.5);
  panel->maxConfidenceBox()->setValue(0.8);
  QCOMPARE(panel->listed(), selection(3));
  panel->setFilter({});
  // Sorting by a header click: longest first, then shortest first; by confidence.
  auto* header = panel->list()->horizontalHeader();
  const auto click = [header](int section) {
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(section) + 5, header->height() / 2));
  };
  panel->list()->resize(700, 300);
  click(ReviewStretchModel::Length);
  QCOMPARE(panel->listed(), peer_["orders"]["length_desc"].get<std::vector<std::size_t>>());
  click(ReviewStretchModel::Length);
  QCOMPARE(panel->listed(), peer_["orders"]["length"].get<std::vector<std::size_t>>());
  click(ReviewStretchModel::MeanConfidence);
  QCOMPARE(panel->listed(), peer_["orders"]["confidence_desc"].get<std::vector<std::size_t>>());
  panel->setOrder(eval::StretchOrder::Time, false);
}

void ReviewNavigationTest::confusionCellListsItsStretches() {
  window_->focusReview();
  QApplication::processEvents();
  auto* panel = window_->reviewPanel();
  auto* matrix = panel->matrixView();
  QVERIFY(matrix->isVisible());
  QTest::mouseClick(matrix, Qt::LeftButton, {},
                    matrix->cellRect(busiestTruth_, busiestPrediction_).center());
  QCOMPARE(panel->listed(), selection(4));
  std::size_t windows = 0;
  for (auto i : panel->listed()) windows += stretch(i).windows;
  QCOMPARE(windows,
           review()->confusion.count(std::size_t(busiestTruth_), std::size_t(busiestPrediction_)));
  // A diagonal cell lists where the model agrees.
  QTest::mouseClick(matrix, Qt::LeftButton, {},
                    matrix->cellRect(busiestTruth_, busiestTruth_).center());
  QCOMPARE(panel->listed(), selection(5));
  panel->setFilter({});
}

void ReviewNavigationTest::stretchClickZoomsThere() {
  window_->focusReview();
  QApplication::processEvents();
  auto* panel = window_->reviewPanel();
  panel->setOrder(eval::StretchOrder::Length, true);  // the longest first
  auto* list = panel->list();
  const auto index = panel->listModel()->index(0, 0);
  list->scrollTo(index);
  QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
  const auto& s = stretch(peer_["orders"]["length_desc"][0].get<std::size_t>());
  auto* axis = window_->timeAxis();
  const double pad = std::max(2.0, s.length_s() * 0.5);
  // The stretch with the padding, kept inside the recording (TimeAxisModel shifts, not cuts).
  const auto extent = axis->extent();
  const double span = std::min(s.length_s() + 2 * pad, extent.length());
  const double start = std::clamp(s.start_s - pad, extent.start_s, extent.end_s - span);
  const TimeRange wanted{start, start + span};
  QCOMPARE_LT(std::abs(axis->view().start_s - wanted.start_s), 1e-9);
  QCOMPARE_LT(std::abs(axis->view().end_s - wanted.end_s), 1e-9);
  QCOMPARE(axis->cursor(), s.start_s);
  QCOMPARE(axis->selection(), (TimeRange{s.start_s, s.end_s}));
  panel->setOrder(eval::StretchOrder::Time, false);
}

void ReviewNavigationTest::recomputingKeepsTheStretchUnderReview() {
  auto* panel = window_->reviewPanel();
  window_->timeAxis()->setCursor(0);
  QTest::keyClick(window_.get(), Qt::Key_BracketRight);
  QTest::keyClick(window_.get(), Qt::Key_BracketRight);
  const long current = panel->current();
  QCOMPARE(current, long(peerDisagreements().at(1)));
  window_->review()->refresh();  // as a playback update or a label edit does
  QCOMPARE(panel->current(), current);
  QCOMPARE(window_->agreementStrip()->highlight(),
           (TimeRange{stretch(std::size_t(current)).start_s, stretch(std::size_t(current)).end_s}));
}

void ReviewNavigationTest::editedLabelsRecomputeTheReview() {
  // The label editor's labels, not yet in the session: reviewed in its place.
  const auto session = window_->currentSession();
  window_->review()->setLabels(window_->outputs()->predictedIntervals(session->sampleRateHz));
  QCOMPARE(review()->disagreements, std::size_t(0));
  window_->review()->setLabels(session->labels);
  QCOMPARE(review()->disagreements, peerDisagreements().size());
  window_->review()->setLabels(std::nullopt);  // back to the session's
  QCOMPARE(review()->disagreements, peerDisagreements().size());
}

void ReviewNavigationTest::streamedOutputsEndOnTheLastUpdate() {
  // A playback's updates (more windows each time) are coalesced; the review ends on the last.
  auto* controller = window_->review();
  const auto session = window_->currentSession();
  const auto full = window_->outputs();
  for (std::size_t windows : {200, 400, 800}) {
    auto partial = std::make_shared<ModelOutputs>(*full);
    partial->windowStart_s.resize(windows);
    partial->probabilities.values.resize(windows * partial->probabilities.width);
    controller->setInputs(session, partial, true);
  }
  controller->setInputs(session, full, true);
  QTRY_VERIFY(!controller->recomputePending());
  QCOMPARE(review()->windows, full->windowCount());
  QCOMPARE(review()->disagreements, peerDisagreements().size());
}

void ReviewNavigationTest::labelEditsAreReviewed() {
  // Accepting the prediction over the first disagreement (the label editor's A) makes its
  // windows agree: that stretch leaves the review and no other changes (its neighbours are
  // other label/prediction pairs); undo brings it back.
  auto* editor = window_->labelEditor();
  QVERIFY(editor->hasDocument());
  const std::size_t before = review()->disagreements;
  const auto first = stretch(peerDisagreements().front());
  QVERIFY(editor->acceptPrediction(first.start_s, first.end_s, window_->predictedIntervals()));
  QCOMPARE(review()->disagreements, before - 1);
  for (const auto& s : review()->stretches)
    QVERIFY(s.agrees() || std::abs(s.start_s - first.start_s) > 1e-9);
  editor->undo();
  QCOMPARE(review()->disagreements, before);
  QCOMPARE(review()->stretches.size(), peer_["stretches"].size());
  for (std::size_t i = 0; i < review()->stretches.size(); ++i)
    QCOMPARE(review()->stretches[i].windows, peer_["stretches"][i][3].get<std::size_t>());
}

void ReviewNavigationTest::attachedLabelsRecomputeTheReview() {
  // Labels that say what the model predicted, window by window: nothing left to disagree with.
  const auto session = window_->currentSession();
  QTemporaryDir dir;
  const QString csv = dir.filePath("predicted.csv");
  writeLabelCsv(window_->outputs()->predictedIntervals(session->sampleRateHz), csv.toStdString());
  QString error;
  QVERIFY2(window_->attachLabels(csv, &error), qPrintable(error));
  QVERIFY(window_->currentSession() != session);
  QVERIFY(review());
  QCOMPARE(review()->disagreements, std::size_t(0));
  QCOMPARE(review()->confusion.correct(), review()->confusion.total());
  QCOMPARE(review()->confusion.total(), window_->outputs()->windowCount());
  QVERIFY(window_->reviewPanel()->listed().empty());
  QTest::keyClick(window_.get(), Qt::Key_BracketRight);
  QCOMPARE(window_->reviewPanel()->current(), -1L);
}

QTEST_MAIN(ReviewNavigationTest)
#include "ReviewNavigationTest.moc"
