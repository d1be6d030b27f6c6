// Exported functions about a file rather than its transfers: size, file
// pointer, end of file, flushing, type, and the temporary-file helpers.
//
// The file pointer is the descriptor's own position (lseek), which
// synchronous ReadFile/WriteFile advance, as on Windows; overlapped
// transfers use OVERLAPPED's offset and never move it (spec 67).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <windows.h>

#include <string>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/errors.h"
#include "winapi/file.h"

using winapi::Fail;
using winapi::FileObject;
using winapi::ObjectKind;

namespace {

// A disk file's object; empty for other handles (pipes, sockets, events).
winapi::TypedRef<FileObject> LookupFile(HANDLE handle) {
  return winapi::LookupAs<FileObject>(handle, ObjectKind::kFile);
}

// Looks a file up for a size or position call. Pipes and sockets have
// neither: Windows fails those calls on them with ERROR_INVALID_FUNCTION
// (NtQueryInformationFile's STATUS_INVALID_DEVICE_REQUEST).
bool LookupSeekable(HANDLE handle, winapi::TypedRef<FileObject>* file) {
  *file = LookupFile(handle);
  if (*file) return true;
  winapi::HandleTable::Ref any = winapi::HandleTable::Get().Lookup(winapi::HandleValue(handle));
  if (any && (any.get()->kind() == ObjectKind::kPipe || any.get()->kind() == ObjectKind::kSocket)) {
    Fail(ERROR_INVALID_FUNCTION);
  } else {
    Fail(ERROR_INVALID_HANDLE);
  }
  return false;
}

bool Size(HANDLE handle, int64_t* size) {
  winapi::TypedRef<FileObject> file;
  if (!LookupSeekable(handle, &file)) return false;
  const int64_t result = ring::DefaultSystem().FileSize(file->fd());
  if (result < 0) return Fail(winapi::Win32FromErrno(static_cast<int>(result)));
  *size = result;
  return true;
}

// Moves the file pointer: the new position, or -1 with the last error set.
int64_t Seek(HANDLE handle, int64_t distance, DWORD method) {
  winapi::TypedRef<FileObject> file;
  if (!LookupSeekable(handle, &file)) return -1;
  int whence;
  switch (method) {
    case FILE_BEGIN:
      whence = SEEK_SET;
      break;
    case FILE_CURRENT:
      whence = SEEK_CUR;
      break;
    case FILE_END:
      whence = SEEK_END;
      break;
    default:
      Fail(ERROR_INVALID_PARAMETER);
      return -1;
  }
  const int64_t position = ring::DefaultSystem().Seek(file->fd(), distance, whence);
  if (position == -EINVAL) {
    Fail(ERROR_NEGATIVE_SEEK);  // the only EINVAL left: a position before 0
    return -1;
  }
  if (position < 0) {
    Fail(winapi::Win32FromErrno(static_cast<int>(position)));
    return -1;
  }
  return position;
}

}  // namespace

extern "C" {

DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh) {
  int64_t size;
  if (!Size(hFile, &size)) return INVALID_FILE_SIZE;
  if (lpFileSizeHigh != nullptr) *lpFileSizeHigh = static_cast<DWORD>(size >> 32);
  // A size whose low half is 0xFFFFFFFF is not a failure: the error says so.
  if (static_cast<DWORD>(size) == INVALID_FILE_SIZE) winapi::SetError(NO_ERROR);
  return static_cast<DWORD>(size);
}

BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize) {
  if (lpFileSize == nullptr) return Fail(ERROR_NOACCESS);
  int64_t size;
  if (!Size(hFile, &size)) return FALSE;
  lpFileSize->QuadPart = size;
  return TRUE;
}

DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                            DWORD dwMoveMethod) {
  // Without a high half the distance is a signed 32-bit value.
  const int64_t distance =
      lpDistanceToMoveHigh == nullptr
          ? int64_t{lDistanceToMove}
          : static_cast<int64_t>((uint64_t{static_cast<uint32_t>(*lpDistanceToMoveHigh)} << 32) |
                                 static_cast<uint32_t>(lDistanceToMove));
  const int64_t position = Seek(hFile, distance, dwMoveMethod);
  if (position < 0) return INVALID_SET_FILE_POINTER;
  if (lpDistanceToMoveHigh == nullptr && position > 0xFFFFFFFELL) {
    Fail(ERROR_INVALID_PARAMETER);  // cannot be reported in 32 bits
    return INVALID_SET_FILE_POINTER;
  }
  if (lpDistanceToMoveHigh != nullptr) *lpDistanceToMoveHigh = static_cast<LONG>(position >> 32);
  // As for GetFileSize: a low half of 0xFFFFFFFF with NO_ERROR is a position.
  if (static_cast<DWORD>(position) == INVALID_SET_FILE_POINTER) winapi::SetError(NO_ERROR);
  return static_cast<DWORD>(position);
}

BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                             PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod) {
  const int64_t position = Seek(hFile, liDistanceToMove.QuadPart, dwMoveMethod);
  if (position < 0) return FALSE;
  if (lpNewFilePointer != nullptr) lpNewFilePointer->QuadPart = position;
  return TRUE;
}

BOOL WINAPI SetEndOfFile(HANDLE hFile) {
  winapi::TypedRef<FileObject> file;
  if (!LookupSeekable(hFile, &file)) return FALSE;
  if (!file->writable()) return Fail(ERROR_ACCESS_DENIED);
  ring::System& system = ring::DefaultSystem();
  const int64_t position = system.Seek(file->fd(), 0, SEEK_CUR);
  if (position < 0) return Fail(winapi::Win32FromErrno(static_cast<int>(position)));
  const int rc = system.Truncate(file->fd(), position);
  if (rc < 0) return Fail(winapi::Win32FromErrno(rc));
  return TRUE;
}

