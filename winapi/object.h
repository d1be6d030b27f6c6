// Every kernel object a HANDLE can name (port, thread, event; sockets and
// files later) derives from Object: reference counted, with a count of the
// handles that name it, so that "close the last handle" and "destroy the
// object" are two separate moments, as on Windows (a port outlives its handle
// while associated handles or waiting threads still refer to it).
#ifndef IOCP_WINAPI_OBJECT_H_
#define IOCP_WINAPI_OBJECT_H_

#include <stdint.h>

#include <atomic>

namespace winapi {

enum class ObjectKind : uint8_t {
  kPort,
  kThread,
  kEvent,
  kFile,
  kSocket,
  kPipe,
  kMutex,
  kSemaphore,
  kStdHandle,  // GetStdHandle's: descriptors 0-2 outside the ring (console.h)
};

class Object {
 public:
  explicit Object(ObjectKind kind) : kind_(kind) {}
  virtual ~Object() = default;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  ObjectKind kind() const { return kind_; }

  void Ref() { references_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Handle bookkeeping, driven by the handle table.
  void AddHandle() { handles_.fetch_add(1, std::memory_order_relaxed); }
  // Returns true when the handle removed was the last one.
  bool RemoveHandle() { return handles_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
  // Handles naming the object now (the named-object table checks it).
  int32_t handle_count() const { return handles_.load(std::memory_order_acquire); }

  // Runs once, when the last handle naming the object is closed. The object
  // stays alive while references remain.
  virtual void OnLastHandleClosed() {}

 private:
  // Ordered for size: a derived class's first small fields fill the bytes
  // after kind_ (an idle connection's socket object is counted in bytes:
  // docs/PERFORMANCE.md).
  std::atomic<int32_t> references_{1};
  std::atomic<int32_t> handles_{0};
  const ObjectKind kind_;
};

// An owning reference: Unref on destruction.
template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  // Adopts a reference the caller already holds.
  static RefPtr Adopt(T* object) {
    RefPtr pointer;
    pointer.object_ = object;
    return pointer;
  }
  // Takes a new reference.
  static RefPtr Share(T* object) {
    if (object) object->Ref();
    return Adopt(object);
  }
  RefPtr(RefPtr&& other) noexcept : object_(other.object_) { other.object_ = nullptr; }
  RefPtr& operator=(RefPtr&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = other.object_;
      other.object_ = nullptr;
    }
    return *this;
  }
  RefPtr(const RefPtr&) = delete;
  RefPtr& operator=(const RefPtr&) = delete;
  ~RefPtr() { reset(); }

  void reset() {
    if (object_) object_->Unref();
    object_ = nullptr;
  }
  T* get() const { return object_; }
  T* operator->() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  T* object_ = nullptr;
};

}  // namespace winapi

#endif  // IOCP_WINAPI_OBJECT_H_
