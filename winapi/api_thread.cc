// Exported handle, error, thread, wait, event and time functions: what a
// worker-pool IOCP program needs around its port. Waits here count as
// "blocked elsewhere" for the port's concurrency limit (BlockingScope).
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <windows.h>

#include <atomic>
#include <new>

#include "winapi/api_util.h"
#include "winapi/clock.h"
#include "winapi/errors.h"
#include "winapi/waitable.h"

using winapi::Event;
using winapi::Fail;
using winapi::HandleTable;
using winapi::ObjectKind;
using winapi::ThreadObject;
using winapi::ThreadState;
using winapi::Waitable;

namespace {

// Thread ids: Windows' are small multiples of 4, never 0. One counter serves
// CreateThread'd threads (assigned before they run, so CreateThread can
// return it) and every other thread (assigned on first use).
std::atomic<uint32_t> next_thread_id{4};
thread_local uint32_t current_thread_id = 0;
thread_local ThreadObject* current_thread_object = nullptr;  // our reference

uint32_t NewThreadId() { return next_thread_id.fetch_add(4, std::memory_order_relaxed); }

// The ThreadObject for the calling thread, created on first need for threads
// that CreateThread did not make (the main thread, pthreads).
// Signals the thread's handle when the thread's last thread_local state goes.
struct ThreadExitSignal {
  ~ThreadExitSignal() {
    if (current_thread_object) {
      current_thread_object->MarkExited(exit_code);
      current_thread_object->Unref();
      current_thread_object = nullptr;
    }
  }
  uint32_t exit_code = 0;
};

ThreadExitSignal& ExitSignal() {
  thread_local ThreadExitSignal signal;
  return signal;
}

ThreadObject* CurrentThreadObject() {
  if (current_thread_object == nullptr) {
    ExitSignal();  // so that the handle is signalled when this thread ends
    ThreadState& self = ThreadState::Current();
    current_thread_object = new ThreadObject(self.shared);
    if (current_thread_id == 0) current_thread_id = NewThreadId();
    current_thread_object->set_thread_id(current_thread_id);
    current_thread_object->PassStartGate();  // it is running: not suspendable
  }
  return current_thread_object;
}

struct StartBlock {
  LPTHREAD_START_ROUTINE routine;
  LPVOID parameter;
  ThreadObject* thread;  // a reference for the new thread
};

void* ThreadMain(void* argument) {
  StartBlock start = *static_cast<StartBlock*>(argument);
  delete static_cast<StartBlock*>(argument);
  // Constructed before the thread state, so destroyed after it: the handle
  // is signalled only once the thread has left its port.
  ThreadExitSignal& exit_signal = ExitSignal();
  ThreadState& self = ThreadState::Current();
  // Adopt the APC queue CreateThread made, so APCs queued before we ran land.
  start.thread->shared()->Ref();
  self.shared->Unref();
  self.shared = start.thread->shared();
  current_thread_id = start.thread->thread_id();
  current_thread_object = start.thread;
  start.thread->PassStartGate();  // CREATE_SUSPENDED: until ResumeThread
  exit_signal.exit_code = start.routine(start.parameter);
  return nullptr;
}

// Resolves a handle to a waitable object (with a reference), including the
// current-thread pseudo-handle. Null if it is not a waitable handle.
Waitable* LookupWaitable(HANDLE handle) {
  uintptr_t value = winapi::HandleValue(handle);
  if (value == winapi::kCurrentThreadPseudoHandle) {
    ThreadObject* self = CurrentThreadObject();
    self->Ref();
    return self;
  }
  HandleTable::Ref ref = HandleTable::Get().Lookup(value);
  if (!ref) return nullptr;
  ObjectKind kind = ref.get()->kind();
  if (kind != ObjectKind::kThread && kind != ObjectKind::kEvent && kind != ObjectKind::kFile &&
      kind != ObjectKind::kSocket && kind != ObjectKind::kPipe && kind != ObjectKind::kMutex &&
      kind != ObjectKind::kSemaphore) {
    return nullptr;
  }
  Waitable* waitable = static_cast<Waitable*>(ref.get());
  waitable->Ref();
  return waitable;
}

HANDLE InsertHandle(winapi::Object* object) {
  uintptr_t handle = HandleTable::Get().Insert(object);
  if (handle == 0) winapi::SetError(winapi::kErrorNotEnoughMemory);
  return reinterpret_cast<HANDLE>(handle);
}

}  // namespace

