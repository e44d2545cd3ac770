#pragma once
// Closing HDF5 files that are being written to a temporary file, safely on a full disk.
// HDF5 1.10 frees a file's state when H5Fclose fails (its final flush hit ENOSPC) but keeps
// the id, so closing it again (a second close, or the C++ wrapper's destructor) reads freed
// memory: the segfault of a disk filling during `generate`. So a file is closed at most once,
// and a file that is being thrown away first sends its remaining writes to an anonymous
// in-memory file, so that its close cannot fail for lack of space. (An explicit H5Fflush is
// avoided on these files: once one fails, HDF5 1.10's cache refuses every later flush and
// close with "slist already enabled?".)
#include <H5Cpp.h>

#include <memory>

#include "io/Hdf5CloseState.hpp"  // closeFailed()

namespace imuwb::hdf5 {

// Closes file and resets the pointer. Throws H5::Exception when HDF5 cannot finish the file;
// the file is then never closed again (its wrapper is deliberately leaked, as HDF5 has already
// released it) and closeFailed() turns true.
void closeOnce(std::unique_ptr<H5::H5File>& file);

// For a file that will be deleted: diverts its pending writes to memory, closes it once and
// resets the pointer. Never throws.
void closeDiscarded(std::unique_ptr<H5::H5File>& file) noexcept;

// Diverts all further writes of file to an anonymous in-memory file (Linux memfd). Call it
// before closing datasets of a file that will be deleted: their caches flush on close too.
void divertWritesToMemory(const H5::H5File& file) noexcept;

// Closes dataset through the C API and marks the wrapper closed whatever happens, so that its
// destructor neither retries a failed close nor prints "DataSet::~DataSet - H5Dclose failed".
// Throws H5::DataSetIException when the close failed (its cache could not flush: a full disk).
void closeOnce(H5::DataSet& dataset);

// As closeOnce, for a dataset of a file that will be deleted: a failure is ignored.
void closeDiscarded(H5::DataSet& dataset) noexcept;

}  // namespace imuwb::hdf5
