// Exported pipe functions: CreatePipe, CreateNamedPipeA, ConnectNamedPipe,
// DisconnectNamedPipe, WaitNamedPipeA, PeekNamedPipe. Transfers are
// ReadFile/WriteFile (api_file.cc); clients connect with CreateFileA.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <windows.h>

#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/errors.h"
#include "winapi/pipe.h"

using winapi::Fail;
using winapi::ObjectKind;
using winapi::PipeObject;

extern "C" {

BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
                       LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize) {
  (void)lpPipeAttributes;  // inheritance: no child processes here
  (void)nSize;             // the kernel's socket buffers size themselves
  if (hReadPipe == nullptr || hWritePipe == nullptr) return Fail(ERROR_NOACCESS);
  PipeObject* read_end;
  PipeObject* write_end;
  const uint32_t error = winapi::CreateAnonymousPipe(&read_end, &write_end);
  if (error != 0) return Fail(error);
  HANDLE read_handle = winapi::InsertFileHandle(read_end);
  if (read_handle == INVALID_HANDLE_VALUE) {
    write_end->Unref();
    return FALSE;
  }
  HANDLE write_handle = winapi::InsertFileHandle(write_end);
  if (write_handle == INVALID_HANDLE_VALUE) {
    CloseHandle(read_handle);
    return FALSE;
  }
  *hReadPipe = read_handle;
  *hWritePipe = write_handle;
  return TRUE;
}

HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                               DWORD nMaxInstances, DWORD nOutBufferSize, DWORD nInBufferSize,
                               DWORD nDefaultTimeOut, LPSECURITY_ATTRIBUTES lpSecurityAttributes) {
  (void)nOutBufferSize;  // advisory on Windows too
  (void)nInBufferSize;
  (void)lpSecurityAttributes;
  uint32_t error = 0;
  PipeObject* pipe = winapi::CreateNamedPipeInstance(lpName, dwOpenMode, dwPipeMode, nMaxInstances,
                                                     nDefaultTimeOut, &error);
  if (pipe == nullptr) {
    Fail(error);
    return INVALID_HANDLE_VALUE;
  }
  return winapi::InsertFileHandle(pipe);
}

BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped) {
  auto pipe = winapi::LookupAs<PipeObject>(hNamedPipe, ObjectKind::kPipe);
  if (!pipe) return Fail(ERROR_INVALID_HANDLE);
  if (pipe->overlapped() && lpOverlapped == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  // With an extension: its request (an accept on the name's listener, not on
  // the pipe's own descriptor) is then kept whole for a restart
  // (IoOperation::RestartAfterSubmitterExit). Once per client, so cheap.
  winapi::IoOperation* op = winapi::OperationPool::GetExtended();
  if (op == nullptr) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  op->requested = 0;
  if (!pipe->overlapped()) {
    // Blocks until a client connects (blocked elsewhere, for a port).
    winapi::SyncWait wait;
    wait.Attach(op);
    bool started = false;
    const uint32_t error = pipe->Connect(op, &started);
    if (!started) {
      winapi::OperationPool::Put(op);
      return Fail(error);
    }
    wait.Await();
    if (wait.status != winapi::kStatusSuccess) return Fail(winapi::Win32FromStatus(wait.status));
    return TRUE;
  }
  op->overlapped = lpOverlapped;
  op->event = reinterpret_cast<uintptr_t>(lpOverlapped->hEvent);
  const ULONG_PTR old_internal = lpOverlapped->Internal;
  const ULONG_PTR old_high = lpOverlapped->InternalHigh;
  lpOverlapped->InternalHigh = 0;
  __atomic_store_n(&lpOverlapped->Internal, ULONG_PTR{winapi::kStatusPending}, __ATOMIC_RELEASE);
  bool started = false;
  const uint32_t error = pipe->Connect(op, &started);
  if (!started) {
    // ERROR_PIPE_CONNECTED (a client came first) and refusals complete
    // nothing: no packet, no event, the OVERLAPPED as it was.
    lpOverlapped->Internal = old_internal;
    lpOverlapped->InternalHigh = old_high;
    winapi::OperationPool::Put(op);
    return Fail(error);
  }
  return Fail(ERROR_IO_PENDING);
}

BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe) {
  auto pipe = winapi::LookupAs<PipeObject>(hNamedPipe, ObjectKind::kPipe);
  if (!pipe) return Fail(ERROR_INVALID_HANDLE);
  if (!pipe->Disconnect()) return Fail(ERROR_INVALID_FUNCTION);  // a client end
  return TRUE;
}

BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut) {
  const uint32_t error = winapi::WaitForNamedPipe(lpNamedPipeName, nTimeOut);
  if (error != 0) return Fail(error);
  return TRUE;
}

BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize,
                          LPDWORD lpBytesRead, LPDWORD lpTotalBytesAvail,
                          LPDWORD lpBytesLeftThisMessage) {
  auto pipe = winapi::LookupAs<PipeObject>(hNamedPipe, ObjectKind::kPipe);
  if (!pipe) return Fail(ERROR_INVALID_HANDLE);
  const uint32_t error = pipe->TransferError(true);
  if (error != 0) return Fail(error);
  // Peeks into a scratch buffer large enough to count what is waiting
  // (up to 64 KiB, as for FIONREAD) and copies what the caller asked for.
  static thread_local char scratch[65536];
  iovec vector = {scratch, sizeof(scratch)};
  msghdr message = {};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  const ssize_t peeked = ring::DefaultSystem().RecvMsg(pipe->fd(), &message, MSG_PEEK);
  if (peeked == 0) return Fail(ERROR_BROKEN_PIPE);  // the other end is gone, nothing left
  if (peeked < 0 && peeked != -EAGAIN) {
    return Fail(peeked == -ECONNRESET ? ERROR_BROKEN_PIPE
                                      : winapi::Win32FromErrno(static_cast<int>(peeked)));
  }
  const DWORD available = peeked < 0 ? 0 : static_cast<DWORD>(peeked);
  const DWORD copied =
      lpBuffer == nullptr ? 0 : (available < nBufferSize ? available : nBufferSize);
  if (copied > 0) memcpy(lpBuffer, scratch, copied);
  if (lpBytesRead != nullptr) *lpBytesRead = copied;
  if (lpTotalBytesAvail != nullptr) *lpTotalBytesAvail = available;
  if (lpBytesLeftThisMessage != nullptr) *lpBytesLeftThisMessage = 0;  // byte mode
  return TRUE;
}

}  // extern "C"
