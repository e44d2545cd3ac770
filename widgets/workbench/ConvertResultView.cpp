#include "ConvertResultView.hpp"

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "Theme.hpp"

namespace imuwb::widgets {

namespace {

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

QTableWidget* table(const QStringList& headers, QWidget* parent) {
  auto* view = new QTableWidget(0, static_cast<int>(headers.size()), parent);
  view->setHorizontalHeaderLabels(headers);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->verticalHeader()->setVisible(false);
  view->horizontalHeader()->setStretchLastSection(true);
  view->setWordWrap(false);  // one line per row; the tooltips hold the whole text
  view->setTextElideMode(Qt::ElideMiddle);
  return view;
}

QTableWidgetItem* cell(const QString& text, const QString& tip = {}) {
  auto* item = new QTableWidgetItem(text);
  item->setToolTip(tip.isEmpty() ? text : tip);
  return item;
}

QTableWidgetItem* number(double value, int digits, char format = 'g') {
  auto* item = cell(QString::number(value, format, digits), QString::number(value, 'g', 17));
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QString nodeList(const std::vector<std::string>& nodes) {
  constexpr std::size_t kShown = 4;  // the tooltip has them all
  QStringList names;
  for (std::size_t i = 0; i < nodes.size() && i < kShown; ++i) names << qstr(nodes[i]);
  if (nodes.size() > kShown) names << QObject::tr("… (%1 in all)").arg(nodes.size());
  return names.join(", ");
}

}  // namespace

ConvertResultView::ConvertResultView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  rewrites_ = table({tr("Rewrite"), tr("Nodes"), tr("What it did")}, this);
  rewrites_->setObjectName("convert.rewrites");
  proof_ = table({tr("Output"), tr("Cosine"), tr("Worst window"), tr("Max |Δ|"),
                  tr("Max |Δ| / scale"), tr("Verdict")},
                 this);
  proof_->setObjectName("convert.proof");
  notes_ = new QLabel(this);
  notes_->setObjectName("convert.notes");
  notes_->setWordWrap(true);
  notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* rewriteBox = new QGroupBox(tr("Rewrites"), this);
  (new QVBoxLayout(rewriteBox))->addWidget(rewrites_);
  auto* proofBox = new QGroupBox(tr("Equivalence proof (original vs converted, CPU FP32)"), this);
  auto* proofLayout = new QVBoxLayout(proofBox);
  proofLayout->addWidget(proof_);
  proofLayout->addWidget(notes_);
  // The proof has a row per output (one or two): its table takes what they need, the rewrites
  // (often a dozen or more) the rest.
  proof_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  proof_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
  layout->addWidget(rewriteBox, 1);
  layout->addWidget(proofBox, 0);
}

void ConvertResultView::clear() {
  rewrites_->setRowCount(0);
  proof_->setRowCount(0);
  notes_->clear();
}

void ConvertResultView::showResult(const jobs::ConvertJobResult& result) {
  showRewrites(result.log);
  showProof(result.proof);
  showNotes(result);
}

void ConvertResultView::showRewrites(const convert::ConvertLog& log) {
  rewrites_->setRowCount(static_cast<int>(log.rewrites.size()));
  for (int row = 0; row < rewrites_->rowCount(); ++row) {
    const auto& rewrite = log.rewrites[static_cast<std::size_t>(row)];
    QStringList all;
    for (const auto& node : rewrite.nodes) all << qstr(node);
    rewrites_->setItem(row, 0, cell(qstr(rewrite.rule)));
    rewrites_->setItem(row, 1, cell(nodeList(rewrite.nodes), all.join("\n")));
    rewrites_->setItem(row, 2, cell(qstr(rewrite.detail)));
  }
  rewrites_->resizeColumnToContents(0);
  rewrites_->resizeColumnToContents(1);
  constexpr int kNodesWidth = 320;  // node paths are long; the tooltip has them whole
  rewrites_->setColumnWidth(1, std::min(rewrites_->columnWidth(1), kNodesWidth));
}

void ConvertResultView::showProof(const convert::EquivalenceReport& proof) {
  const QColor base = proof_->palette().color(QPalette::Base);
  proof_->setRowCount(static_cast<int>(proof.outputs.size()));
  for (int row = 0; row < proof_->rowCount(); ++row) {
    const auto& output = proof.outputs[static_cast<std::size_t>(row)];
    const bool pass = proof.passes(output);
    proof_->setItem(row, 0, cell(qstr(output.name)));
    proof_->setItem(row, 1, number(output.cosine, 9, 'f'));
    proof_->setItem(row, 2, number(output.minWindowCosine, 9, 'f'));
    proof_->setItem(row, 3, number(output.maxAbs, 3));
    proof_->setItem(row, 4, number(output.maxRel, 3));
    auto* verdict = cell(pass ? tr("pass") : tr("FAIL"),
                         tr("needs cosine ≥ %1 (every window) and max |Δ| / scale ≤ %2")
                             .arg(proof.minCosine, 0, 'g', 7)
                             .arg(proof.maxRelative, 0, 'g', 3));
    verdict->setForeground(verdictColour(pass, base));
    proof_->setItem(row, 5, verdict);
  }
  proof_->resizeColumnsToContents();
}

void ConvertResultView::showNotes(const jobs::ConvertJobResult& result) {
  QStringList lines;
  lines << tr("Proof on %1 windows (%2).").arg(result.proof.windows).arg(qstr(result.proof.origin));
  for (const auto& warning : result.log.warnings) lines << tr("Warning: %1").arg(qstr(warning));
  for (const auto& finding : result.remaining)
    lines << tr("Still blocks Hailo: %1%2")
                 .arg(qstr(finding.message),
                      finding.fix.empty() ? QString() : tr(" — fix: %1").arg(qstr(finding.fix)));
  if (!result.manifestNote.empty()) lines << tr("Manifest: %1").arg(qstr(result.manifestNote));
  notes_->setText(lines.join("\n"));
}

}  // namespace imuwb::widgets
