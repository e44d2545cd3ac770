// Label editing in the GUI (issue 17), on a copy of the bundled two-device sample session:
// every edit operation driven through the strip with mouse and keys, each checked against the
// label set core's edit operations (LabelEditOps) compute for the same request, then undone and
// redone through the Edit menu's keys; a drag is one undo step and Esc cancels it; saving writes
// a side-car that LabelStore reads back equal and leaves the session file's bytes unchanged; a
// concurrent save is detected and asked about; unsaved edits are asked about on close; the
// autosave journal is recovered after a "crash"; a kept version is restored; labels are embedded
// into a new session file.
#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <sstream>

#include "LabelEditController.hpp"
#include "LabelEditPanel.hpp"
#include "LabelHistoryDialog.hpp"
#include "LabelSaveController.hpp"
#include "LabelStrip.hpp"
#include "MainWindow.hpp"
#include "ReviewController.hpp"
#include "SessionBrowser.hpp"
#include "ShortcutsDialog.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"
#include "TimelineView.hpp"
#include "WorkbenchSamples.hpp"
#include "eval/Disagreements.hpp"
#include "jobs/LabelsJob.hpp"
#include "labels/LabelEditOps.hpp"
#include "labels/LabelJournal.hpp"
#include "labels/LabelSetCsv.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

constexpr int kWaitMs = 120000;

LabelSet applied(LabelSet labels, const LabelEdit& edit) {
  applyEdit(labels, edit);
  return labels;
}

std::string describe(const LabelSet& labels) {
  std::ostringstream out;
  out.precision(10);
  out << labels.classes.size() << " classes;";
  for (const auto& i : labels.intervals)
    out << " [" << i.start_s << "," << i.end_s << ") " << i.label << (i.note.empty() ? "" : "/")
        << i.note << ";";
  return out.str();
}

QByteArray sha256(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// checkStep's QCOMPARE failures end the helper; this ends the test too.
#define CHECK_STEP(...)                     \
  do {                                      \
    checkStep(__VA_ARGS__);                 \
    if (QTest::currentTestFailed()) return; \
  } while (false)

#define COMPARE_LABELS(actual, expected)                                           \
  QVERIFY2((actual) == (expected),                                                 \
           qPrintable(QString::fromStdString("\n  actual:   " + describe(actual) + \
                                             "\n  expected: " + describe(expected))))

// A window on a copy of the sample session, its view zoomed so a pixel is a few samples.
struct Workbench {
  QTemporaryDir dir;
  QString session;
  std::unique_ptr<MainWindow> window;
  std::vector<LabelQuestion> questions;
  std::vector<LabelAnswer> answers;  // given in order; Cancel when they run out

  bool open() {
    session = dir.filePath("session.h5");
    if (!QFile::copy(testing::twoDeviceSession(), session)) return false;
    return reopen();
  }
  bool reopen() {
    window = std::make_unique<MainWindow>();
    window->labelSaving()->setAsk([this](const LabelQuestion& question) {
      questions.push_back(question);
      if (answers.empty()) return LabelAnswer::Cancel;
      const LabelAnswer answer = answers.front();
      answers.erase(answers.begin());
      return answer;
    });
    window->show();
    if (!QTest::qWaitForWindowActive(window.get())) return false;
    QString error;
    if (!window->openPath(session, &error)) return false;
    QCoreApplication::processEvents();  // the dock layout settles before pixels are mapped
    QCoreApplication::processEvents();
    window->timeAxis()->setView({0, 120});
    strip()->setFocus();
    return true;
  }
  LabelStrip* strip() const { return window->timeline()->labelStrip(); }
  LabelEditController* edits() const { return window->labelEditor(); }
  const LabelSet& labels() const { return edits()->labels(); }
  const LabelEditor& editor() const { return edits()->document()->editor; }
  SampleGrid grid() const { return editor().grid(); }
  int x(double t) const { return static_cast<int>(std::lround(strip()->timeMapping().toX(t))); }
  double timeAtX(int px) const { return strip()->timeMapping().toTime(px); }
  int rowY() const { return static_cast<int>(strip()->labelRow().center().y()); }
  QPoint at(double t) const { return {x(t), rowY()}; }
  void key(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    strip()->setFocus();
    QTest::keyClick(strip(), static_cast<Qt::Key>(key), modifiers);
  }
  void click(double t) { QTest::mouseClick(strip(), Qt::LeftButton, Qt::NoModifier, at(t)); }
  void undo() { key(Qt::Key_Z, Qt::ControlModifier); }
  void redo() { key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); }
  QString undoText() const { return window->labelActions().undo->text(); }
  // The strip and every chart's bands show exactly the edited intervals.
  bool viewsShowLabels() const {
    const auto& intervals = labels().intervals;
    auto same = [&](const std::vector<TimeBand>& bands) {
      if (bands.size() != intervals.size()) return false;
      for (std::size_t i = 0; i < bands.size(); ++i)
        if (bands[i].start_s != intervals[i].start_s || bands[i].end_s != intervals[i].end_s ||
            bands[i].label != intervals[i].label)
          return false;
      return true;
    };
    if (!same(strip()->labels())) return false;
    for (auto* chart : window->timeline()->charts())
      if (!same(chart->labelBands())) return false;
    return !window->timeline()->charts().empty();
  }
};

}  // namespace

