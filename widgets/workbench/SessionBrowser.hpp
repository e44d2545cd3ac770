#pragma once
// The open sessions: devices, duration and label histogram per session, and the selected
// session's validation findings as a list you can click to jump to where they are. A session's
// findings can arrive after it is shown (validation runs in the background): until then its
// findings row says "validating…".
#include <QWidget>
#include <vector>

#include "common/Finding.hpp"
#include "session/Session.hpp"

QT_BEGIN_NAMESPACE
class QTreeWidget;
class QListWidget;
class QLabel;
QT_END_NAMESPACE

namespace imuwb::widgets {

// Seconds per class over the labelled intervals, in class-list order (then unknown classes).
std::vector<std::pair<std::string, double>> labelHistogram(const Session& session);

class SessionBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit SessionBrowser(QWidget* parent = nullptr);
  // Adds a session and selects it. Findings may come from import and validation; validating says
  // more are on their way (setFindings delivers them).
  void addSession(const Session& session, const std::vector<Finding>& findings,
                  bool validating = false);
  // Replaces session index's findings (validation finished) and updates its row and, if it is
  // selected, the findings list in place.
  void setFindings(int index, const std::vector<Finding>& findings);
  bool isValidating(int index) const;
  // The text of session index's "findings" row (tests, screenshots); empty for a bad index.
  QString findingsSummary(int index) const;
  void removeAll();
  int sessionCount() const;
  int currentIndex() const;
  void setCurrentIndex(int index);
  QTreeWidget* tree() const { return tree_; }
  QListWidget* findingsList() const { return findings_; }

 signals:
  void currentSessionChanged(int index);
  // The user clicked a finding with a time range (start == end for a single instant).
  void findingActivated(double start_s, double end_s);

 private:
  void showFindings(int index);
  void updateFindingsRow(int index);
  struct SessionFindings {
    std::vector<Finding> findings;
    bool validating = false;
  };
  QTreeWidget* tree_;
  QListWidget* findings_;
  QLabel* findingsTitle_;
  std::vector<SessionFindings> findingsPerSession_;
};

}  // namespace imuwb::widgets