BOOL WINAPI FlushFileBuffers(HANDLE hFile) {
  winapi::HandleTable::Ref any = winapi::HandleTable::Get().Lookup(winapi::HandleValue(hFile));
  if (!any) return Fail(ERROR_INVALID_HANDLE);
  if (any.get()->kind() == ObjectKind::kFile) {
    auto* file = static_cast<FileObject*>(any.get());
    if (!file->writable()) return Fail(ERROR_ACCESS_DENIED);        // needs GENERIC_WRITE
    if (file->file_type() != winapi::FileType::kDisk) return TRUE;  // a console: nothing held
    const int rc = ring::DefaultSystem().Sync(file->fd());
    if (rc < 0) return Fail(winapi::Win32FromErrno(rc));
    return TRUE;
  }
  // A pipe's writes are already in the kernel's buffer; Windows would wait
  // for the reader to drain it (docs/PORTING.md).
  if (any.get()->kind() == ObjectKind::kPipe) return TRUE;
  return Fail(ERROR_INVALID_HANDLE);
}

DWORD WINAPI GetFileType(HANDLE hFile) {
  winapi::HandleTable::Ref any = winapi::HandleTable::Get().Lookup(winapi::HandleValue(hFile));
  if (any) {
    switch (any.get()->kind()) {
      case ObjectKind::kFile:
        winapi::SetError(NO_ERROR);
        return static_cast<DWORD>(static_cast<FileObject*>(any.get())->file_type());
      case ObjectKind::kPipe:
      case ObjectKind::kSocket:  // Windows reports sockets as pipes too
        winapi::SetError(NO_ERROR);
        return FILE_TYPE_PIPE;
      case ObjectKind::kStdHandle: {
        // A standard handle is whatever descriptor 0-2 is: a terminal is a
        // character device (a console), a pipe or socket a pipe, a file a
        // disk file, as Windows reports redirected standard handles.
        struct stat st;
        if (fstat(static_cast<winapi::IoObject*>(any.get())->fd(), &st) != 0) break;
        winapi::SetError(NO_ERROR);
        if (S_ISCHR(st.st_mode)) return FILE_TYPE_CHAR;
        if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return FILE_TYPE_PIPE;
        return S_ISREG(st.st_mode) ? FILE_TYPE_DISK : FILE_TYPE_UNKNOWN;
      }
      default:
        break;
    }
  }
  Fail(ERROR_INVALID_HANDLE);
  return FILE_TYPE_UNKNOWN;
}

DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer) {
  // Windows takes TMP, then TEMP, then USERPROFILE, then the Windows
  // directory; here TMPDIR (Linux's name), TMP, TEMP, then /tmp. The result
  // ends with a separator, as Windows' does.
  const char* candidates[] = {getenv("TMPDIR"), getenv("TMP"), getenv("TEMP")};
  std::string path = "/tmp/";
  for (const char* candidate : candidates) {
    if (candidate != nullptr && candidate[0] != '\0') {
      path = winapi::LinuxPath(candidate);
      break;
    }
  }
  if (path.back() != '/') path += '/';
  const DWORD length = static_cast<DWORD>(path.size());
  // Too small: the size needed, counting the terminating NUL.
  if (lpBuffer == nullptr || nBufferLength <= length) return length + 1;
  memcpy(lpBuffer, path.c_str(), length + 1);
  return length;
}

UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique,
                             LPSTR lpTempFileName) {
  if (lpPathName == nullptr || lpTempFileName == nullptr) {
    Fail(ERROR_INVALID_PARAMETER);
    return 0;
  }
  std::string directory = winapi::LinuxPath(lpPathName);
  if (!directory.empty() && directory.back() != '/') directory += '/';
  // The name is <path><up to three prefix characters><hex number>.TMP.
  const std::string prefix =
      lpPrefixString == nullptr ? std::string() : std::string(lpPrefixString).substr(0, 3);
  if (directory.size() + prefix.size() + 8 >= MAX_PATH) {
    Fail(ERROR_BUFFER_OVERFLOW);
    return 0;
  }
  auto name_for = [&](unsigned number) {
    char tail[16];
    snprintf(tail, sizeof(tail), "%X.TMP", number & 0xFFFFu);
    return directory + prefix + tail;
  };
  if (uUnique != 0) {
    // A given number: only the name; the file is not created (as Windows).
    const std::string name = name_for(uUnique);
    memcpy(lpTempFileName, name.c_str(), name.size() + 1);
    return uUnique & 0xFFFFu;
  }
  // Windows starts from the system time and counts up until it can create
  // a file that did not exist.
  ring::System& system = ring::DefaultSystem();
  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  unsigned start = static_cast<unsigned>(now.QuadPart ^ (now.QuadPart >> 16)) & 0xFFFFu;
  for (unsigned i = 0; i < 0xFFFFu; ++i) {
    const unsigned number = ((start + i) % 0xFFFFu) + 1;  // 1..0xFFFF, never 0
    const std::string name = name_for(number);
    const int fd = system.Open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd == -EEXIST) continue;
    if (fd < 0) {
      Fail(fd == -ENOENT || fd == -ENOTDIR ? ERROR_DIRECTORY : winapi::Win32FromErrno(fd));
      return 0;
    }
    system.Close(fd);
    memcpy(lpTempFileName, name.c_str(), name.size() + 1);
    return number;
  }
  Fail(ERROR_FILE_EXISTS);
  return 0;
}

}  // extern "C"