class LabelEditingTest : public QObject {
  Q_OBJECT

  // The edit just made (labels == expected) is one step named name: undo gives before back,
  // redo gives expected again.
  void checkStep(Workbench& w, const LabelSet& before, const LabelSet& expected,
                 const QString& name) {
    COMPARE_LABELS(w.labels(), expected);
    QVERIFY(w.viewsShowLabels());
    QCOMPARE(w.undoText(), QStringLiteral("Undo %1").arg(name));
    const std::size_t depth = w.editor().undoDepth();
    w.undo();
    COMPARE_LABELS(w.labels(), before);
    QVERIFY(w.viewsShowLabels());
    QCOMPARE(w.editor().undoDepth(), depth - 1);
    QCOMPARE(w.window->labelActions().redo->text(), QStringLiteral("Redo %1").arg(name));
    w.redo();
    COMPARE_LABELS(w.labels(), expected);
    QCOMPARE(w.editor().undoDepth(), depth);
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    QVERIFY2(testing::samplesPresent(), "the bundled samples are missing (samples/sessions)");
  }

  void clickSelectsAndKeysEditTheSelection() {
    Workbench w;
    QVERIFY(w.open());
    QVERIFY(w.labels().intervals.size() >= 6);
    QVERIFY(!w.editor().modified());
    const auto& first = w.labels().intervals[1];
    const double inside = (first.start_s + first.end_s) / 2;
    w.click(inside);
    QCOMPARE(w.edits()->selected(), 1);
    QCOMPARE(w.strip()->selectedIndex(), 1);

    // Relabel with a number key: the class list's second class.
    LabelSet before = w.labels();
    w.key(Qt::Key_2);
    CHECK_STEP(w, before, applied(before, editRelabel(before, 1, before.classes[1])), "relabel");

    // Split at the cursor (the click put it there).
    QCOMPARE(w.window->timeAxis()->cursor(), w.timeAtX(w.x(inside)));
    before = w.labels();
    const double cursor = w.window->timeAxis()->cursor();
    w.key(Qt::Key_S);
    CHECK_STEP(w, before, applied(before, editSplit(before, w.grid(), cursor)), "split");

    // Merge the selected (left part) with the next.
    before = w.labels();
    const int selected = w.edits()->selected();
    QVERIFY(selected >= 0);
    w.key(Qt::Key_M);
    CHECK_STEP(w, before,
               applied(before, editMerge(before, std::size_t(selected), std::size_t(selected) + 1)),
               "merge");

    // Delete.
    before = w.labels();
    w.click((before.intervals[3].start_s + before.intervals[3].end_s) / 2);
    QCOMPARE(w.edits()->selected(), 3);
    w.key(Qt::Key_Delete);
    CHECK_STEP(w, before, applied(before, editDelete(before, 3)), "delete");
    QVERIFY(w.editor().modified());
  }

