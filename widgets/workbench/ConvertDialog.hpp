#pragma once
// Tools ▸ Convert for Hailo-8…: `imuwb convert --to hailo8` in the workbench. The current model
// is rewritten into the form the Hailo Dataflow Compiler takes (input layout, Gemm as a 1×1
// Conv), the result is proved on the CPU engine against the original — on the current session's
// windows or on generated ones — and only a passing conversion is written, with its manifest.
// The rewrites and the proof are shown as the CLI's report records them; the converted model can
// be opened at once. Every option maps onto jobs::ConvertJobOptions (convertOptionsFor), so the
// dialog and the command line build the same job (tests/widgets/JobOptionsIdentityTest).
#include <QDialog>
#include <QString>
#include <memory>
#include <string>

#include "ConvertRunner.hpp"
#include "JobOptionsFromWidgets.hpp"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace imuwb::widgets {

class ConvertResultView;

struct ConvertInputs {
  std::shared_ptr<const ModelBundle> bundle;  // the model to convert
  std::shared_ptr<const Session> session;     // may be null: the proof uses generated windows
};

class ConvertDialog : public QDialog {
  Q_OBJECT
 public:
  explicit ConvertDialog(QWidget* parent = nullptr);
  ~ConvertDialog() override;

  // A new model proposes a new output beside it (<stem>.hailo.onnx, never an existing file).
  void setInputs(ConvertInputs inputs);
  const ConvertInputs& inputs() const { return inputs_; }
  // The request the widgets describe (throws imuwb::Error through options() without a model).
  ConvertRequest request() const;
  jobs::ConvertJobOptions options() const;

  // Starts the conversion; false (with the reason in the status line) when busy or not ready.
  bool startConvert();
  void cancelConvert();
  std::shared_ptr<const jobs::ConvertJobResult> lastResult() const { return result_; }
  // Test hook: breaks one rewrite (its rule) so the proof must refuse (ConvertOptions).
  void setBreakRewriteForTest(std::string rule) { breakRewrite_ = std::move(rule); }

  QLineEdit* outputEdit() const { return output_; }
  QComboBox* layoutBox() const { return layout_; }
  QCheckBox* gemmAsConvBox() const { return gemmAsConv_; }
  QComboBox* proofSourceBox() const { return proofSource_; }
  QSpinBox* windowsBox() const { return windows_; }
  QCheckBox* replaceBox() const { return replace_; }
  QCheckBox* openWhenDoneBox() const { return openWhenDone_; }
  QPushButton* convertButton() const { return convert_; }
  QPushButton* cancelButton() const { return cancel_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* statusLabel() const { return status_; }
  ConvertResultView* resultView() const { return view_; }
  ConvertRunner* runner() const { return runner_; }

 signals:
  void conversionFinished(std::shared_ptr<const imuwb::jobs::ConvertJobResult> result);
  void conversionFailed(QString message);
  void conversionCancelled();
  // A passing conversion was written and "open it when done" is checked.
  void convertedModelReady(QString onnxPath);

 private:
  QWidget* buildOptions();
  QWidget* buildButtons();
  void connectRunner();
  void browseOutput();
  void showFinished(const std::shared_ptr<const jobs::ConvertJobResult>& result);
  void setStatus(const QString& text, bool problem);
  void setBusy(bool busy);

  ConvertInputs inputs_;
  std::shared_ptr<const jobs::ConvertJobResult> result_;
  std::string breakRewrite_;
  QString pendingOutput_;
  QLabel* model_ = nullptr;
  QLineEdit* output_ = nullptr;
  QComboBox* layout_ = nullptr;
  QCheckBox* gemmAsConv_ = nullptr;
  QComboBox* proofSource_ = nullptr;
  QSpinBox* windows_ = nullptr;
  QCheckBox* replace_ = nullptr;
  QCheckBox* openWhenDone_ = nullptr;
  QPushButton* convert_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  ConvertResultView* view_ = nullptr;
  ConvertRunner* runner_ = nullptr;
};

// The output proposed for a model: <dir>/<stem>.hailo.onnx, or .hailo-2.onnx, -3, … when taken.
QString proposedConvertOutput(const std::filesystem::path& onnx);

}  // namespace imuwb::widgets
