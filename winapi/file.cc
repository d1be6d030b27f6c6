#include "winapi/file.h"

#include <errno.h>
#include <fcntl.h>

#include <new>

#include "ring/default_ring.h"
#include "winapi/errors.h"

namespace winapi {
namespace {

constexpr uint32_t kGenericRead = 0x80000000u;
constexpr uint32_t kGenericWrite = 0x40000000u;
constexpr uint32_t kGenericAll = 0x10000000u;
constexpr uint32_t kCreateNew = 1, kCreateAlways = 2, kOpenExisting = 3, kOpenAlways = 4,
                   kTruncateExisting = 5;
constexpr uint32_t kFlagWriteThrough = 0x80000000u;
constexpr uint32_t kFlagOverlapped = 0x40000000u;
constexpr uint32_t kFlagNoBuffering = 0x20000000u;
constexpr uint32_t kFlagDeleteOnClose = 0x04000000u;

constexpr uint32_t kErrorPathNotFound = 3;
constexpr uint32_t kErrorTooManyOpenFiles = 4;
constexpr uint32_t kErrorFileExists = 80;
constexpr uint32_t kErrorAlreadyExists = 183;
constexpr uint32_t kErrorFilenameTooLong = 206;

uint32_t OpenError(int negative_errno) {
  switch (-negative_errno) {
    case ENOENT:
      return kErrorFileNotFound;
    case ENOTDIR:
      return kErrorPathNotFound;
    case EEXIST:
      return kErrorFileExists;
    case EACCES:
    case EPERM:
    case EISDIR:
    case EROFS:
      return kErrorAccessDenied;
    case EMFILE:
    case ENFILE:
      return kErrorTooManyOpenFiles;
    case ENAMETOOLONG:
      return kErrorFilenameTooLong;
    default:
      return Win32FromErrno(negative_errno);
  }
}

}  // namespace

std::string LinuxPath(const char* name) {
  std::string path(name);
  for (char& c : path) {
    if (c == '\\') c = '/';
  }
  return path;
}

FileObject::~FileObject() { ring::DefaultSystem().Close(fd()); }

void FileObject::OnLastHandleClosed() {
  IoObject::OnLastHandleClosed();
  if (!delete_on_close_path_.empty()) ring::DefaultSystem().Unlink(delete_on_close_path_.c_str());
}

CreateFileResult CreateFileObject(const char* name, uint32_t access, uint32_t disposition,
                                  uint32_t flags) {
  CreateFileResult result;
  if (name == nullptr || *name == '\0') {
    result.error = kErrorPathNotFound;
    return result;
  }
  const bool read = (access & (kGenericRead | kGenericAll)) != 0;
  const bool write = (access & (kGenericWrite | kGenericAll)) != 0;
  int open_flags = read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY;
  if (flags & kFlagWriteThrough) open_flags |= O_DSYNC;
  // FILE_FLAG_NO_BUFFERING bypasses the page cache: O_DIRECT. File systems
  // without O_DIRECT (tmpfs) refuse it at open; the file is then cached,
  // which only a benchmark can tell, and the alignment rules still hold.
  const bool no_buffering = (flags & kFlagNoBuffering) != 0;
  const std::string path = LinuxPath(name);
  ring::System& system = ring::DefaultSystem();

  // Whether the file existed decides ERROR_ALREADY_EXISTS for the *_ALWAYS
  // dispositions; try the exclusive create first to know without a race.
  bool existed = false;
  int fd;
  auto open = [&](int extra_flags, mode_t mode) {
    int opened =
        system.Open(path.c_str(), open_flags | extra_flags | (no_buffering ? O_DIRECT : 0), mode);
    if (opened == -EINVAL && no_buffering)
      opened = system.Open(path.c_str(), open_flags | extra_flags, mode);
    return opened;
  };
  switch (disposition) {
    case kCreateNew:
      fd = open(O_CREAT | O_EXCL, 0644);
      break;
    case kCreateAlways:
    case kOpenAlways:
      fd = open(O_CREAT | O_EXCL, 0644);
      if (fd == -EEXIST) {
        existed = true;
        fd = open(disposition == kCreateAlways ? O_TRUNC : 0, 0644);
      }
      break;
    case kOpenExisting:
      fd = open(0, 0);
      break;
    case kTruncateExisting:
      if (!write) {
        result.error = kErrorInvalidParameter;  // needs GENERIC_WRITE
        return result;
      }
      fd = open(O_TRUNC, 0);
      break;
    default:
      result.error = kErrorInvalidParameter;
      return result;
  }
  if (fd < 0) {
    result.error = OpenError(fd);
    return result;
  }
  std::string delete_path = (flags & kFlagDeleteOnClose) ? path : std::string();
  result.file = new (std::nothrow) FileObject(fd, (flags & kFlagOverlapped) != 0, delete_path);
  if (result.file == nullptr) {
    system.Close(fd);
    result.error = kErrorNotEnoughMemory;
    return result;
  }
  result.file->set_writable(write);
  result.file->set_no_buffering(no_buffering);
  result.error = existed ? kErrorAlreadyExists : 0;
  return result;
}

}  // namespace winapi