  void dragCreatesOnAnEmptyStretchAndMovesEdgesAsOneStep() {
    Workbench w;
    QVERIFY(w.open());
    // Make an empty stretch: delete interval 2.
    w.click((w.labels().intervals[2].start_s + w.labels().intervals[2].end_s) / 2);
    w.key(Qt::Key_Delete);
    const auto gapStart = w.labels().intervals[1].end_s, gapEnd = w.labels().intervals[2].start_s;
    QVERIFY(gapEnd - gapStart > 1.0);

    // Drag out a new interval inside the gap, of the active class (the one picked in the list).
    w.window->labelPanel()->classList()->setCurrentRow(2);
    QCOMPARE(w.edits()->activeClass(), w.labels().classes[2]);
    LabelSet before = w.labels();
    // Two grab widths inside the gap, so the press is on the empty stretch, not an edge.
    const int x0 = w.x(gapStart) + 12, x1 = w.x(gapEnd) - 12;
    QTest::mousePress(w.strip(), Qt::LeftButton, {}, QPoint(x0, w.rowY()));
    QTest::mouseMove(w.strip(), QPoint((x0 + x1) / 2, w.rowY()));
    QTest::mouseMove(w.strip(), QPoint(x1, w.rowY()));
    QVERIFY(w.strip()->preview().has_value());
    QTest::mouseRelease(w.strip(), Qt::LeftButton, {}, QPoint(x1, w.rowY()));
    QVERIFY(!w.strip()->preview().has_value());
    LabelSet expected = applied(
        before, editCreate(before, w.grid(), {w.timeAtX(x0), w.timeAtX(x1), before.classes[2]}));
    CHECK_STEP(w, before, expected, "create");

    // Drag the shared edge between intervals 4 and 5 through several positions: one step.
    before = w.labels();
    const double edge = before.intervals[4].end_s;
    const std::size_t depth = w.editor().undoDepth();
    const QPoint press = w.at(edge);
    QTest::mousePress(w.strip(), Qt::LeftButton, {}, press);
    for (int dx : {10, 25, 40, 30}) QTest::mouseMove(w.strip(), press + QPoint(dx, 0));
    QTest::mouseRelease(w.strip(), Qt::LeftButton, {}, press + QPoint(30, 0));
    QCOMPARE(w.editor().undoDepth(), depth + 1);
    expected = applied(
        before, editMoveEdge(before, w.grid(), 4, IntervalEdge::End, w.timeAtX(press.x() + 30)));
    COMPARE_LABELS(w.labels(), expected);
    CHECK_STEP(w, before, expected, "drag edge");
    // Snapped to the session's samples.
    const double moved = w.labels().intervals[4].end_s;
    QCOMPARE(moved, w.grid().snap(moved));

    // The start edge of an interval after a gap (not shared): the same, dragged left.
    before = w.labels();
    const std::size_t afterGap = 3;  // created interval is 2, then the one after the gap
    QVERIFY(before.intervals[afterGap].start_s > before.intervals[afterGap - 1].end_s);
    const QPoint startEdge = w.at(before.intervals[afterGap].start_s);
    QTest::mousePress(w.strip(), Qt::LeftButton, {}, startEdge);
    QTest::mouseMove(w.strip(), startEdge - QPoint(6, 0));
    QTest::mouseMove(w.strip(), startEdge - QPoint(12, 0));
    QTest::mouseRelease(w.strip(), Qt::LeftButton, {}, startEdge - QPoint(12, 0));
    expected = applied(before, editMoveEdge(before, w.grid(), afterGap, IntervalEdge::Start,
                                            w.timeAtX(startEdge.x() - 12)));
    CHECK_STEP(w, before, expected, "drag edge");
  }

  void edgesSnapToPredictedBoundariesWhenAsked() {
    Workbench w;
    QVERIFY(w.open());
    w.window->showOutputs(std::make_shared<const ModelOutputs>(
        testing::syntheticOutputs(*w.window->currentSession(), 50)));
    // A predicted boundary inside interval 3 (its start edge is dragged there).
    const LabelSet before = w.labels();
    const auto& target = before.intervals[3];
    double boundary = -1;
    for (const auto& band : w.window->predictedIntervals())
      if (band.end_s > target.start_s + 5 && band.end_s < target.end_s - 5) {
        boundary = band.end_s;
        break;
      }
    QVERIFY(boundary > 0);
    const QPoint press = w.at(target.start_s);
    const QPoint near(w.x(boundary) + 2, w.rowY());  // within reach of the boundary, not on it
    auto drag = [&] {
      QTest::mousePress(w.strip(), Qt::LeftButton, {}, press);
      QTest::mouseMove(w.strip(), (press + near) / 2);
      QTest::mouseMove(w.strip(), near);
      QTest::mouseRelease(w.strip(), Qt::LeftButton, {}, near);
    };
    w.window->labelActions().snapToPredicted->setChecked(true);  // (the choice is remembered)
    drag();
    const LabelSet snapped =
        applied(before, editMoveEdge(before, w.grid(), 3, IntervalEdge::Start, boundary));
    CHECK_STEP(w, before, snapped, "drag edge");
    w.undo();
    w.window->labelActions().snapToPredicted->setChecked(false);
    drag();
    const LabelSet free = applied(
        before, editMoveEdge(before, w.grid(), 3, IntervalEdge::Start, w.timeAtX(near.x())));
    QVERIFY(free != snapped);
    CHECK_STEP(w, before, free, "drag edge");
  }

