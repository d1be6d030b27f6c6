// Exported synchronisation functions: named and unnamed events, mutexes and
// semaphores (dispatcher objects, see waitable.h), SignalObjectAndWait, and
// the user-mode locks that live in the program's memory: CRITICAL_SECTION,
// SRWLOCK, CONDITION_VARIABLE and INIT_ONCE. The user-mode locks take no
// system call unless they must wait (futex), and a thread that waits counts
// as blocked elsewhere for its completion port (BlockingScope).
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <windows.h>

#include <new>
#include <optional>
#include <string>

#include "winapi/api_util.h"
#include "winapi/clock.h"
#include "winapi/futex.h"
#include "winapi/thread_state.h"
#include "winapi/waitable.h"

using winapi::Event;
using winapi::Fail;
using winapi::HandleTable;
using winapi::Namespace;
using winapi::ObjectKind;
using winapi::SyncObject;

static_assert(sizeof(CRITICAL_SECTION) == 40, "Windows x64 layout");
static_assert(sizeof(SRWLOCK) == sizeof(void*) && sizeof(CONDITION_VARIABLE) == sizeof(void*) &&
                  sizeof(INIT_ONCE) == sizeof(void*),
              "pointer-sized, as on Windows");
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the locks wait on the low 32 bits of their pointer-sized word");

