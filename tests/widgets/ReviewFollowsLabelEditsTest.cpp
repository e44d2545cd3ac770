// Review mode and label editing together: the disagreements reviewed are those of the labels as
// edited on the timeline, before any save. The sample model is run on the two-device sample
// session; accepting the model's prediction over the whole session (one edit) leaves nothing to
// disagree with, and undoing it brings back exactly the disagreements of the session's own
// labels (whose count ReviewNavigationTest checks against the numpy peer).
#include <QTest>

#include "LabelEditController.hpp"
#include "MainWindow.hpp"
#include "ReviewController.hpp"
#include "WorkbenchSamples.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class ReviewFollowsLabelEditsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void reviewFollowsEditsAndTheirUndo() {
    if (!testing::samplesPresent())
      QFAIL("sample session or sample model missing from samples/ (part of the repository)");
    MainWindow window;
    QVERIFY(window.openPath(testing::twoDeviceSession()));
    QVERIFY(window.openPath(testing::sampleModel()));
    QString error;
    QVERIFY2(window.runAndWait(120000, &error), qPrintable(error));
    const auto before = window.review()->review();
    QVERIFY(before);
    QVERIFY(before->disagreements > 0);
    const auto session = window.currentSession();

    auto* editor = window.labelEditor();
    QVERIFY(editor->hasDocument());
    const auto predicted = window.outputs()->predictedIntervals(session->sampleRateHz);
    QVERIFY(editor->acceptPrediction(0, session->durationSeconds(), predicted));
    QVERIFY(window.review()->review());
    QCOMPARE(window.review()->review()->disagreements, std::size_t{0});
    QCOMPARE(window.review()->review()->confusion.correct(),
             window.review()->review()->confusion.total());

    editor->undo();
    QCOMPARE(window.review()->review()->disagreements, before->disagreements);
    QCOMPARE(window.review()->review()->stretches.size(), before->stretches.size());
    editor->redo();
    QCOMPARE(window.review()->review()->disagreements, std::size_t{0});
  }
};

QTEST_MAIN(ReviewFollowsLabelEditsTest)
#include "ReviewFollowsLabelEditsTest.moc"
