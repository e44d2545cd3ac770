// A fault-injection shim for tests (LD_PRELOAD): makes the disk look full for some files.
//   IMUWB_FAULT_PATH   substring of the (resolved) path of the files to fail, e.g. a test folder
//   IMUWB_FAULT_BYTES  bytes these files may take in total before writes fail (default 0)
//   IMUWB_FAULT_ERRNO  the error to fail with (default ENOSPC = 28; 5 = EIO)
//   IMUWB_FAULT_SYNC   "pass": fsync/fdatasync succeed even when the budget is spent
// Once the budget is spent, write/pwrite/writev/fsync/fdatasync on matching files fail with
// that error, as the kernel does on a full file system. Other files are never touched. With
// IMUWB_FAULT_SYNC=pass only the writes fail: the kernel refused the data at write(2), so a
// later fsync has nothing to flush and succeeds; only the writer's own check of its writes (and
// of the close that flushes its last buffer) can notice.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong spent;

static int matches(int fd) {
  const char* pattern = getenv("IMUWB_FAULT_PATH");
  if (!pattern || !*pattern || fd < 0) return 0;
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t length = readlink(link, target, sizeof target - 1);
  if (length <= 0) return 0;
  target[length] = '\0';
  return strstr(target, pattern) != NULL;
}

static long long budget(void) {
  const char* text = getenv("IMUWB_FAULT_BYTES");
  return text ? atoll(text) : 0;
}

static int failure(void) {
  const char* text = getenv("IMUWB_FAULT_ERRNO");
  return text ? atoi(text) : ENOSPC;
}

// How many of count bytes may still be written; -1 (errno set) when none.
static ssize_t allowance(int fd, size_t count) {
  if (!matches(fd)) return (ssize_t)count;
  const long long left = budget() - atomic_load(&spent);
  if (left <= 0 && count > 0) {
    errno = failure();
    return -1;
  }
  const size_t allowed = (long long)count > left ? (size_t)left : count;
  atomic_fetch_add(&spent, (long long)allowed);
  return (ssize_t)allowed;
}

typedef ssize_t (*WriteFn)(int, const void*, size_t);
typedef ssize_t (*PwriteFn)(int, const void*, size_t, off_t);
typedef ssize_t (*WritevFn)(int, const struct iovec*, int);
typedef int (*SyncFn)(int);

// The next definition of name (libc's), looked up once.
#define REAL(name, type)          \
  static type real_##name = NULL; \
  if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* data, size_t count) {
  REAL(write, WriteFn);
  const ssize_t allowed = allowance(fd, count);
  return allowed < 0 ? -1 : real_write(fd, data, (size_t)allowed);
}

ssize_t pwrite(int fd, const void* data, size_t count, off_t offset) {
  REAL(pwrite, PwriteFn);
  const ssize_t allowed = allowance(fd, count);
  return allowed < 0 ? -1 : real_pwrite(fd, data, (size_t)allowed, offset);
}

ssize_t pwrite64(int fd, const void* data, size_t count, off_t offset) {
  REAL(pwrite64, PwriteFn);
  const ssize_t allowed = allowance(fd, count);
  return allowed < 0 ? -1 : real_pwrite64(fd, data, (size_t)allowed, offset);
}

ssize_t writev(int fd, const struct iovec* parts, int partCount) {
  REAL(writev, WritevFn);
  REAL(write, WriteFn);
  size_t total = 0;
  for (int i = 0; i < partCount; ++i) total += parts[i].iov_len;
  const ssize_t allowed = allowance(fd, total);
  if (allowed < 0) return -1;
  if ((size_t)allowed == total) return real_writev(fd, parts, partCount);
  // Partial: write the allowed prefix only (as a filling disk does).
  ssize_t done = 0;
  for (int i = 0; i < partCount && done < allowed; ++i) {
    size_t take = parts[i].iov_len;
    if ((ssize_t)take > allowed - done) take = (size_t)(allowed - done);
    const ssize_t n = real_write(fd, parts[i].iov_base, take);
    if (n < 0) return done ? done : -1;
    done += n;
  }
  return done;
}

static int syncPasses(void) {
  const char* text = getenv("IMUWB_FAULT_SYNC");
  return text && strcmp(text, "pass") == 0;
}

static int syncFails(int fd) {
  if (!matches(fd) || syncPasses() || budget() - atomic_load(&spent) > 0) return 0;
  errno = failure();
  return 1;
}

int fsync(int fd) {
  REAL(fsync, SyncFn);
  return syncFails(fd) ? -1 : real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, SyncFn);
  return syncFails(fd) ? -1 : real_fdatasync(fd);
}
