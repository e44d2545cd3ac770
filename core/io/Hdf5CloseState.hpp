#pragma once
// Whether an HDF5 file close failed in this process, without HDF5's headers: the CLI's exit
// path asks it, and HDF5 stays private to the areas that write files (Hdf5Discard.hpp).
namespace imuwb::hdf5 {

// True once a close failed in this process. HDF5 then holds an id to freed memory, and its
// own exit handler (H5close) would touch it: a program should end with _exit after that.
bool closeFailed() noexcept;

}  // namespace imuwb::hdf5