namespace {

constexpr size_t kMaxNameLength = MAX_PATH;

// --- Named objects ---

HANDLE InsertHandle(winapi::Object* object) {
  uintptr_t handle = HandleTable::Get().Insert(object);
  if (handle == 0) winapi::SetError(ERROR_NOT_ENOUGH_MEMORY);
  return reinterpret_cast<HANDLE>(handle);
}

// Creates an object with `make` (a new reference, or null), or, if `name`
// names an existing object of the same kind, opens that one and sets
// ERROR_ALREADY_EXISTS. `on_create` runs on a new object before it is
// published. A name held by another kind of object: ERROR_INVALID_HANDLE.
template <typename Make, typename OnCreate>
HANDLE CreateNamed(LPCSTR name, ObjectKind kind, Make make, OnCreate on_create) {
  const bool named = name != nullptr && name[0] != '\0';  // "" is unnamed
  if (named && strlen(name) >= kMaxNameLength) {
    Fail(ERROR_FILENAME_EXCED_RANGE);
    return nullptr;
  }
  std::optional<std::lock_guard<std::mutex>> lock;
  if (named) {
    lock.emplace(Namespace::mutex());
    if (SyncObject* existing = Namespace::Find(name)) {
      if (existing->kind() != kind) {
        Fail(ERROR_INVALID_HANDLE);
        return nullptr;
      }
      HANDLE handle = InsertHandle(existing);
      if (handle != nullptr) winapi::SetError(ERROR_ALREADY_EXISTS);
      return handle;
    }
  }
  SyncObject* object = make();
  if (object == nullptr) {
    Fail(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
  on_create(object);
  if (named) object->set_name(name);
  HANDLE handle = InsertHandle(object);
  if (handle != nullptr) {
    if (named) Namespace::Add(object);
    winapi::SetError(ERROR_SUCCESS);
  }
  object->Unref();
  return handle;
}

HANDLE OpenNamed(LPCSTR name, ObjectKind kind) {
  if (name == nullptr) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(Namespace::mutex());
  SyncObject* existing = Namespace::Find(name);
  if (existing == nullptr) {
    Fail(ERROR_FILE_NOT_FOUND);
    return nullptr;
  }
  if (existing->kind() != kind) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  return InsertHandle(existing);
}

void NoSetUp(SyncObject*) {}

// --- Futex on a word in the program's memory ---

// (winapi/futex.h: FutexWaitAddress, FutexWakeAddress.)
using winapi::FutexWaitAddress;
using winapi::FutexWakeAddress;

// The 32-bit word a pointer-sized lock waits on: its low half.
uint32_t* LowWord(PVOID* pointer) { return reinterpret_cast<uint32_t*>(pointer); }

// --- Critical sections ---
//
// LockCount is the futex word: -1 free, 0 held, 1 held and maybe waited on.
// OwningThread holds the owner's thread id (as Windows does), RecursionCount
// the depth. Only the owner writes those two; other threads read
// OwningThread only to see that it is not theirs.

constexpr LONG kCsFree = -1;
constexpr LONG kCsHeld = 0;
constexpr LONG kCsContended = 1;

HANDLE SelfToken() { return reinterpret_cast<HANDLE>(uintptr_t{GetCurrentThreadId()}); }

bool OwnedByCaller(const CRITICAL_SECTION* section, HANDLE self) {
  return __atomic_load_n(&section->OwningThread, __ATOMIC_RELAXED) == self;
}

bool TryTake(CRITICAL_SECTION* section) {
  LONG expected = kCsFree;
  return __atomic_compare_exchange_n(&section->LockCount, &expected, kCsHeld, false,
                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void BecomeOwner(CRITICAL_SECTION* section, HANDLE self) {
  __atomic_store_n(&section->OwningThread, self, __ATOMIC_RELAXED);
  section->RecursionCount = 1;
}

void EnterSlow(CRITICAL_SECTION* section) {
  const ULONG_PTR spins = section->SpinCount & 0x00FFFFFF;
  for (ULONG_PTR i = 0; i < spins; ++i) {
    if (__atomic_load_n(&section->LockCount, __ATOMIC_RELAXED) == kCsFree && TryTake(section)) {
      return;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  winapi::BlockingScope blocked;
  while (__atomic_exchange_n(&section->LockCount, kCsContended, __ATOMIC_ACQUIRE) != kCsFree) {
    FutexWaitAddress(&section->LockCount, static_cast<uint32_t>(kCsContended), -1);
  }
}

// --- Slim reader/writer locks ---
//
// The low 32 bits of the pointer: bit 31 a writer holds it, bit 30 threads
// wait, bits 0-29 the readers holding it. Releasing wakes every waiter to
// compete again (no fairness, as on Windows).

constexpr uint32_t kSrwWriter = 1u << 31;
constexpr uint32_t kSrwWaiters = 1u << 30;
constexpr uint32_t kSrwReaders = kSrwWaiters - 1;

// Whether a lock in `state` can be taken in each mode now.
bool SrwExclusiveFree(uint32_t state) { return (state & ~kSrwWaiters) == 0; }
bool SrwSharedFree(uint32_t state) {
  return (state & kSrwWriter) == 0 && (state & kSrwReaders) != kSrwReaders;
}

bool SrwTryExclusive(uint32_t* word) {
  uint32_t state = __atomic_load_n(word, __ATOMIC_RELAXED);
  while (SrwExclusiveFree(state)) {
    if (__atomic_compare_exchange_n(word, &state, state | kSrwWriter, true, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
      return true;
    }
  }
  return false;
}

bool SrwTryShared(uint32_t* word) {
  uint32_t state = __atomic_load_n(word, __ATOMIC_RELAXED);
  while (SrwSharedFree(state)) {
    if (__atomic_compare_exchange_n(word, &state, state + 1, true, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
      return true;
    }
  }
  return false;
}

// Waits until `try_take` succeeds, marking the lock as waited on. The mark
// goes only on a lock that is held in a way that excludes us (`is_free`
// false for that very state): its holder then sees the mark when it
// releases, and wakes us. Marking a lock that was released meanwhile would
// sleep with nobody left to wake us (TSan's timing found this).
template <typename TryTake, typename IsFree>
void SrwAcquireSlow(uint32_t* word, TryTake try_take, IsFree is_free) {
  std::optional<winapi::BlockingScope> blocked;
  while (!try_take(word)) {
    uint32_t state = __atomic_load_n(word, __ATOMIC_RELAXED);
    if (is_free(state)) continue;
    if ((state & kSrwWaiters) == 0) {
      if (!__atomic_compare_exchange_n(word, &state, state | kSrwWaiters, false, __ATOMIC_RELAXED,
                                       __ATOMIC_RELAXED)) {
        continue;
      }
      state |= kSrwWaiters;
    }
    if (!blocked) blocked.emplace();
    FutexWaitAddress(word, state, -1);
  }
}

void SrwReleaseExclusive(uint32_t* word) {
  if (__atomic_exchange_n(word, 0u, __ATOMIC_RELEASE) & kSrwWaiters)
    FutexWakeAddress(word, INT_MAX);
}

void SrwReleaseShared(uint32_t* word) {
  uint32_t state = __atomic_sub_fetch(word, 1u, __ATOMIC_RELEASE);
  if (state == kSrwWaiters &&
      __atomic_compare_exchange_n(word, &state, 0u, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    FutexWakeAddress(word, INT_MAX);
  }
}

// --- Condition variables: a wake-up counter in the low 32 bits ---

// Sleeps on `variable` for a wake after `sequence` was read; FALSE with
// ERROR_TIMEOUT if the time ran out.
BOOL SleepOn(PCONDITION_VARIABLE variable, uint32_t sequence, DWORD milliseconds) {
  int64_t timeout_ns = -1;
  if (milliseconds != INFINITE) timeout_ns = int64_t{milliseconds} * 1000000;
  int rc;
  {
    winapi::BlockingScope blocked;
    rc = FutexWaitAddress(LowWord(&variable->Ptr), sequence, timeout_ns);
  }
  if (rc == -ETIMEDOUT) return Fail(ERROR_TIMEOUT);
  return TRUE;  // woken, or a spurious wake-up (which Windows allows too)
}

uint32_t Sequence(PCONDITION_VARIABLE variable) {
  return __atomic_load_n(LowWord(&variable->Ptr), __ATOMIC_ACQUIRE);
}

// --- One-time initialisation: the word holds the context with the state in
// its two low bits ---

constexpr uintptr_t kOnceIdle = 0;
constexpr uintptr_t kOnceRunning = 1;
constexpr uintptr_t kOnceDone = 2;
constexpr uintptr_t kOnceStateMask = 3;

uintptr_t* OnceWord(PINIT_ONCE once) { return reinterpret_cast<uintptr_t*>(&once->Ptr); }

// Waits while another thread runs the initialisation; returns the state then.
uintptr_t OnceWaitWhileRunning(PINIT_ONCE once) {
  uintptr_t value = __atomic_load_n(OnceWord(once), __ATOMIC_ACQUIRE);
  if ((value & kOnceStateMask) != kOnceRunning) return value;
  winapi::BlockingScope blocked;
  while ((value & kOnceStateMask) == kOnceRunning) {
    FutexWaitAddress(LowWord(&once->Ptr), static_cast<uint32_t>(kOnceRunning), -1);
    value = __atomic_load_n(OnceWord(once), __ATOMIC_ACQUIRE);
  }
  return value;
}

void OnceFinish(PINIT_ONCE once, uintptr_t value) {
  __atomic_store_n(OnceWord(once), value, __ATOMIC_RELEASE);
  FutexWakeAddress(LowWord(&once->Ptr), INT_MAX);
}

}  // namespace

extern "C" {

// --- Events ---

HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName, DWORD dwFlags,
                             DWORD dwDesiredAccess) {
  (void)lpEventAttributes;
  (void)dwDesiredAccess;
  if ((dwFlags & ~DWORD{CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET}) != 0) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  const bool manual = (dwFlags & CREATE_EVENT_MANUAL_RESET) != 0;
  const bool initial = (dwFlags & CREATE_EVENT_INITIAL_SET) != 0;
  return CreateNamed(
      lpName, ObjectKind::kEvent,
      [&]() -> SyncObject* { return new (std::nothrow) Event(manual, initial); }, NoSetUp);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCSTR lpName) {
  const DWORD flags = (bManualReset ? CREATE_EVENT_MANUAL_RESET : 0) |
                      (bInitialState ? CREATE_EVENT_INITIAL_SET : 0);
  return CreateEventExA(lpEventAttributes, lpName, flags, EVENT_ALL_ACCESS);
}

HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
  (void)dwDesiredAccess;
  (void)bInheritHandle;
  return OpenNamed(lpName, ObjectKind::kEvent);
}

BOOL WINAPI PulseEvent(HANDLE hEvent) {
  auto event = winapi::LookupAs<Event>(hEvent, ObjectKind::kEvent);
  if (!event) return Fail(ERROR_INVALID_HANDLE);
  event->Pulse();
  return TRUE;
}

// --- Mutexes ---

HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName, DWORD dwFlags,
                             DWORD dwDesiredAccess) {
  (void)lpMutexAttributes;
  (void)dwDesiredAccess;
  if ((dwFlags & ~DWORD{CREATE_MUTEX_INITIAL_OWNER}) != 0) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  // An existing named mutex is opened as it is: the initial owner flag only
  // applies to a new one.
  return CreateNamed(
      lpName, ObjectKind::kMutex,
      []() -> SyncObject* { return new (std::nothrow) winapi::Mutex(); },
      [&](SyncObject* object) {
        if ((dwFlags & CREATE_MUTEX_INITIAL_OWNER) == 0) return;
        std::lock_guard<std::mutex> lock(winapi::Dispatcher::mutex());
        static_cast<winapi::Mutex*>(object)->Acquire();
      });
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                           LPCSTR lpName) {
  return CreateMutexExA(lpMutexAttributes, lpName, bInitialOwner ? CREATE_MUTEX_INITIAL_OWNER : 0,
                        MUTEX_ALL_ACCESS);
}

HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
  (void)dwDesiredAccess;
  (void)bInheritHandle;
  return OpenNamed(lpName, ObjectKind::kMutex);
}

BOOL WINAPI ReleaseMutex(HANDLE hMutex) {
  auto mutex = winapi::LookupAs<winapi::Mutex>(hMutex, ObjectKind::kMutex);
  if (!mutex) return Fail(ERROR_INVALID_HANDLE);
  if (!mutex->Release()) return Fail(ERROR_NOT_OWNER);
  return TRUE;
}

// --- Semaphores ---

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                               LONG lMaximumCount, LPCSTR lpName) {
  (void)lpSemaphoreAttributes;
  if (lMaximumCount <= 0 || lInitialCount < 0 || lInitialCount > lMaximumCount) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return CreateNamed(
      lpName, ObjectKind::kSemaphore,
      [&]() -> SyncObject* {
        return new (std::nothrow) winapi::Semaphore(lInitialCount, lMaximumCount);
      },
      NoSetUp);
}

HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
  (void)dwDesiredAccess;
  (void)bInheritHandle;
  return OpenNamed(lpName, ObjectKind::kSemaphore);
}

BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount) {
  auto semaphore = winapi::LookupAs<winapi::Semaphore>(hSemaphore, ObjectKind::kSemaphore);
  if (!semaphore) return Fail(ERROR_INVALID_HANDLE);
  if (lReleaseCount <= 0) return Fail(ERROR_INVALID_PARAMETER);
  int32_t previous = 0;
  if (!semaphore->Release(lReleaseCount, &previous)) return Fail(ERROR_TOO_MANY_POSTS);
  if (lpPreviousCount != nullptr) *lpPreviousCount = previous;
  return TRUE;
}

// --- Signal one object, wait on another ---

DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                 DWORD dwMilliseconds, BOOL bAlertable) {
  const uintptr_t wait_value = winapi::HandleValue(hObjectToWaitOn);
  if (wait_value != winapi::kCurrentThreadPseudoHandle && !HandleTable::Get().Lookup(wait_value)) {
    Fail(ERROR_INVALID_HANDLE);
    return WAIT_FAILED;
  }
  HandleTable::Ref ref = HandleTable::Get().Lookup(winapi::HandleValue(hObjectToSignal));
  if (!ref) {
    Fail(ERROR_INVALID_HANDLE);
    return WAIT_FAILED;
  }
  switch (ref.get()->kind()) {
    case ObjectKind::kEvent:
      static_cast<Event*>(ref.get())->Set();
      break;
    case ObjectKind::kMutex:
      if (!static_cast<winapi::Mutex*>(ref.get())->Release()) {
        Fail(ERROR_NOT_OWNER);
        return WAIT_FAILED;
      }
      break;
    case ObjectKind::kSemaphore: {
      int32_t previous;
      if (!static_cast<winapi::Semaphore*>(ref.get())->Release(1, &previous)) {
        Fail(ERROR_TOO_MANY_POSTS);
        return WAIT_FAILED;
      }
      break;
    }
    default:
      Fail(ERROR_INVALID_HANDLE);
      return WAIT_FAILED;
  }
  return WaitForSingleObjectEx(hObjectToWaitOn, dwMilliseconds, bAlertable);
}

// --- Critical sections ---

BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount,
                                        DWORD Flags) {
  if (lpCriticalSection == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  if ((Flags & 0x00FFFFFF) != 0 || (dwSpinCount & 0xFF000000) != 0) {
    return Fail(ERROR_INVALID_PARAMETER);  // the flags live in the high byte
  }
  lpCriticalSection->DebugInfo = nullptr;
  lpCriticalSection->LockCount = kCsFree;
  lpCriticalSection->RecursionCount = 0;
  lpCriticalSection->OwningThread = nullptr;
  lpCriticalSection->LockSemaphore = nullptr;
  lpCriticalSection->SpinCount = dwSpinCount;
  return TRUE;
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                  DWORD dwSpinCount) {
  return InitializeCriticalSectionEx(lpCriticalSection, dwSpinCount & 0x00FFFFFF, 0);
}

VOID WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
  InitializeCriticalSectionEx(lpCriticalSection, 0, 0);
}

DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount) {
  if (lpCriticalSection == nullptr) return 0;
  const DWORD previous = static_cast<DWORD>(lpCriticalSection->SpinCount);
  lpCriticalSection->SpinCount = dwSpinCount & 0x00FFFFFF;
  return previous;
}