extern "C" {

// --- Errors and handles ---

DWORD WINAPI GetLastError(void) { return ThreadState::Current().last_error; }

VOID WINAPI SetLastError(DWORD dwErrCode) { ThreadState::Current().last_error = dwErrCode; }

BOOL WINAPI CloseHandle(HANDLE hObject) {
  const uintptr_t value = winapi::HandleValue(hObject);
  // Closing a pseudo-handle is a no-op that succeeds, as on Windows.
  if (value == winapi::kCurrentProcessPseudoHandle || value == winapi::kCurrentThreadPseudoHandle) {
    return TRUE;
  }
  if (!HandleTable::Get().Close(value)) return Fail(ERROR_INVALID_HANDLE);
  return TRUE;
}

HANDLE WINAPI GetCurrentProcess(void) {
  return reinterpret_cast<HANDLE>(winapi::kCurrentProcessPseudoHandle);
}

HANDLE WINAPI GetCurrentThread(void) {
  return reinterpret_cast<HANDLE>(winapi::kCurrentThreadPseudoHandle);
}

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                            HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                            DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions) {
  (void)dwDesiredAccess;
  (void)bInheritHandle;
  // Only this process exists here.
  if (winapi::HandleValue(hSourceProcessHandle) != winapi::kCurrentProcessPseudoHandle ||
      winapi::HandleValue(hTargetProcessHandle) != winapi::kCurrentProcessPseudoHandle) {
    return Fail(ERROR_INVALID_HANDLE);
  }
  const uintptr_t source = winapi::HandleValue(hSourceHandle);
  if (source == winapi::kCurrentProcessPseudoHandle) return Fail(ERROR_NOT_SUPPORTED);
  winapi::Object* object;
  HandleTable::Ref ref;
  if (source == winapi::kCurrentThreadPseudoHandle) {
    object = CurrentThreadObject();
  } else {
    ref = HandleTable::Get().Lookup(source);
    if (!ref) return Fail(ERROR_INVALID_HANDLE);
    object = ref.get();
  }
  if (lpTargetHandle != nullptr) {
    HANDLE duplicate = InsertHandle(object);
    if (duplicate == nullptr) return FALSE;
    *lpTargetHandle = duplicate;
  }
  if ((dwOptions & DUPLICATE_CLOSE_SOURCE) != 0 && source != winapi::kCurrentThreadPseudoHandle) {
    HandleTable::Get().Close(source);
  }
  return TRUE;
}

