#include "io/Hdf5Discard.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>

namespace imuwb::hdf5 {
namespace {
std::atomic<bool> failedClose{false};
}  // namespace

void divertWritesToMemory(const H5::H5File& file) noexcept {
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file.getId(), H5P_DEFAULT, &handle) < 0 || handle == nullptr) return;
  const int fd = *static_cast<int*>(handle);  // the sec2 (POSIX) driver's descriptor
  const int sink = ::memfd_create("imuwb-discarded-hdf5", MFD_CLOEXEC);
  if (sink < 0) return;
  ::dup2(sink, fd);
  ::close(sink);
}

void closeOnce(std::unique_ptr<H5::H5File>& file) {
  if (!file) return;
  try {
    file->close();
  } catch (...) {
    // HDF5 freed the file but kept its id: never close it again, not even in the destructor.
    [[maybe_unused]] H5::H5File* released = file.release();
    failedClose.store(true);
    throw;
  }
  file.reset();
}

void closeDiscarded(std::unique_ptr<H5::H5File>& file) noexcept {
  if (!file) return;
  divertWritesToMemory(*file);
  try {
    closeOnce(file);
  } catch (...) {
  }
}

void closeOnce(H5::DataSet& dataset) {
  const hid_t id = dataset.getId();
  if (id < 0 || H5Iis_valid(id) <= 0) return;
  herr_t status = 0;
  H5E_BEGIN_TRY {
    status = H5Dclose(id);  // releases the id even when the flush fails (HDF5 closes it regardless)
  }
  H5E_END_TRY;
  try {
    f_DataSet_setId(&dataset, H5I_INVALID_HID);  // HDF5's own hook; found by argument lookup
  } catch (...) {
  }
  if (status < 0) throw H5::DataSetIException("H5Dclose", "the dataset could not be closed");
}

void closeDiscarded(H5::DataSet& dataset) noexcept {
  try {
    closeOnce(dataset);
  } catch (...) {
  }
}

bool closeFailed() noexcept {
  return failedClose.load();
}

}  // namespace imuwb::hdf5