VOID WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
  if (lpCriticalSection == nullptr) return;
  const HANDLE self = SelfToken();
  if (OwnedByCaller(lpCriticalSection, self)) {
    ++lpCriticalSection->RecursionCount;
    return;
  }
  if (!TryTake(lpCriticalSection)) EnterSlow(lpCriticalSection);
  BecomeOwner(lpCriticalSection, self);
}

BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
  if (lpCriticalSection == nullptr) return FALSE;
  const HANDLE self = SelfToken();
  if (OwnedByCaller(lpCriticalSection, self)) {
    ++lpCriticalSection->RecursionCount;
    return TRUE;
  }
  if (!TryTake(lpCriticalSection)) return FALSE;
  BecomeOwner(lpCriticalSection, self);
  return TRUE;
}

VOID WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
  // Leaving a section the caller does not own is a program error that
  // corrupts the section on Windows; here it is ignored.
  if (lpCriticalSection == nullptr || !OwnedByCaller(lpCriticalSection, SelfToken())) return;
  if (--lpCriticalSection->RecursionCount > 0) return;
  __atomic_store_n(&lpCriticalSection->OwningThread, HANDLE{nullptr}, __ATOMIC_RELAXED);
  if (__atomic_exchange_n(&lpCriticalSection->LockCount, kCsFree, __ATOMIC_RELEASE) ==
      kCsContended) {
    FutexWakeAddress(&lpCriticalSection->LockCount, 1);
  }
}

