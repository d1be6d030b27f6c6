// The exported completion-port functions. Thin: validate, look up, delegate
// to CompletionPort, translate the outcome into Win32's return value and last
// error. Where Windows itself would fault on bad input (NULL output pointers)
// we return FALSE with ERROR_INVALID_PARAMETER instead, before touching any
// packet, so bad input never loses a queued completion (docs/PORTING.md).
#include <stddef.h>
#include <windows.h>

#include "winapi/api_util.h"
#include "winapi/errors.h"
#include "winapi/io.h"
#include "winapi/packet.h"
#include "winapi/port.h"

using winapi::CompletionPort;
using winapi::Fail;
using winapi::ObjectKind;
using winapi::Packet;

// GetQueuedCompletionStatusEx dequeues straight into OVERLAPPED_ENTRY.
static_assert(sizeof(Packet) == sizeof(OVERLAPPED_ENTRY), "Packet mirrors OVERLAPPED_ENTRY");
static_assert(offsetof(Packet, key) == offsetof(OVERLAPPED_ENTRY, lpCompletionKey), "");
static_assert(offsetof(Packet, overlapped) == offsetof(OVERLAPPED_ENTRY, lpOverlapped), "");
static_assert(offsetof(Packet, status) == offsetof(OVERLAPPED_ENTRY, Internal), "");
static_assert(offsetof(Packet, bytes) == offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred),
              "");

namespace {

// NT_SUCCESS: success and informational statuses (0 - 0x7FFFFFFF).
bool Succeeded(uintptr_t status) { return static_cast<int32_t>(status) >= 0; }

winapi::TypedRef<CompletionPort> LookupPort(HANDLE handle) {
  winapi::HandleTable::Ref ref =
      winapi::HandleTable::Get().LookupCached(winapi::HandleValue(handle));
  if (!ref || ref.get()->kind() != ObjectKind::kPort) return {};
  return winapi::TypedRef<CompletionPort>{std::move(ref)};
}

// The port a GQCS(Ex) call waits on. A worker passes the same handle each
// time: while that handle stays open, the thread's association
// (ThreadState::port, a reference) already holds its port, and one load of
// the handle's slot replaces the lookup. Otherwise `ref` holds the looked-up
// port for the call. Null: not a port handle.
CompletionPort* PortForWait(HANDLE handle, winapi::TypedRef<CompletionPort>* ref) {
  const winapi::ThreadState& self = winapi::ThreadState::Current();
  const uintptr_t value = winapi::HandleValue(handle);
  if (self.port && value == self.port_handle && self.port_watch.StillOpen()) {
    return self.port.get();
  }
  *ref = LookupPort(handle);
  return ref->get();
}

// After a wait on `port` through `handle`: the next wait may skip the lookup
// if the thread is (still) associated with it.
void RememberPortHandle(CompletionPort* port, HANDLE handle) {
  winapi::ThreadState& self = winapi::ThreadState::Current();
  const uintptr_t value = self.port.get() == port ? winapi::HandleValue(handle) : 0;
  if (value == self.port_handle) return;
  self.port_handle = value;
  self.port_watch =
      value != 0 ? winapi::HandleTable::Get().Watch(value) : winapi::HandleTable::OpenWatch();
}

HANDLE NewPort(DWORD concurrency) {
  uint32_t error = 0;
  CompletionPort* port = CompletionPort::Create(concurrency, &error);
  if (port == nullptr) {
    winapi::SetError(error);
    return nullptr;
  }
  uintptr_t handle = winapi::HandleTable::Get().Insert(port);
  port->Unref();  // the table holds it now (or nobody, if it was full)
  if (handle == 0) {
    winapi::SetError(winapi::kErrorNotEnoughMemory);
    return nullptr;
  }
  return reinterpret_cast<HANDLE>(handle);
}

}  // namespace

extern "C" {

HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                     ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads) {
  if (FileHandle == INVALID_HANDLE_VALUE) {
    // Creating a port: a port argument makes no sense (spec 6).
    if (ExistingCompletionPort != nullptr) {
      Fail(ERROR_INVALID_PARAMETER);
      return nullptr;
    }
    return NewPort(NumberOfConcurrentThreads);
  }
  // Associating a file or socket with a port: an existing
  // one, or a new one made for it.
  winapi::HandleTable::Ref ref = winapi::HandleTable::Get().Lookup(winapi::HandleValue(FileHandle));
  if (!ref) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  if (ref.get()->kind() != ObjectKind::kFile && ref.get()->kind() != ObjectKind::kSocket &&
      ref.get()->kind() != ObjectKind::kPipe) {
    Fail(ERROR_INVALID_PARAMETER);  // not a handle that does overlapped I/O
    return nullptr;
  }
  auto* file = static_cast<winapi::IoObject*>(ref.get());
  if (!file->overlapped()) {
    Fail(ERROR_INVALID_PARAMETER);  // spec 5: not opened for overlapped I/O
    return nullptr;
  }
  HANDLE port_handle = ExistingCompletionPort;
  if (port_handle == nullptr) {
    port_handle = NewPort(NumberOfConcurrentThreads);
    if (port_handle == nullptr) return nullptr;
  }
  auto port = LookupPort(port_handle);
  if (!port) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  if (!file->Associate(port.get(), CompletionKey)) {
    if (ExistingCompletionPort == nullptr) CloseHandle(port_handle);
    Fail(ERROR_INVALID_PARAMETER);  // spec 5: one port per handle, for life
    return nullptr;
  }
  return port_handle;  // exactly the port given (spec 2)
}

}  // extern "C"

