// The process's handle table: maps opaque HANDLE values to objects.
//
// A handle value encodes a slot index and the slot's generation:
//   bits 0-1   zero (Windows handles are multiples of 4; programs use the low
//              bit, e.g. hEvent | 1)
//   bits 2-21  slot index + 1 (up to kMaxHandles live handles)
//   bits 22-30 generation (9 bits)
// so every value is below 2^31: programs that keep a SOCKET in an int, which
// works on Windows, keep working. Closing a handle bumps its slot's
// generation, so the stale value fails with ERROR_INVALID_HANDLE instead of
// reaching whatever reuses the slot. Freed slots are reused oldest first, and
// only once kQuarantineSlots others are free, so a stale value aliases a new
// object only after about 512 x 1024 closes in between.
//
// Lookup takes no lock: each slot has one atomic word holding its generation,
// an "open" bit and the count of lookups in progress. A lookup increments the
// count only if generation and open bit still match (compare-and-swap); the
// slot is recycled when it is closed and the count drops to zero, by
// whichever of the two sees that state first. Insert and close take a mutex
// (they are not the hot path).
#ifndef IOCP_WINAPI_HANDLE_TABLE_H_
#define IOCP_WINAPI_HANDLE_TABLE_H_

#include <stdint.h>

#include <atomic>
#include <deque>
#include <mutex>

#include "winapi/object.h"

namespace winapi {

class HandleTable {
 public:
  static constexpr uint32_t kIndexBits = 20;
  static constexpr uint32_t kGenerationBits = 9;
  static constexpr uint32_t kMaxHandles = (1u << kIndexBits) - 1;
  static constexpr uint32_t kQuarantineSlots = 1024;

  // The process-wide table.
  static HandleTable& Get();

  HandleTable();
  ~HandleTable() = delete;  // lives for the whole process

  // A lookup in progress: keeps the slot from being recycled and the object
  // alive until destroyed.
  class Ref {
   public:
    Ref() = default;
    Ref(Ref&& other) noexcept : table_(other.table_), slot_(other.slot_), object_(other.object_) {
      other.table_ = nullptr;
      other.object_ = nullptr;
    }
    Ref& operator=(Ref&& other) noexcept {
      if (this != &other) {
        if (table_) table_->Release(slot_);
        table_ = other.table_;
        slot_ = other.slot_;
        object_ = other.object_;
        other.table_ = nullptr;
        other.object_ = nullptr;
      }
      return *this;
    }
    Ref(const Ref&) = delete;
    ~Ref() {
      if (table_) table_->Release(slot_);
    }
    Object* get() const { return object_; }
    explicit operator bool() const { return object_ != nullptr; }

   private:
    friend class HandleTable;
    // table == null: borrowed from the calling thread's cache, nothing to
    // release.
    Ref(HandleTable* table, uint32_t slot, Object* object)
        : table_(table), slot_(slot), object_(object) {}
    HandleTable* table_ = nullptr;
    uint32_t slot_ = 0;
    Object* object_ = nullptr;
  };

  // Names `object` with a new handle (taking a reference). Returns the handle
  // value, or 0 when the table is full.
  uintptr_t Insert(Object* object);

  // Finds the object a handle names; empty if the value is not a live handle.
  Ref Lookup(uintptr_t handle);
  // The same for an object of `kind` only: empty, holding nothing, for any
  // other (a socket call given a file handle fails WSAENOTSOCK).
  Ref LookupKind(uintptr_t handle, ObjectKind kind);

  // The same, for the hot path (GQCS, PQCS, ReadFile/WriteFile): each
  // thread remembers its last few handles with a reference to their objects,
  // and revalidates one with a single atomic load of its slot instead of two
  // read-modify-writes. A cached reference keeps a handle another thread
  // closed allocated (never usable: the slot check fails) until this thread
  // evicts it or exits; the closing thread drops its own at once. Sockets
  // are never cached: closesocket must release the descriptor promptly.
  Ref LookupCached(uintptr_t handle);

  // Whether `handle` is still open, for a caller that already holds a
  // reference to the object it named (so needs no lookup to keep it alive):
  // one atomic load, no read-modify-write.
  bool StillOpen(uintptr_t handle) const;
  // The same test, prepared: a thread that passes one handle again and again
  // (GQCS's port) keeps the handle's slot word and the value it holds while
  // that handle is open, so the test is one load and one compare.
  class OpenWatch {
   public:
    OpenWatch() = default;
    bool StillOpen() const {
      return state_ != nullptr && (state_->load(std::memory_order_acquire) & ~kLookupMask) == open_;
    }

   private:
    friend class HandleTable;
    const std::atomic<uint64_t>* state_ = nullptr;  // slots are never freed
    uint64_t open_ = 0;
  };
  // A watch of `handle`, which must be open now; an empty watch (never
  // open) if it is not.
  OpenWatch Watch(uintptr_t handle) const;

  // Closes a handle: later lookups fail. Returns false if it was not live.
  // Runs the object's OnLastHandleClosed when this was its last handle.
  bool Close(uintptr_t handle);