VOID WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
  if (lpCriticalSection == nullptr) return;
  lpCriticalSection->LockCount = kCsFree;
  lpCriticalSection->RecursionCount = 0;
  lpCriticalSection->OwningThread = nullptr;
}

// --- Slim reader/writer locks ---

VOID WINAPI InitializeSRWLock(PSRWLOCK SRWLock) {
  if (SRWLock != nullptr) SRWLock->Ptr = nullptr;
}

VOID WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock) {
  uint32_t* word = LowWord(&SRWLock->Ptr);
  if (!SrwTryExclusive(word)) SrwAcquireSlow(word, SrwTryExclusive, SrwExclusiveFree);
}

VOID WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock) {
  uint32_t* word = LowWord(&SRWLock->Ptr);
  if (!SrwTryShared(word)) SrwAcquireSlow(word, SrwTryShared, SrwSharedFree);
}

BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock) {
  return SrwTryExclusive(LowWord(&SRWLock->Ptr)) ? TRUE : FALSE;
}

BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock) {
  return SrwTryShared(LowWord(&SRWLock->Ptr)) ? TRUE : FALSE;
}

VOID WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock) {
  SrwReleaseExclusive(LowWord(&SRWLock->Ptr));
}

VOID WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock) { SrwReleaseShared(LowWord(&SRWLock->Ptr)); }