  void escapeCancelsADrag() {
    Workbench w;
    QVERIFY(w.open());
    const LabelSet before = w.labels();
    const QPoint press = w.at(before.intervals[2].end_s);
    QTest::mousePress(w.strip(), Qt::LeftButton, {}, press);
    QTest::mouseMove(w.strip(), press + QPoint(20, 0));
    QTest::mouseMove(w.strip(), press + QPoint(40, 0));
    QVERIFY(w.labels() != before);  // the labels follow the mouse
    QTest::keyClick(w.strip(), Qt::Key_Escape);
    COMPARE_LABELS(w.labels(), before);
    QTest::mouseRelease(w.strip(), Qt::LeftButton, {}, press + QPoint(40, 0));
    COMPARE_LABELS(w.labels(), before);
    QCOMPARE(w.editor().undoDepth(), std::size_t(0));
    QVERIFY(!w.window->labelActions().undo->isEnabled());
    QVERIFY(!w.editor().modified());
  }

  void classPickerNotesFindAndAddClass() {
    Workbench w;
    QVERIFY(w.open());
    auto* panel = w.window->labelPanel();
    w.click((w.labels().intervals[5].start_s + w.labels().intervals[5].end_s) / 2);
    QCOMPARE(w.edits()->selected(), 5);

    // C opens the class picker (the class list takes the focus); Enter relabels.
    LabelSet before = w.labels();
    w.key(Qt::Key_C);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(panel->classList()));
    panel->classList()->setCurrentRow(4);
    QTest::keyClick(panel->classList(), Qt::Key_Return);
    QVERIFY(before.intervals[5].label != before.classes[4]);
    CHECK_STEP(w, before, applied(before, editRelabel(before, 5, before.classes[4])), "relabel");

