#include "AboutDialog.hpp"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include "common/BuildInfo.hpp"

namespace imuwb::widgets {

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About IMU Model Workbench"));
  auto* layout = new QVBoxLayout(this);
  auto* text = new QLabel(this);
  text->setTextFormat(Qt::RichText);
  text->setText(tr("<h3>IMU Model Workbench %1</h3>"
                   "<p>Inspect IMU sessions and model outputs; compare FP32 and INT8.</p>"
                   "<p>Qt %2 &middot; %3 &middot; %4 build</p>")
                    .arg(QString::fromUtf8(build_info::kVersion), QString::fromUtf8(qVersion()),
                         QString::fromUtf8(build_info::kCompiler),
                         QString::fromUtf8(build_info::kBuildType)));
  layout->addWidget(text);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

}  // namespace imuwb::widgets