  // Live handles (for leak checks in tests).
  uint32_t live_handles() const { return live_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    // generation << 32 | open << 31 | lookups in progress
    std::atomic<uint64_t> state{0};
    std::atomic<Object*> object{nullptr};
  };
  static constexpr uint32_t kChunkBits = 10;
  static constexpr uint32_t kChunkSlots = 1u << kChunkBits;
  static constexpr uint32_t kChunks = (kMaxHandles + kChunkSlots) / kChunkSlots;
  static constexpr uint64_t kOpenBit = uint64_t{1} << 31;
  static constexpr uint64_t kLookupMask = kOpenBit - 1;

  static uint32_t GenerationOf(uint64_t state) { return static_cast<uint32_t>(state >> 32); }
  static uint64_t MakeState(uint32_t generation, bool open) {
    return (uint64_t{generation} << 32) | (open ? kOpenBit : 0);
  }
  static uintptr_t Encode(uint32_t index, uint32_t generation);
  static bool Decode(uintptr_t handle, uint32_t* index, uint32_t* generation);

  Slot* SlotAt(uint32_t index) const;
  bool AllocateSlot(uint32_t* index);  // under mutex_
  Object* CountIn(uintptr_t handle, uint32_t* index);
  void Release(uint32_t index);
  void Recycle(uint32_t index);

  std::atomic<Slot*> chunks_[kChunks];
  std::mutex mutex_;           // guards allocation: the fields below
  uint32_t next_unused_ = 0;   // slots [0, next_unused_) have been handed out
  std::deque<uint32_t> free_;  // recycled slots, oldest first
  std::atomic<uint32_t> live_{0};
};

// The lookup path, inline: every call on a handle takes it (a socket's
// WSARecv and WSASend twice per message), and a call into this library's
// other file cost as much as the lookup's own work.

inline bool HandleTable::Decode(uintptr_t handle, uint32_t* index, uint32_t* generation) {
  // The low two bits are tag bits the system ignores, as Windows' are
  // (OBJ_HANDLE_TAGBITS): h | 1 names the same object as h.
  handle &= ~uintptr_t{3};
  if (handle >> (2 + kIndexBits + kGenerationBits) != 0) return false;
  const uint32_t index_plus_one = static_cast<uint32_t>(handle >> 2) & kMaxHandles;
  if (index_plus_one == 0) return false;
  *index = index_plus_one - 1;
  *generation = static_cast<uint32_t>(handle >> (2 + kIndexBits));
  return true;
}

inline HandleTable::Slot* HandleTable::SlotAt(uint32_t index) const {
  Slot* chunk = chunks_[index >> kChunkBits].load(std::memory_order_acquire);
  return chunk ? &chunk[index & (kChunkSlots - 1)] : nullptr;
}

// Lookup's work: counts a lookup in on the slot `handle` names and returns
// its object (*index set), or null, having counted nothing in, if the value
// is not a live handle.
__attribute__((always_inline)) inline Object* HandleTable::CountIn(uintptr_t handle,
                                                                   uint32_t* index) {
  uint32_t generation;
  if (!Decode(handle, index, &generation)) return nullptr;
  Slot* slot = SlotAt(*index);
  if (slot == nullptr) return nullptr;
  uint64_t state = slot->state.load(std::memory_order_acquire);
  do {
    if (GenerationOf(state) != generation || (state & kOpenBit) == 0) return nullptr;
  } while (!slot->state.compare_exchange_weak(state, state + 1, std::memory_order_acquire,
                                              std::memory_order_acquire));
  return slot->object.load(std::memory_order_relaxed);
}

inline HandleTable::Ref HandleTable::Lookup(uintptr_t handle) {
  uint32_t index;
  Object* object = CountIn(handle, &index);
  return object != nullptr ? Ref(this, index, object) : Ref();
}

__attribute__((always_inline)) inline HandleTable::Ref HandleTable::LookupKind(uintptr_t handle,
                                                                               ObjectKind kind) {
  uint32_t index;
  Object* object = CountIn(handle, &index);
  if (object == nullptr) return Ref();
  // The kind is read only now: before the lookup counted in, the slot's
  // object could have been freed.
  if (__builtin_expect(object->kind() != kind, 0)) {
    Release(index);
    return Ref();
  }
  return Ref(this, index, object);
}

inline bool HandleTable::StillOpen(uintptr_t handle) const {
  uint32_t index, generation;
  if (!Decode(handle, &index, &generation)) return false;
  const Slot* slot = SlotAt(index);
  if (slot == nullptr) return false;
  const uint64_t state = slot->state.load(std::memory_order_acquire);
  return GenerationOf(state) == generation && (state & kOpenBit) != 0;
}

inline HandleTable::OpenWatch HandleTable::Watch(uintptr_t handle) const {
  OpenWatch watch;
  uint32_t index, generation;
  if (!Decode(handle, &index, &generation)) return watch;
  const Slot* slot = SlotAt(index);
  if (slot == nullptr) return watch;
  const uint64_t open = MakeState(generation, true);
  if ((slot->state.load(std::memory_order_acquire) & ~kLookupMask) != open) return watch;
  watch.state_ = &slot->state;
  watch.open_ = open;
  return watch;
}

inline void HandleTable::Release(uint32_t index) {
  Slot* slot = SlotAt(index);
  const uint64_t after = slot->state.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if ((after & kOpenBit) == 0 && (after & kLookupMask) == 0) Recycle(index);
}

}  // namespace winapi

#endif  // IOCP_WINAPI_HANDLE_TABLE_H_