    // F2 edits the note.
    before = w.labels();
    w.key(Qt::Key_F2);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(panel->noteEdit()));
    panel->noteEdit()->selectAll();
    QTest::keyClicks(panel->noteEdit(), "sensor slipped");
    QTest::keyClick(panel->noteEdit(), Qt::Key_Return);
    CHECK_STEP(w, before, applied(before, editNote(before, 5, "sensor slipped")), "edit note");

    // The find box lists the intervals whose note matches; a click selects and shows it.
    w.click((w.labels().intervals[1].start_s + w.labels().intervals[1].end_s) / 2);
    QCOMPARE(w.edits()->selected(), 1);
    QTest::keyClicks(panel->findEdit(), "SLIP");
    QCOMPARE(panel->matchList()->count(), 1);
    QCOMPARE(panel->matchList()->item(0)->data(Qt::UserRole).toInt(), 5);
    auto* item = panel->matchList()->item(0);
    QTest::mouseClick(panel->matchList()->viewport(), Qt::LeftButton, {},
                      panel->matchList()->visualItemRect(item).center());
    QCOMPARE(w.edits()->selected(), 5);
    QVERIFY(w.window->timeAxis()->view().contains(w.labels().intervals[5].start_s));
    panel->findEdit()->setText("no such note");
    QCOMPARE(panel->matchList()->count(), 0);

    // Add a class: it joins the list with a colour of its own, the same in the palette.
    before = w.labels();
    QTest::keyClicks(panel->newClassEdit(), "scratch");
    QTest::keyClick(panel->newClassEdit(), Qt::Key_Return);
    CHECK_STEP(w, before, applied(before, editAddClass(before, "scratch")), "add class");
    QCOMPARE(panel->classList()->count(), int(before.classes.size()) + 1);
    QVERIFY(w.edits()->activeClass() == "scratch");
    // Key 9 relabels with the ninth class; the menu entry names it.
    QCOMPARE(w.window->labelActions().relabel[8]->text().remove('&'),
             QStringLiteral("9: %1").arg(QString::fromStdString(w.labels().classes[8])));
  }

  void acceptPredictionOverTheSelectedRange() {
    Workbench w;
    QVERIFY(w.open());
    w.window->showOutputs(std::make_shared<const ModelOutputs>(
        testing::syntheticOutputs(*w.window->currentSession(), 50)));
    const auto predicted = w.window->predictedIntervals();
    QVERIFY(predicted.size() > 3);
    // Shift+drag selects the range on the strip (navigation), A accepts the prediction there.
    const QPoint from = w.at(20.0), to = w.at(41.0);
    QTest::mousePress(w.strip(), Qt::LeftButton, Qt::ShiftModifier, from);
    QTest::mouseMove(w.strip(), to);
    QTest::mouseRelease(w.strip(), Qt::LeftButton, Qt::ShiftModifier, to);
    const auto range = w.window->timeAxis()->selection();
    QVERIFY(range.valid());
    const LabelSet before = w.labels();
    w.key(Qt::Key_A);
    CHECK_STEP(w, before,
               applied(before, editAcceptPrediction(before, w.grid(), range.start_s, range.end_s,
                                                    predicted)),
               "accept prediction");
  }

  void reviewFollowsTheEditedLabels() {
    Workbench w;
    QVERIFY(w.open());
    const auto outputs = std::make_shared<const ModelOutputs>(
        testing::syntheticOutputs(*w.window->currentSession(), 50));
    w.window->showOutputs(outputs);
    const auto predictions =
        ReviewController::predictions(*outputs, w.window->currentSession()->sampleRateHz);
    auto expectReviewOf = [&](const LabelSet& labels) {
      const auto shown = w.window->review()->review();
      QVERIFY(shown);
      const auto expected = eval::reviewSession(predictions, labels.intervals);
      QCOMPARE(shown->disagreements, expected.disagreements);
      QCOMPARE(shown->stretches.size(), expected.stretches.size());
      for (std::size_t i = 0; i < expected.stretches.size(); ++i) {
        QCOMPARE(shown->stretches[i].start_s, expected.stretches[i].start_s);
        QCOMPARE(shown->stretches[i].truth, expected.stretches[i].truth);
      }
    };
    const LabelSet original = w.labels();
    expectReviewOf(original);
    if (QTest::currentTestFailed()) return;
    // Relabel a long interval with another class: the review changes with it, then undo.
    w.click((original.intervals[3].start_s + original.intervals[3].end_s) / 2);
    w.key(Qt::Key_1);
    QVERIFY(w.labels() != original);
    expectReviewOf(w.labels());
    if (QTest::currentTestFailed()) return;
    QVERIFY(w.window->review()->review()->disagreements !=
            eval::reviewSession(predictions, original.intervals).disagreements);
    w.undo();
    expectReviewOf(original);
  }

  void segmentationModeClosesAndOpensIntervalsAtTheCursor() {
    Workbench w;
    QVERIFY(w.open());
    w.window->labelPanel()->classList()->setCurrentRow(1);
    const std::string active = w.labels().classes[1];
    w.key(Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(w.edits()->segmenting());
    auto* axis = w.window->timeAxis();
    // The cursor moves as playback does; Enter marks the boundaries.
    axis->setCursor(30.004);
    w.key(Qt::Key_Return);  // opens only
    QCOMPARE(w.editor().undoDepth(), std::size_t(0));
    LabelSet before = w.labels();
    axis->setCursor(33.5);
    w.key(Qt::Key_Return);
    LabelSet expected = applied(before, editCreate(before, w.grid(), {30.004, 33.5, active}));
    COMPARE_LABELS(w.labels(), expected);
    const LabelSet afterFirst = expected;
    axis->setCursor(36.25);
    w.key(Qt::Key_Return);
    expected = applied(afterFirst, editCreate(afterFirst, w.grid(), {33.5, 36.25, active}));
    CHECK_STEP(w, afterFirst, expected, "create");
    w.undo();
    w.undo();
    COMPARE_LABELS(w.labels(), before);
    // Off: Enter does nothing.
    w.key(Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!w.edits()->segmenting());
    axis->setCursor(40);
    w.key(Qt::Key_Return);
    COMPARE_LABELS(w.labels(), before);
  }

  void enterInATextFieldIsTheFieldsWhileSegmenting() {
    Workbench w;
    QVERIFY(w.open());
    w.key(Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(w.edits()->segmenting());
    const LabelSet before = w.labels();
    auto* field = w.window->labelPanel()->newClassEdit();
    field->setFocus();
    QTest::keyClicks(field, "groom");
    QTest::keyClick(field, Qt::Key_Return);
    // The field took Enter (the class was added); no segment was opened or closed.
    QVERIFY(!w.edits()->segmentOpen_s().has_value());
    QCOMPARE(w.labels().intervals, before.intervals);
    QVERIFY(std::find(w.labels().classes.begin(), w.labels().classes.end(), "groom") !=
            w.labels().classes.end());
    QVERIFY(field->text().isEmpty());
    // Back on the timeline, Enter segments again.
    w.window->timeAxis()->setCursor(30);
    w.key(Qt::Key_Return);
    QVERIFY(w.edits()->segmentOpen_s().has_value());
  }

  void eachSessionKeepsItsEditsAndHistoryAcrossSwitches() {
    Workbench w;
    QVERIFY(w.open());
    const LabelSet original = w.labels();
    w.click((original.intervals[2].start_s + original.intervals[2].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet edited = w.labels();
    // A second session (a shorter cut of the same recording) becomes current: its own labels.
    const QString second = testing::writeShortSession(w.dir.filePath("short.h5"), 6000);
    QVERIFY(w.window->openPath(second));
    QCOMPARE(w.window->sessionCount(), 2);
    QVERIFY(!w.editor().canUndo());
    QVERIFY(w.labels().intervals.back().end_s <= 60.0 + 1e-9);
    QVERIFY(!w.window->labelActions().undo->isEnabled());
    QCOMPARE(w.strip()->labels().size(), w.labels().intervals.size());
    // Back to the first: the edit is there (strip and charts) and still undoable.
    w.window->sessionBrowser()->setCurrentIndex(0);
    COMPARE_LABELS(w.labels(), edited);
    QCOMPARE(w.strip()->labels().size(), edited.intervals.size());
    QCOMPARE(w.undoText(), QStringLiteral("Undo delete"));
    w.undo();
    COMPARE_LABELS(w.labels(), original);
  }

  void shortcutsDialogListsTheEditKeysAndGestures() {
    MainWindow window;
    QTextDocument document;
    document.setHtml(shortcutsTable(window));
    const QString shown = document.toPlainText();
    for (const char* entry :
         {"Undo", "Redo", "Split Interval at Cursor", "Merge Interval with Next", "Delete Interval",
          "Accept Prediction", "Edit Note", "Save Labels", "Find in Notes", "Segmentation Mode",
          "On the labels row", "Drag an edge", "Drag on an empty stretch", "Esc while dragging"})
      QVERIFY2(shown.contains(QString::fromUtf8(entry)), entry);
    for (const char* key : {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+S", "Ctrl+Shift+S", "F2", "Del"})
      QVERIFY2(shown.contains(QString::fromUtf8(key)), key);
  }

  void saveWritesTheSidecarAndNeverTheSession() {
    Workbench w;
    QVERIFY(w.open());
    const QByteArray sessionHash = sha256(w.session);
    w.click((w.labels().intervals[2].start_s + w.labels().intervals[2].end_s) / 2);
    w.key(Qt::Key_Delete);
    QVERIFY(w.editor().modified());
    QVERIFY(w.window->windowTitle().startsWith("* session.h5"));
    w.window->labelPanel()->saveNoteEdit()->setText("first review");
    w.key(Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!w.editor().modified());
    QVERIFY(w.window->windowTitle().startsWith("session.h5"));
    const auto sidecar = labelsSidecarPath(w.session.toStdString());
    QVERIFY(std::filesystem::exists(sidecar));
    const LabelStore store = jobs::openLabelStore(w.session.toStdString());
    COMPARE_LABELS(store.current().labels, w.labels());
    QCOMPARE(store.current().revision, 1);
    QVERIFY(store.current().note == "first review");
    QCOMPARE(sha256(w.session), sessionHash);
    QVERIFY(w.questions.empty());
  }

  void concurrentSaveIsDetectedAndAsked() {
    Workbench w;
    QVERIFY(w.open());
    // Another writer (the CLI, another window) saves after this window loaded the labels.
    LabelStore other = jobs::openLabelStore(w.session.toStdString());
    LabelSet theirs = other.current().labels;
    theirs.intervals.erase(theirs.intervals.begin());
    other.save(theirs, {"cli", "their edit"});
    w.click((w.labels().intervals[4].start_s + w.labels().intervals[4].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet mine = w.labels();

    // Cancel: nothing written, the edits stay unsaved.
    w.answers = {LabelAnswer::Cancel};
    QVERIFY(!w.window->labelSaving()->save());
    QCOMPARE(w.questions.size(), std::size_t(1));
    QVERIFY(w.questions.back().kind == LabelQuestion::Kind::Conflict);
    COMPARE_LABELS(jobs::openLabelStore(w.session.toStdString()).current().labels, theirs);
    QVERIFY(w.editor().modified());

    // Reload theirs: the window shows their labels, mine are one undo away.
    w.answers = {LabelAnswer::ReloadTheirs};
    QVERIFY(!w.window->labelSaving()->save());
    COMPARE_LABELS(w.labels(), theirs);
    QVERIFY(!w.editor().modified());
    w.undo();
    COMPARE_LABELS(w.labels(), mine);

    // Another save elsewhere, then overwrite: mine become current, theirs stay in the history.
    LabelStore again = jobs::openLabelStore(w.session.toStdString());
    LabelSet third = again.current().labels;
    third.intervals.pop_back();
    again.save(third, {"cli", "third"});
    w.answers = {LabelAnswer::Overwrite};
    QVERIFY(w.window->labelSaving()->save());
    QCOMPARE(w.questions.size(), std::size_t(3));
    const LabelStore reread = jobs::openLabelStore(w.session.toStdString());
    COMPARE_LABELS(reread.current().labels, mine);
    bool thirdKept = false;
    for (const auto& version : reread.document().history)
      thirdKept = thirdKept || version.labels == third;
    QVERIFY(thirdKept);
  }

  void unsavedEditsAreAskedAboutOnClose() {
    Workbench w;
    QVERIFY(w.open());
    QVERIFY(w.window->close());  // nothing edited: no question
    QVERIFY(w.questions.empty());
    QVERIFY(w.reopen());
    w.click((w.labels().intervals[1].start_s + w.labels().intervals[1].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet edited = w.labels();

    w.answers = {LabelAnswer::Cancel};
    QVERIFY(!w.window->close());
    QVERIFY(w.questions.back().kind == LabelQuestion::Kind::UnsavedOnClose);
    QVERIFY(w.window->isVisible());

    w.answers = {LabelAnswer::Save};
    QVERIFY(w.window->close());
    COMPARE_LABELS(jobs::openLabelStore(w.session.toStdString()).current().labels, edited);

    QVERIFY(w.reopen());
    w.click((w.labels().intervals[1].start_s + w.labels().intervals[1].end_s) / 2);
    w.key(Qt::Key_Delete);
    w.window->labelSaving()->writeJournals();
    QVERIFY(std::filesystem::exists(labelJournalPath(w.session.toStdString())));
    w.answers = {LabelAnswer::Discard};
    QVERIFY(w.window->close());
    COMPARE_LABELS(jobs::openLabelStore(w.session.toStdString()).current().labels, edited);
    QVERIFY(!std::filesystem::exists(labelJournalPath(w.session.toStdString())));
  }

  void journalIsRecoveredAfterACrash() {
    Workbench w;
    QVERIFY(w.open());
    const LabelSet saved = w.labels();
    w.click((w.labels().intervals[3].start_s + w.labels().intervals[3].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet edited = w.labels();
    w.window->labelSaving()->writeJournals();
    QVERIFY(std::filesystem::exists(labelJournalPath(w.session.toStdString())));
    w.window.reset();  // gone without closing: as a crash leaves it
    QVERIFY(w.questions.empty());

    w.answers = {LabelAnswer::Recover};
    QVERIFY(w.reopen());
    QCOMPARE(w.questions.size(), std::size_t(1));
    QVERIFY(w.questions.back().kind == LabelQuestion::Kind::RecoverJournal);
    COMPARE_LABELS(w.labels(), edited);
    QVERIFY(w.editor().modified());
    QCOMPARE(w.undoText(), QStringLiteral("Undo recover unsaved edits"));
    w.undo();
    COMPARE_LABELS(w.labels(), saved);
    w.redo();

    // Discarded, the journal is gone and the next open does not ask.
    w.window->labelSaving()->writeJournals();
    w.window.reset();
    w.answers = {LabelAnswer::Discard};
    QVERIFY(w.reopen());
    QCOMPARE(w.questions.size(), std::size_t(2));
    COMPARE_LABELS(w.labels(), saved);
    QVERIFY(!std::filesystem::exists(labelJournalPath(w.session.toStdString())));
    w.window.reset();
    QVERIFY(w.reopen());
    QCOMPARE(w.questions.size(), std::size_t(2));
  }

  void aPutOffJournalIsNeitherOverwrittenNorRemovedBySaving() {
    Workbench w;
    QVERIFY(w.open());
    w.click((w.labels().intervals[3].start_s + w.labels().intervals[3].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet crashed = w.labels();
    w.window->labelSaving()->writeJournals();
    w.window.reset();  // a crash

    w.answers = {LabelAnswer::Cancel};  // "later"
    QVERIFY(w.reopen());
    QCOMPARE(w.questions.size(), std::size_t(1));
    QVERIFY(!w.editor().modified());
    // New edits, autosave, then a save: the other run's journal stays as it was.
    w.click((w.labels().intervals[1].start_s + w.labels().intervals[1].end_s) / 2);
    w.key(Qt::Key_Delete);
    w.window->labelSaving()->writeJournals();
    QVERIFY(w.window->labelSaving()->save("reviewed"));
    const auto kept = readLabelJournal(w.session.toStdString());
    QVERIFY(kept.has_value());
    COMPARE_LABELS(kept->labels, crashed);

    // The next open asks again, and the put-off edits come back.
    w.window.reset();
    w.answers = {LabelAnswer::Recover};
    QVERIFY(w.reopen());
    QCOMPARE(w.questions.size(), std::size_t(2));
    COMPARE_LABELS(w.labels(), crashed);
  }

  void recoveredEditsOverANewerSaveAreAConflict() {
    Workbench w;
    QVERIFY(w.open());
    w.click((w.labels().intervals[3].start_s + w.labels().intervals[3].end_s) / 2);
    w.key(Qt::Key_Delete);
    const LabelSet edited = w.labels();
    w.window->labelSaving()->writeJournals();  // based on revision 0
    w.window.reset();
    // After the crash, `imuwb labels import` saves revision 1 (and leaves the journal).
    LabelSet theirs = jobs::openLabelStore(w.session.toStdString()).current().labels;
    theirs.intervals.pop_back();
    const QString csv = w.dir.filePath("theirs.csv");
    writeLabelSetCsv(theirs, csv.toStdString());
    jobs::LabelsImportOptions import;
    import.session = w.session.toStdString();
    import.csv = csv.toStdString();
    QCOMPARE(jobs::runLabelsImport(import).revision, 1);
    QVERIFY(std::filesystem::exists(labelJournalPath(w.session.toStdString())));

    w.answers = {LabelAnswer::Recover, LabelAnswer::Cancel, LabelAnswer::Overwrite};
    QVERIFY(w.reopen());
    COMPARE_LABELS(w.labels(), edited);
    QVERIFY(w.questions.at(0).text.contains("revision 0"));
    // The store loaded revision 1, so only the journal's base tells: asked, never overwritten.
    QVERIFY(!w.window->labelSaving()->save());
    QCOMPARE(w.questions.size(), std::size_t(2));
    QVERIFY(w.questions.back().kind == LabelQuestion::Kind::Conflict);
    COMPARE_LABELS(jobs::openLabelStore(w.session.toStdString()).current().labels, theirs);
    QVERIFY(w.window->labelSaving()->save());
    QCOMPARE(w.questions.size(), std::size_t(3));
    const LabelStore reread = jobs::openLabelStore(w.session.toStdString());
    COMPARE_LABELS(reread.current().labels, edited);
    QVERIFY(reread.document().history.at(0).labels == theirs);
    // Saved: the next save asks nothing.
    w.click((w.labels().intervals[1].start_s + w.labels().intervals[1].end_s) / 2);
    w.key(Qt::Key_Delete);
    QVERIFY(w.window->labelSaving()->save());
    QCOMPARE(w.questions.size(), std::size_t(3));
  }

  void historyRestoresAVersionAsANewSave() {
    Workbench w;
    QVERIFY(w.open());
    const LabelSet original = w.labels();
    QVERIFY(w.window->labelSaving()->save("unchanged"));
    w.click((w.labels().intervals[2].start_s + w.labels().intervals[2].end_s) / 2);
    w.key(Qt::Key_Delete);
    QVERIFY(w.window->labelSaving()->save("deleted one"));
    LabelHistoryDialog dialog(w.window->labelSaving());
    QCOMPARE(dialog.table()->rowCount(), 3);  // revisions 2 (current), 1 and 0 (embedded)
    QVERIFY(dialog.table()->item(0, 4)->text().contains("deleted one"));
    QCOMPARE(dialog.table()->item(1, 4)->text(), QStringLiteral("unchanged"));
    dialog.table()->selectRow(1);
    QVERIFY(dialog.restoreButton()->isEnabled());
    QVERIFY(dialog.restoreSelected());
    COMPARE_LABELS(w.labels(), original);
    QVERIFY(!w.editor().modified());
    QCOMPARE(dialog.table()->rowCount(), 4);  // nothing was deleted
    const LabelStore store = jobs::openLabelStore(w.session.toStdString());
    QCOMPARE(store.current().revision, 3);
    COMPARE_LABELS(store.current().labels, original);
  }

  void embedWritesANewSessionFile() {
    Workbench w;
    QVERIFY(w.open());
    const QByteArray sessionHash = sha256(w.session);
    w.click((w.labels().intervals[2].start_s + w.labels().intervals[2].end_s) / 2);
    w.key(Qt::Key_Delete);
    const QString output = w.dir.filePath("embedded.h5");
    QVERIFY(w.window->labelSaving()->embedInto(output));
    QString error;
    QVERIFY2(w.window->labelSaving()->waitForEmbed(kWaitMs, &error), qPrintable(error));
    COMPARE_LABELS(jobs::readLabelsFrom(output.toStdString()), w.labels());
    QCOMPARE(sha256(w.session), sessionHash);
    QVERIFY(!std::filesystem::exists(labelsSidecarPath(w.session.toStdString())));
    // Refused over the session itself: it is only ever read.
    QVERIFY(w.window->labelSaving()->embedInto(w.session));
    QVERIFY(!w.window->labelSaving()->waitForEmbed(kWaitMs, &error));
    QCOMPARE(sha256(w.session), sessionHash);
  }
};

QTEST_MAIN(LabelEditingTest)
#include "LabelEditingTest.moc"