namespace {

// GQCS's outcome as Win32 returns it.
__attribute__((always_inline)) inline BOOL ReportDequeue(CompletionPort::WaitResult result,
                                                         const Packet& packet,
                                                         LPDWORD lpNumberOfBytesTransferred,
                                                         PULONG_PTR lpCompletionKey,
                                                         LPOVERLAPPED* lpOverlapped) {
  switch (result) {
    case CompletionPort::WaitResult::kDequeued:
      *lpNumberOfBytesTransferred = packet.bytes;
      *lpCompletionKey = packet.key;
      *lpOverlapped = static_cast<LPOVERLAPPED>(packet.overlapped);
      // A failed I/O packet: FALSE with the overlapped and its error (spec 12).
      if (!Succeeded(packet.status)) {
        return Fail(winapi::Win32FromStatus(static_cast<uint32_t>(packet.status)));
      }
      return TRUE;  // last error untouched (spec 11)
    case CompletionPort::WaitResult::kTimeout:
      *lpOverlapped = nullptr;  // bytes and key unchanged (spec 13)
      return Fail(WAIT_TIMEOUT);
    case CompletionPort::WaitResult::kAbandoned:
    case CompletionPort::WaitResult::kApc:  // not alertable: cannot happen
      *lpOverlapped = nullptr;
      return Fail(ERROR_ABANDONED_WAIT_0);
  }
  return Fail(ERROR_INVALID_PARAMETER);
}

// GQCS through a handle the thread did not just wait through: looked up.
__attribute__((noinline)) BOOL DequeueLookingUp(HANDLE handle, LPDWORD lpNumberOfBytesTransferred,
                                                PULONG_PTR lpCompletionKey,
                                                LPOVERLAPPED* lpOverlapped, DWORD dwMilliseconds) {
  winapi::TypedRef<winapi::CompletionPort> port = LookupPort(handle);
  if (!port) return Fail(ERROR_INVALID_HANDLE);
  Packet packet;
  uint32_t count = 0;
  const auto result = port->Dequeue(&packet, 1, &count, dwMilliseconds, /*alertable=*/false);
  RememberPortHandle(port.get(), handle);
  return ReportDequeue(result, packet, lpNumberOfBytesTransferred, lpCompletionKey, lpOverlapped);
}

}  // namespace

extern "C" {

BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                      PULONG_PTR lpCompletionKey, LPOVERLAPPED* lpOverlapped,
                                      DWORD dwMilliseconds) {
  if (lpNumberOfBytesTransferred == nullptr || lpCompletionKey == nullptr ||
      lpOverlapped == nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  winapi::ThreadState& self = winapi::ThreadState::Current();
  if (!self.port || winapi::HandleValue(CompletionPort) != self.port_handle ||
      !self.port_watch.StillOpen()) {
    return DequeueLookingUp(CompletionPort, lpNumberOfBytesTransferred, lpCompletionKey,
                            lpOverlapped, dwMilliseconds);
  }
  // A worker's wait through the handle it waited through last (see
  // PortForWait): the association holds the port, and stays unless the
  // port is closed under the wait (then it ends, and the handle with it).
  winapi::CompletionPort* port = self.port.get();
  Packet packet;
  if (port->TakeOne(self, &packet)) {
    return ReportDequeue(CompletionPort::WaitResult::kDequeued, packet, lpNumberOfBytesTransferred,
                         lpCompletionKey, lpOverlapped);
  }
  uint32_t count = 0;
  const auto result = port->Dequeue(&packet, 1, &count, dwMilliseconds, /*alertable=*/false);
  if (__builtin_expect(result == CompletionPort::WaitResult::kAbandoned, 0)) {
    RememberPortHandle(port, CompletionPort);
  }
  return ReportDequeue(result, packet, lpNumberOfBytesTransferred, lpCompletionKey, lpOverlapped);
}

BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                        LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                        PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                        BOOL fAlertable) {
  if (lpCompletionPortEntries == nullptr || ulNumEntriesRemoved == nullptr || ulCount == 0) {
    return Fail(ERROR_INVALID_PARAMETER);  // spec 21: before anything is dequeued
  }
  winapi::TypedRef<winapi::CompletionPort> looked_up;
  winapi::CompletionPort* port = PortForWait(CompletionPort, &looked_up);
  if (port == nullptr) return Fail(ERROR_INVALID_HANDLE);
  uint32_t count = 0;
  auto* out = reinterpret_cast<Packet*>(lpCompletionPortEntries);
  const auto result = port->Dequeue(out, ulCount, &count, dwMilliseconds, fAlertable != FALSE);
  RememberPortHandle(port, CompletionPort);
  *ulNumEntriesRemoved = count;  // 0 unless something was dequeued (spec 22)
  switch (result) {
    case CompletionPort::WaitResult::kDequeued:
      return TRUE;  // even if some of the I/O failed (spec 21)
    case CompletionPort::WaitResult::kTimeout:
      return Fail(WAIT_TIMEOUT);
    case CompletionPort::WaitResult::kAbandoned:
      return Fail(ERROR_ABANDONED_WAIT_0);
    case CompletionPort::WaitResult::kApc:
      winapi::ThreadState::Current().shared->RunAll();
      return Fail(WAIT_IO_COMPLETION);  // spec 23
  }
  return Fail(ERROR_INVALID_PARAMETER);
}

BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                       ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped) {
  auto port = LookupPort(CompletionPort);
  if (!port) return Fail(ERROR_INVALID_HANDLE);
  Packet packet;
  packet.key = dwCompletionKey;
  packet.overlapped = lpOverlapped;  // never validated (spec 25)
  packet.bytes = dwNumberOfBytesTransferred;
  if (!port->Post(packet)) return Fail(ERROR_INVALID_HANDLE);
  return TRUE;
}

}  // extern "C"
