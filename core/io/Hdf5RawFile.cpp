#include "io/Hdf5RawFile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/Error.hpp"

namespace imuwb::hdf5 {

RawFile::RawFile(hid_t object, const std::string& where, const std::string& what) {
  file_ = H5Iget_file_id(object);
  if (file_ < 0)
    throw Error(where, "cannot find the file of the " + what, "check that the file is readable");
  const hid_t create = H5Fget_create_plist(file_);
  hsize_t userBlock = 0;
  H5Pget_userblock(create, &userBlock);
  H5Pget_sizes(create, &sizeofAddr_, &sizeofSize_);
  H5Pclose(create);
  base_ = userBlock;
  ssize_t nameLength = H5Fget_name(file_, nullptr, 0);
  std::string name(nameLength > 0 ? static_cast<std::size_t>(nameLength) : 0, '\0');
  if (nameLength > 0) H5Fget_name(file_, name.data(), name.size() + 1);
  fd_ = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (fd_ < 0 || ::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    if (fd_ >= 0) ::close(fd_);
    H5Fclose(file_);
    throw Error(where, "cannot reopen the file to check its " + what,
                "check that the file is a regular, readable file");
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
}

RawFile::~RawFile() {
  if (fd_ >= 0) ::close(fd_);
  if (file_ >= 0) H5Fclose(file_);
}

bool RawFile::read(std::uint64_t address, std::size_t length, unsigned char* out) const {
  if (address > size_ || base_ > size_ - address || length > size_ - address - base_) return false;
  std::size_t done = 0;
  while (done < length) {
    const ssize_t got =
        ::pread(fd_, out + done, length - done, static_cast<off_t>(base_ + address + done));
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

std::uint64_t decodeLE(const unsigned char* bytes, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = size; i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace imuwb::hdf5
