// Helpers for the exported Win32 functions (api_*.cc): the pattern of wepoll's
// api.c: validate, look up and reference the handle, delegate, release, set
// the last error.
#ifndef IOCP_WINAPI_API_UTIL_H_
#define IOCP_WINAPI_API_UTIL_H_

#include <stdint.h>

#include "winapi/errors.h"
#include "winapi/handle_table.h"
#include "winapi/object.h"
#include "winapi/thread_state.h"

namespace winapi {

inline void SetError(uint32_t error) { ThreadState::Current().last_error = error; }

// Returns FALSE (0) after setting the last error.
inline int Fail(uint32_t error) {
  SetError(error);
  return 0;
}

inline uintptr_t HandleValue(const void* handle) { return reinterpret_cast<uintptr_t>(handle); }

// Pseudo-handles, as Windows defines them.
inline constexpr uintptr_t kCurrentProcessPseudoHandle = ~uintptr_t{0};     // (HANDLE)-1
inline constexpr uintptr_t kCurrentThreadPseudoHandle = ~uintptr_t{0} - 1;  // (HANDLE)-2

// Looks a handle up and checks its kind; empty on failure.
template <typename T>
struct TypedRef {
  HandleTable::Ref ref;
  T* get() const { return static_cast<T*>(ref.get()); }
  T* operator->() const { return get(); }
  explicit operator bool() const { return static_cast<bool>(ref); }
};

template <typename T>
TypedRef<T> LookupAs(const void* handle, ObjectKind kind) {
  HandleTable::Ref ref = HandleTable::Get().Lookup(HandleValue(handle));
  if (!ref || ref.get()->kind() != kind) return TypedRef<T>{};
  return TypedRef<T>{std::move(ref)};
}

// Puts a file-like `object` (with a reference, which this takes over) in the handle
// table: its new handle, or INVALID_HANDLE_VALUE with
// ERROR_NOT_ENOUGH_MEMORY when the table is full.
inline void* InsertFileHandle(Object* object) {
  const uintptr_t handle = HandleTable::Get().Insert(object);
  object->Unref();
  if (handle == 0) {
    Fail(kErrorNotEnoughMemory);
    return reinterpret_cast<void*>(~uintptr_t{0});
  }
  return reinterpret_cast<void*>(handle);
}

}  // namespace winapi

#endif  // IOCP_WINAPI_API_UTIL_H_