// --- Condition variables ---

VOID WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable) {
  if (ConditionVariable != nullptr) ConditionVariable->Ptr = nullptr;
}

BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                     PCRITICAL_SECTION CriticalSection, DWORD dwMilliseconds) {
  if (ConditionVariable == nullptr || CriticalSection == nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if (!OwnedByCaller(CriticalSection, SelfToken())) return Fail(ERROR_NOT_OWNER);
  const uint32_t sequence = Sequence(ConditionVariable);
  // The section is left completely, however deeply entered, and entered
  // again to the same depth.
  const LONG depth = CriticalSection->RecursionCount;
  CriticalSection->RecursionCount = 1;
  LeaveCriticalSection(CriticalSection);
  const BOOL woken = SleepOn(ConditionVariable, sequence, dwMilliseconds);
  const DWORD error = GetLastError();
  EnterCriticalSection(CriticalSection);
  CriticalSection->RecursionCount = depth;
  SetLastError(error);
  return woken;
}

BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable, PSRWLOCK SRWLock,
                                      DWORD dwMilliseconds, ULONG Flags) {
  if (ConditionVariable == nullptr || SRWLock == nullptr ||
      (Flags & ~ULONG{CONDITION_VARIABLE_LOCKMODE_SHARED}) != 0) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  const bool shared = (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
  const uint32_t sequence = Sequence(ConditionVariable);
  if (shared) {
    ReleaseSRWLockShared(SRWLock);
  } else {
    ReleaseSRWLockExclusive(SRWLock);
  }
  const BOOL woken = SleepOn(ConditionVariable, sequence, dwMilliseconds);
  const DWORD error = GetLastError();
  if (shared) {
    AcquireSRWLockShared(SRWLock);
  } else {
    AcquireSRWLockExclusive(SRWLock);
  }
  SetLastError(error);
  return woken;
}

VOID WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable) {
  uint32_t* word = LowWord(&ConditionVariable->Ptr);
  __atomic_add_fetch(word, 1u, __ATOMIC_RELEASE);
  FutexWakeAddress(word, 1);
}

