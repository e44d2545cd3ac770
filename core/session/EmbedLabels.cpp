#include "session/EmbedLabels.hpp"

#include <H5Cpp.h>

#include <cerrno>
#include <memory>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "io/Hdf5Discard.hpp"
#include "io/Hdf5Support.hpp"
#include "labels/LabelsFile.hpp"
#include "session/LabelsHdf5.hpp"
#include "session/SessionReader.hpp"

namespace imuwb {

void embedLabels(const std::filesystem::path& session, const LabelSet& labels,
                 const std::filesystem::path& output, bool force, const JobControl& control) {
  OutputPathCheck(force)
      .input(session, "the session")
      .output(output, "the output session")
      .enforce();
  std::error_code error;
  if (std::filesystem::exists(labelsSidecarPath(output), error) && !force)
    throw Error(labelsSidecarPath(output).string(),
                "a side-car labels file lies beside the output; it would hide the embedded labels",
                "move it away, or pass --force to embed anyway");
  hdf5::silenceErrorStack();
  SessionReader::open(session);  // refuse a broken session before copying it
  control.report(0.1, "copying");
  TemporaryFile temp(output);
  try {
    std::filesystem::copy_file(session, temp.path(),
                               std::filesystem::copy_options::overwrite_existing);
    control.throwIfCancelled();
    control.report(0.8, "writing labels");
    hdf5::guarded(temp.path().string(), "cannot write the labels into the copy", "check free space",
                  [&] {
                    auto file = std::make_unique<H5::H5File>(temp.path().string(), H5F_ACC_RDWR);
                    if (file->nameExists("labels")) H5Ldelete(file->getId(), "labels", H5P_DEFAULT);
                    writeLabelsGroup(file->getId(), labels);
                    hdf5::closeOnce(file);
                  });
    const auto check = SessionReader::open(temp.path());  // reads back what it wrote
    if (check.header().embeddedLabels != labels)
      throw Error(temp.path().string(), "the labels read back differ from the labels written",
                  "report this as a bug");
    temp.commit();
  } catch (...) {
    const int saved = errno;
    temp.discard();
    rethrowNamingStorageFailure(output, saved);
  }
  control.report(1.0, "done");
}

}  // namespace imuwb
