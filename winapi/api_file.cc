// Exported file and overlapped-result functions: CreateFileA, ReadFile(Ex),
// WriteFile(Ex), DeleteFileA, GetOverlappedResult(Ex), CancelIo(Ex),
// SetFileCompletionNotificationModes.
//
// Overlapped requests always pend (FALSE + ERROR_IO_PENDING) and complete
// through the ring; Windows may also complete them synchronously (spec 69),
// so programs handle both, and a packet is queued either way.
#include <stddef.h>
#include <sys/socket.h>
#include <windows.h>

#include <atomic>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/console.h"
#include "winapi/errors.h"
#include "winapi/file.h"
#include "winapi/futex.h"
#include "winapi/io.h"
#include "winapi/pipe.h"

using winapi::Fail;
using winapi::FileObject;
using winapi::IoKind;
using winapi::IoObject;
using winapi::IoOperation;
using winapi::ObjectKind;

static_assert(offsetof(OVERLAPPED, Internal) == 0, "");
static_assert(offsetof(OVERLAPPED, InternalHigh) == 8, "");
static_assert(offsetof(OVERLAPPED, hEvent) == 24, "");

namespace {

// A file, pipe or socket handle's object.
winapi::TypedRef<IoObject> LookupIo(HANDLE handle) {
  winapi::HandleTable::Ref ref =
      winapi::HandleTable::Get().LookupCached(winapi::HandleValue(handle));
  if (!ref) return {};
  const ObjectKind kind = ref.get()->kind();
  if (kind != ObjectKind::kFile && kind != ObjectKind::kSocket && kind != ObjectKind::kPipe) {
    return {};
  }
  return winapi::TypedRef<IoObject>{std::move(ref)};
}

ULONG_PTR LoadInternal(const OVERLAPPED* overlapped) {
  return __atomic_load_n(&overlapped->Internal, __ATOMIC_ACQUIRE);
}

// ReadFile/WriteFile, and ReadFileEx/WriteFileEx when `routine` is set.
BOOL Transfer(IoKind kind, HANDLE file_handle, void* buffer, DWORD length, LPDWORD transferred,
              LPOVERLAPPED overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr) {
  auto file = LookupIo(file_handle);
  if (!file) {
    // The standard handles: the process's own descriptors, outside the ring.
    auto host = winapi::LookupAs<winapi::HostFileObject>(file_handle, ObjectKind::kStdHandle);
    if (host) {
      return winapi::HostTransfer(host.get(), kind == IoKind::kRead, buffer, length, transferred,
                                  overlapped);
    }
    return Fail(ERROR_INVALID_HANDLE);
  }
  if (transferred != nullptr) *transferred = 0;  // Windows zeroes it first
  if (buffer == nullptr && length > 0) return Fail(ERROR_NOACCESS);
  if (file->overlapped() && overlapped == nullptr) return Fail(ERROR_INVALID_PARAMETER);  // spec 67
  if (routine != nullptr && (!file->overlapped() || file->port() != nullptr)) {
    // ReadFileEx/WriteFileEx need an overlapped handle, and a handle with a
    // port reports there, never through an APC (as for WSARecv, spec 8).
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if (file->kind() == ObjectKind::kPipe) {
    const uint32_t error =
        static_cast<winapi::PipeObject*>(file.get())->TransferError(kind == IoKind::kRead);
    if (error != 0) return Fail(error);
  }
  if (file->kind() == ObjectKind::kFile && static_cast<FileObject*>(file.get())->no_buffering()) {
    // FILE_FLAG_NO_BUFFERING: whole sectors, from sector-aligned memory.
    const uint64_t offset = overlapped == nullptr ? 0 : winapi::OverlappedOffset(overlapped);
    if (reinterpret_cast<uintptr_t>(buffer) % winapi::kSectorSize != 0 ||
        length % winapi::kSectorSize != 0 || offset % winapi::kSectorSize != 0) {
      return Fail(ERROR_INVALID_PARAMETER);
    }
  }

  // ReadFileEx/WriteFileEx's routine rides in the record's extension.
  IoOperation* op =
      routine != nullptr ? winapi::OperationPool::GetExtended() : winapi::OperationPool::Get();
  if (op == nullptr) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  op->kind = kind;
  op->requested = length;
  op->overlapped = overlapped;
  uint64_t offset = ring::kCurrentPosition;
  if (overlapped != nullptr) {
    offset = winapi::OverlappedOffset(overlapped);
    // A socket has no position: Windows ignores the offset.
    if (file->kind() == ObjectKind::kSocket) offset = ring::kCurrentPosition;
    // ReadFileEx/WriteFileEx leave hEvent to the program.
    if (routine == nullptr) op->event = reinterpret_cast<uintptr_t>(overlapped->hEvent);
  }
  if (routine != nullptr) {
    // Through void(*)(): the one function-pointer type GCC lets any other
    // convert to without a warning. RunRoutineCall casts it back.
    winapi::RequestExtension* extension = op->extension;
    extension->routine =
        reinterpret_cast<winapi::CompletionRoutine>(reinterpret_cast<void (*)()>(routine));
    extension->routine_kind = winapi::RoutineKind::kFile;
    extension->routine_thread = winapi::ThreadState::Current().shared;
    extension->routine_thread->Ref();
  }
  ring::Request request = kind == IoKind::kRead
                              ? ring::Request::Read(file->fd(), buffer, length, offset, 0)
                              : ring::Request::Write(file->fd(), buffer, length, offset, 0);
  if (file->kind() != ObjectKind::kFile && kind == IoKind::kWrite) {
    // WriteFile on a socket (or a pipe, made of one) is a send: whole, as
    // on Windows, and without SIGPIPE.
    request = ring::Request::Send(file->fd(), buffer, length, MSG_NOSIGNAL | MSG_WAITALL, 0);
  }

  if (file->overlapped()) {
    // Pending from here; restored if the request cannot even start (spec 19:
    // a synchronous failure leaves the fields untouched).
    const ULONG_PTR old_internal = overlapped->Internal;
    const ULONG_PTR old_high = overlapped->InternalHigh;
    overlapped->InternalHigh = 0;
    __atomic_store_n(&overlapped->Internal, ULONG_PTR{winapi::kStatusPending}, __ATOMIC_RELEASE);
    int rc = file->Start(request, op);
    if (rc < 0) {
      overlapped->Internal = old_internal;
      overlapped->InternalHigh = old_high;
      return Fail(winapi::Win32FromErrno(rc));
    }
    if (routine != nullptr) {  // ReadFileEx/WriteFileEx: TRUE, and the routine will run
      winapi::SetError(ERROR_SUCCESS);
      return TRUE;
    }
    return Fail(ERROR_IO_PENDING);
  }

  // A synchronous handle: wait for this request (blocked elsewhere).
  uint32_t bytes = 0;
  const uint32_t status = file->StartAndWait(request, op, &bytes);
  // End of file on a synchronous handle is TRUE with 0 bytes; a pipe's
  // closed other end is an error (ERROR_BROKEN_PIPE).
  if (status != winapi::kStatusSuccess && status != winapi::kStatusEndOfFile) {
    return Fail(winapi::Win32FromStatus(status));
  }
  if (transferred != nullptr) *transferred = bytes;
  return TRUE;
}

}  // namespace

extern "C" {

HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) {
  (void)dwShareMode;  // Linux has no mandatory sharing modes (docs/PORTING.md)
  (void)lpSecurityAttributes;
  (void)hTemplateFile;
  if (winapi::IsPipeName(lpFileName)) {  // a named pipe's client end
    if (dwCreationDisposition != OPEN_EXISTING) {
      Fail(ERROR_INVALID_PARAMETER);
      return INVALID_HANDLE_VALUE;
    }
    uint32_t error = 0;
    winapi::PipeObject* pipe =
        winapi::ConnectToNamedPipe(lpFileName, dwDesiredAccess, dwFlagsAndAttributes, &error);
    if (pipe == nullptr) {
      Fail(error);
      return INVALID_HANDLE_VALUE;
    }
    return winapi::InsertFileHandle(pipe);
  }
  winapi::CreateFileResult created = winapi::CreateFileObject(
      lpFileName, dwDesiredAccess, dwCreationDisposition, dwFlagsAndAttributes);
  if (created.file == nullptr) {
    Fail(created.error);
    return INVALID_HANDLE_VALUE;
  }
  HANDLE handle = winapi::InsertFileHandle(created.file);
  if (handle != INVALID_HANDLE_VALUE) winapi::SetError(created.error);  // ERROR_ALREADY_EXISTS or 0
  return handle;
}

BOOL WINAPI DeleteFileA(LPCSTR lpFileName) {
  if (lpFileName == nullptr) return Fail(ERROR_PATH_NOT_FOUND);
  int rc = ring::DefaultSystem().Unlink(winapi::LinuxPath(lpFileName).c_str());
  if (rc == -ENOENT) return Fail(ERROR_FILE_NOT_FOUND);
  if (rc == -EACCES || rc == -EPERM || rc == -EISDIR) return Fail(ERROR_ACCESS_DENIED);
  if (rc < 0) return Fail(winapi::Win32FromErrno(rc));
  return TRUE;
}

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                     LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped) {
  return Transfer(IoKind::kRead, hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead,
                  lpOverlapped);
}

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                      LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped) {
  return Transfer(IoKind::kWrite, hFile, const_cast<void*>(lpBuffer), nNumberOfBytesToWrite,
                  lpNumberOfBytesWritten, lpOverlapped);
}

BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                       LPOVERLAPPED lpOverlapped,
                       LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  if (lpCompletionRoutine == nullptr || lpOverlapped == nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  return Transfer(IoKind::kRead, hFile, lpBuffer, nNumberOfBytesToRead, nullptr, lpOverlapped,
                  lpCompletionRoutine);
}

BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                        LPOVERLAPPED lpOverlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  if (lpCompletionRoutine == nullptr || lpOverlapped == nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  return Transfer(IoKind::kWrite, hFile, const_cast<void*>(lpBuffer), nNumberOfBytesToWrite,
                  nullptr, lpOverlapped, lpCompletionRoutine);
}

BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                  LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds,
                                  BOOL bAlertable) {
  if (lpOverlapped == nullptr || lpNumberOfBytesTransferred == nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  auto file = LookupIo(hFile);
  if (!file) return Fail(ERROR_INVALID_HANDLE);
  if (LoadInternal(lpOverlapped) == winapi::kStatusPending) {
    if (dwMilliseconds == 0) return Fail(ERROR_IO_INCOMPLETE);  // spec 39, 41
    uint32_t waited =
        winapi::WaitForOperation(file.get(), lpOverlapped, dwMilliseconds, bAlertable != FALSE);
    if (waited == winapi::kWaitIoCompletion) return Fail(WAIT_IO_COMPLETION);
    if (waited == winapi::kWaitTimeout) return Fail(WAIT_TIMEOUT);  // spec 41
  }
  const ULONG_PTR status = LoadInternal(lpOverlapped);
  *lpNumberOfBytesTransferred = static_cast<DWORD>(lpOverlapped->InternalHigh);  // even on failure
  if (static_cast<int32_t>(status) < 0) {
    return Fail(winapi::Win32FromStatus(static_cast<uint32_t>(status)));
  }
  return TRUE;
}

BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                LPDWORD lpNumberOfBytesTransferred, BOOL bWait) {
  return GetOverlappedResultEx(hFile, lpOverlapped, lpNumberOfBytesTransferred,
                               bWait ? INFINITE : 0, FALSE);
}

BOOL WINAPI CancelIo(HANDLE hFile) {
  auto file = LookupIo(hFile);
  if (!file) return Fail(ERROR_INVALID_HANDLE);
  file->Cancel(nullptr, winapi::CurrentThreadKey());  // this thread's requests (spec 32)
  return TRUE;
}

BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) {
  auto file = LookupIo(hFile);
  if (!file) return Fail(ERROR_INVALID_HANDLE);
  if (file->Cancel(lpOverlapped, 0) == 0) return Fail(ERROR_NOT_FOUND);  // spec 33
  return TRUE;
}

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags) {
  auto file = LookupIo(FileHandle);
  if (!file) return Fail(ERROR_INVALID_HANDLE);
  // Sticky and cumulative; unknown bits ignored (spec 31).
  file->AddNotificationModes(
      Flags & (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE));
  return TRUE;
}

}  // extern "C"