VOID WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable) {
  uint32_t* word = LowWord(&ConditionVariable->Ptr);
  __atomic_add_fetch(word, 1u, __ATOMIC_RELEASE);
  FutexWakeAddress(word, INT_MAX);
}

// --- One-time initialisation ---

VOID WINAPI InitOnceInitialize(PINIT_ONCE InitOnce) {
  if (InitOnce != nullptr) InitOnce->Ptr = nullptr;
}

BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                                LPVOID* Context) {
  if (InitOnce == nullptr || InitFn == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  for (;;) {
    uintptr_t value = OnceWaitWhileRunning(InitOnce);
    if ((value & kOnceStateMask) == kOnceDone) {
      if (Context != nullptr) *Context = reinterpret_cast<LPVOID>(value & ~kOnceStateMask);
      return TRUE;
    }
    uintptr_t idle = kOnceIdle;
    if (!__atomic_compare_exchange_n(OnceWord(InitOnce), &idle, kOnceRunning, false,
                                     __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
      continue;
    }
    PVOID result = nullptr;
    if (!InitFn(InitOnce, Parameter, &result)) {
      OnceFinish(InitOnce, kOnceIdle);  // the next caller tries again
      return FALSE;
    }
    const uintptr_t context = reinterpret_cast<uintptr_t>(result) & ~kOnceStateMask;
    OnceFinish(InitOnce, context | kOnceDone);
    if (Context != nullptr) *Context = reinterpret_cast<LPVOID>(context);
    return TRUE;
  }
}

BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags, PBOOL fPending,
                                    LPVOID* lpContext) {
  if (lpInitOnce == nullptr || fPending == nullptr ||
      (dwFlags & ~DWORD{INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC}) != 0 ||
      dwFlags == (INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC)) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if ((dwFlags & INIT_ONCE_ASYNC) != 0) return Fail(ERROR_NOT_SUPPORTED);
  for (;;) {
    uintptr_t value = __atomic_load_n(OnceWord(lpInitOnce), __ATOMIC_ACQUIRE);
    if ((value & kOnceStateMask) == kOnceDone) {
      *fPending = FALSE;
      if (lpContext != nullptr) *lpContext = reinterpret_cast<LPVOID>(value & ~kOnceStateMask);
      return TRUE;
    }
    if ((dwFlags & INIT_ONCE_CHECK_ONLY) != 0) return Fail(ERROR_GEN_FAILURE);
    if ((value & kOnceStateMask) == kOnceRunning) {
      OnceWaitWhileRunning(lpInitOnce);
      continue;
    }
    uintptr_t idle = kOnceIdle;
    if (__atomic_compare_exchange_n(OnceWord(lpInitOnce), &idle, kOnceRunning, false,
                                    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
      *fPending = TRUE;
      return TRUE;
    }
  }
}

BOOL WINAPI InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext) {
  if (lpInitOnce == nullptr || (dwFlags & ~DWORD{INIT_ONCE_ASYNC | INIT_ONCE_INIT_FAILED}) != 0) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if ((dwFlags & INIT_ONCE_ASYNC) != 0) return Fail(ERROR_NOT_SUPPORTED);
  const uintptr_t context = reinterpret_cast<uintptr_t>(lpContext);
  const bool failed = (dwFlags & INIT_ONCE_INIT_FAILED) != 0;
  if ((context & kOnceStateMask) != 0 || (failed && lpContext != nullptr)) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if ((__atomic_load_n(OnceWord(lpInitOnce), __ATOMIC_ACQUIRE) & kOnceStateMask) != kOnceRunning) {
    return Fail(ERROR_GEN_FAILURE);  // no initialisation in progress
  }
  OnceFinish(lpInitOnce, failed ? kOnceIdle : (context | kOnceDone));
  return TRUE;
}

}  // extern "C"
