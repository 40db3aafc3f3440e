/*
 * A storage fault for one directory, injected under a running authbin with LD_PRELOAD (Linux
 * refuses `mount -o remount,ro` while a file is open for writing, so a read-only disk cannot be
 * made for real under a live server).
 *
 *   AUTHBIN_FAULT_DIR    the directory whose files are watched (an absolute path)
 *   AUTHBIN_FAULT_FLAG   while this file exists, writing there fails with EROFS: write, pwrite,
 *                        pwritev, fsync, fdatasync, ftruncate, fallocate and opening for writing
 *   AUTHBIN_SYNC_FILE    a file (say the database's -wal) whose fsync/fdatasync calls are counted:
 *   AUTHBIN_SYNC_COUNT   one byte appended to this file per call
 *
 * The flag is a file, not a signal: Node takes SIGUSR1 for its inspector, and a file can be set and
 * lifted by the test without racing the process's own signal handlers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *watched_dir(void) { return getenv("AUTHBIN_FAULT_DIR"); }

static int under_dir(const char *path) {
  const char *dir = watched_dir();
  if (!dir || !path) return 0;
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int fd_path(int fd, char *out, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, out, size - 1);
  if (n < 0) return 0;
  out[n] = '\0';
  return 1;
}

static int fault_on(void) {
  const char *flag = getenv("AUTHBIN_FAULT_FLAG");
  return flag && access(flag, F_OK) == 0;
}

/* Whether a write to `fd` must fail now (the flag is checked first: one syscall on the common path). */
static int refuse_fd(int fd) {
  if (!watched_dir() || !fault_on()) return 0;
  char path[4096];
  return fd_path(fd, path, sizeof path) && under_dir(path);
}

static void count_sync(int fd) {
  const char *file = getenv("AUTHBIN_SYNC_FILE");
  const char *count = getenv("AUTHBIN_SYNC_COUNT");
  if (!file || !count) return;
  char path[4096];
  if (!fd_path(fd, path, sizeof path) || strcmp(path, file) != 0) return;
  /* Raw syscalls: the wrappers below would watch these writes too. */
  int out = syscall(SYS_openat, AT_FDCWD, count, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (out < 0) return;
  syscall(SYS_write, out, "s", 1);
  syscall(SYS_close, out);
}

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

static int opens_for_writing(int flags) { return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0; }

ssize_t write(int fd, const void *buf, size_t count) {
  REAL(write);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  REAL(pwrite);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  REAL(pwrite64);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_pwrite64(fd, buf, count, offset);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) {
  REAL(pwritev);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_pwritev(fd, iov, iovcnt, offset);
}

int fsync(int fd) {
  REAL(fsync);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  count_sync(fd);
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  count_sync(fd);
  return real_fdatasync(fd);
}

int ftruncate(int fd, off_t length) {
  REAL(ftruncate);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length) {
  REAL(ftruncate64);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_ftruncate64(fd, length);
}

int fallocate(int fd, int mode, off_t offset, off_t len) {
  REAL(fallocate);
  if (refuse_fd(fd)) { errno = EROFS; return -1; }
  return real_fallocate(fd, mode, offset, len);
}

static int refuse_open(const char *path, int flags) {
  return opens_for_writing(flags) && under_dir(path) && fault_on();
}

#define OPEN_MODE(flags) mode_t mode = 0; if ((flags) & (O_CREAT | O_TMPFILE)) { va_list args; va_start(args, flags); mode = va_arg(args, mode_t); va_end(args); }

int open(const char *path, int flags, ...) {
  REAL(open);
  OPEN_MODE(flags);
  if (refuse_open(path, flags)) { errno = EROFS; return -1; }
  return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
  REAL(open64);
  OPEN_MODE(flags);
  if (refuse_open(path, flags)) { errno = EROFS; return -1; }
  return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
  REAL(openat);
  OPEN_MODE(flags);
  if (refuse_open(path, flags)) { errno = EROFS; return -1; }
  return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
  REAL(openat64);
  OPEN_MODE(flags);
  if (refuse_open(path, flags)) { errno = EROFS; return -1; }
  return real_openat64(dirfd, path, flags, mode);
}