// --- Threads ---

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId) {
  (void)lpThreadAttributes;
  if (lpStartAddress == nullptr) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  auto* shared = new winapi::SharedThreadState();
  auto* thread = new ThreadObject(shared);
  shared->Unref();
  if ((dwCreationFlags & CREATE_SUSPENDED) != 0) thread->Suspend();  // 0 -> 1
  const uint32_t id = NewThreadId();
  thread->set_thread_id(id);
  HANDLE handle = InsertHandle(thread);
  if (handle == nullptr) {
    thread->Unref();
    return nullptr;
  }
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  if (dwStackSize != 0) {
    const size_t minimum = PTHREAD_STACK_MIN;
    size_t size = dwStackSize < minimum ? minimum : dwStackSize;
    pthread_attr_setstacksize(&attributes, size);
  }
  auto* start = new StartBlock{lpStartAddress, lpParameter, thread};  // thread's reference
  pthread_t pthread;
  int rc = pthread_create(&pthread, &attributes, ThreadMain, start);
  pthread_attr_destroy(&attributes);
  if (rc != 0) {
    delete start;
    HandleTable::Get().Close(winapi::HandleValue(handle));
    thread->Unref();
    Fail(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
  if (lpThreadId != nullptr) *lpThreadId = id;
  return handle;
}

VOID WINAPI ExitThread(DWORD dwExitCode) {
  ExitSignal().exit_code = dwExitCode;
  pthread_exit(nullptr);
}

DWORD WINAPI GetCurrentThreadId(void) {
  if (current_thread_id == 0) current_thread_id = NewThreadId();
  return current_thread_id;
}

DWORD WINAPI GetCurrentProcessId(void) { return static_cast<DWORD>(getpid()); }

BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode) {
  if (lpExitCode == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  Waitable* waitable = LookupWaitable(hThread);
  if (waitable == nullptr || waitable->kind() != ObjectKind::kThread) {
    if (waitable) waitable->Unref();
    return Fail(ERROR_INVALID_HANDLE);
  }
  {
    std::lock_guard<std::mutex> lock(winapi::Dispatcher::mutex());
    *lpExitCode = static_cast<ThreadObject*>(waitable)->exit_code();
  }
  waitable->Unref();
  return TRUE;
}

DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData) {
  if (pfnAPC == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  Waitable* waitable = LookupWaitable(hThread);
  if (waitable == nullptr || waitable->kind() != ObjectKind::kThread) {
    if (waitable) waitable->Unref();
    return Fail(ERROR_INVALID_HANDLE);
  }
  bool queued = static_cast<ThreadObject*>(waitable)->shared()->Queue(
      reinterpret_cast<winapi::SharedThreadState::Routine>(pfnAPC), dwData);
  waitable->Unref();
  if (!queued) return Fail(ERROR_INVALID_HANDLE);  // the thread has exited
  return 1;
}

// ResumeThread/SuspendThread: the suspend count of a thread that has not
// started its routine yet (CREATE_SUSPENDED). A thread that is running
// cannot be suspended here: SuspendThread fails with ERROR_NOT_SUPPORTED.
DWORD WINAPI ResumeThread(HANDLE hThread) {
  Waitable* waitable = LookupWaitable(hThread);
  if (waitable == nullptr || waitable->kind() != ObjectKind::kThread) {
    if (waitable) waitable->Unref();
    Fail(ERROR_INVALID_HANDLE);
    return static_cast<DWORD>(-1);
  }
  const int32_t previous = static_cast<ThreadObject*>(waitable)->Resume();
  waitable->Unref();
  return static_cast<DWORD>(previous);
}

DWORD WINAPI SuspendThread(HANDLE hThread) {
  Waitable* waitable = LookupWaitable(hThread);
  if (waitable == nullptr || waitable->kind() != ObjectKind::kThread) {
    if (waitable) waitable->Unref();
    Fail(ERROR_INVALID_HANDLE);
    return static_cast<DWORD>(-1);
  }
  const int32_t previous = static_cast<ThreadObject*>(waitable)->Suspend();
  waitable->Unref();
  if (previous < 0) {
    Fail(ERROR_NOT_SUPPORTED);  // a running thread (docs/porting-sync.md)
    return static_cast<DWORD>(-1);
  }
  return static_cast<DWORD>(previous);
}

DWORD WINAPI GetThreadId(HANDLE Thread) {
  Waitable* waitable = LookupWaitable(Thread);
  if (waitable == nullptr || waitable->kind() != ObjectKind::kThread) {
    if (waitable) waitable->Unref();
    Fail(ERROR_INVALID_HANDLE);
    return 0;
  }
  const DWORD id = static_cast<ThreadObject*>(waitable)->thread_id();
  waitable->Unref();
  return id;
}

// Linux cannot tell whether another thread ran; report that one may have.
BOOL WINAPI SwitchToThread(void) {
  sched_yield();
  return TRUE;
}

// --- Waits ---

DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE* lpHandles, BOOL bWaitAll,
                                      DWORD dwMilliseconds, BOOL bAlertable) {
  if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || lpHandles == nullptr) {
    Fail(ERROR_INVALID_PARAMETER);
    return WAIT_FAILED;
  }
  Waitable* objects[MAXIMUM_WAIT_OBJECTS];
  DWORD resolved = 0;
  DWORD result = WAIT_FAILED;
  for (; resolved < nCount; ++resolved) {
    objects[resolved] = LookupWaitable(lpHandles[resolved]);
    if (objects[resolved] == nullptr) {
      Fail(ERROR_INVALID_HANDLE);
      break;
    }
    // Wait-all on one object twice is refused by Windows.
    for (DWORD j = 0; bWaitAll && j < resolved; ++j) {
      if (objects[j] == objects[resolved]) {
        objects[resolved]->Unref();
        objects[resolved] = nullptr;
        Fail(ERROR_INVALID_PARAMETER);
        break;
      }
    }
    if (objects[resolved] == nullptr) break;
  }
  if (resolved == nCount) {
    result = winapi::WaitForMultiple(objects, nCount, bWaitAll != FALSE, dwMilliseconds,
                                     bAlertable != FALSE);
  }
  for (DWORD i = 0; i < resolved; ++i) objects[i]->Unref();
  return result;
}

DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE* lpHandles, BOOL bWaitAll,
                                    DWORD dwMilliseconds) {
  return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable) {
  return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, bAlertable);
}

DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) {
  return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, FALSE);
}

DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable) {
  if (bAlertable) {
    DWORD result = winapi::WaitForMultiple(nullptr, 0, false, dwMilliseconds, true);
    return result == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
  }
  winapi::BlockingScope blocked;
  if (dwMilliseconds == 0) {
    sched_yield();
    return 0;
  }
  const int64_t deadline_ns = winapi::DeadlineFromMs(dwMilliseconds);
  for (;;) {
    int64_t remaining_ns = winapi::RemainingNs(deadline_ns);
    if (remaining_ns == 0) return 0;
    if (remaining_ns < 0) remaining_ns = int64_t{3600} * 1000000000;  // INFINITE: sleep on
    timespec pause = {static_cast<time_t>(remaining_ns / 1000000000),
                      static_cast<long>(remaining_ns % 1000000000)};
    nanosleep(&pause, nullptr);
  }
}

VOID WINAPI Sleep(DWORD dwMilliseconds) { SleepEx(dwMilliseconds, FALSE); }

// --- Events ---

BOOL WINAPI SetEvent(HANDLE hEvent) {
  auto event = winapi::LookupAs<Event>(hEvent, ObjectKind::kEvent);
  if (!event) return Fail(ERROR_INVALID_HANDLE);
  event->Set();
  return TRUE;
}

BOOL WINAPI ResetEvent(HANDLE hEvent) {
  auto event = winapi::LookupAs<Event>(hEvent, ObjectKind::kEvent);
  if (!event) return Fail(ERROR_INVALID_HANDLE);
  event->Reset();
  return TRUE;
}

// --- Time and system information ---

DWORD WINAPI GetTickCount(void) { return static_cast<DWORD>(GetTickCount64()); }

ULONGLONG WINAPI GetTickCount64(void) {
  timespec now;
  clock_gettime(CLOCK_BOOTTIME, &now);  // like Windows: time since boot
  return static_cast<ULONGLONG>(now.tv_sec) * 1000 + static_cast<ULONGLONG>(now.tv_nsec) / 1000000;
}

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER* lpPerformanceCount) {
  if (lpPerformanceCount == nullptr) return Fail(ERROR_NOACCESS);
  lpPerformanceCount->QuadPart = winapi::NowNs();
  return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER* lpFrequency) {
  if (lpFrequency == nullptr) return Fail(ERROR_NOACCESS);
  lpFrequency->QuadPart = 1000000000;  // the counter is in nanoseconds
  return TRUE;
}

VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo) {
  if (lpSystemInfo == nullptr) return;
  SYSTEM_INFO info = {};
#if defined(__aarch64__)
  info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
#else
  info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
#endif
  long page = sysconf(_SC_PAGESIZE);
  info.dwPageSize = page > 0 ? static_cast<DWORD>(page) : 4096;
  info.lpMinimumApplicationAddress = reinterpret_cast<LPVOID>(0x10000);
  info.lpMaximumApplicationAddress = reinterpret_cast<LPVOID>(0x7FFFFFFEFFFFull);
  long processors = sysconf(_SC_NPROCESSORS_ONLN);
  info.dwNumberOfProcessors = processors > 0 ? static_cast<DWORD>(processors) : 1;
  info.dwActiveProcessorMask = info.dwNumberOfProcessors >= 64
                                   ? ~DWORD_PTR{0}
                                   : (DWORD_PTR{1} << info.dwNumberOfProcessors) - 1;
  info.dwProcessorType = 8664;  // PROCESSOR_AMD8664
  info.dwAllocationGranularity = 65536;
  *lpSystemInfo = info;
}

}  // extern "C"
