#include "winapi/handle_table.h"

#include <new>

namespace winapi {

HandleTable& HandleTable::Get() {
  // Never destroyed: handles may be used from atexit handlers and detached
  // threads until the very end of the process.
  static HandleTable* const table = new HandleTable();
  return *table;
}

HandleTable::HandleTable() {
  for (auto& chunk : chunks_) chunk.store(nullptr, std::memory_order_relaxed);
}

uintptr_t HandleTable::Encode(uint32_t index, uint32_t generation) {
  const uintptr_t mask = (uintptr_t{1} << kGenerationBits) - 1;
  return ((generation & mask) << (2 + kIndexBits)) | (uintptr_t{index + 1} << 2);
}

bool HandleTable::AllocateSlot(uint32_t* index) {
  if (free_.size() >= kQuarantineSlots || (next_unused_ >= kMaxHandles && !free_.empty())) {
    *index = free_.front();
    free_.pop_front();
    return true;
  }
  if (next_unused_ >= kMaxHandles) return false;
  const uint32_t chunk_index = next_unused_ >> kChunkBits;
  if (chunks_[chunk_index].load(std::memory_order_relaxed) == nullptr) {
    Slot* chunk = new (std::nothrow) Slot[kChunkSlots];
    if (chunk == nullptr) return false;
    chunks_[chunk_index].store(chunk, std::memory_order_release);
  }
  *index = next_unused_++;
  return true;
}

uintptr_t HandleTable::Insert(Object* object) {
  uint32_t index;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!AllocateSlot(&index)) return 0;
  }
  object->Ref();
  object->AddHandle();
  Slot* slot = SlotAt(index);
  const uint32_t generation = GenerationOf(slot->state.load(std::memory_order_relaxed));
  slot->object.store(object, std::memory_order_relaxed);
  // Publishes the object together with the open bit.
  slot->state.store(MakeState(generation, true), std::memory_order_release);
  live_.fetch_add(1, std::memory_order_relaxed);
  return Encode(index, generation);
}

namespace {

// The calling thread's lookup cache (see LookupCached): a few entries, since
// a completion loop alternates between its port and its I/O handles.
struct LookupCache {
  static constexpr int kEntries = 4;
  struct Entry {
    uintptr_t handle = 0;
    Object* object = nullptr;  // a reference
  };
  ~LookupCache() {
    for (Entry& entry : entries) {
      if (entry.object) entry.object->Unref();
    }
  }
  Entry* Find(uintptr_t handle) {
    for (Entry& entry : entries) {
      if (entry.object != nullptr && entry.handle == handle) return &entry;
    }
    return nullptr;
  }
  void Drop(Entry* entry) {
    Object* object = entry->object;
    entry->object = nullptr;
    entry->handle = 0;
    if (object) object->Unref();
  }
  Entry entries[kEntries];
  int next_victim = 0;
};

LookupCache& ThreadCache() {
  thread_local LookupCache cache;
  return cache;
}

}  // namespace

HandleTable::Ref HandleTable::LookupCached(uintptr_t handle) {
  handle &= ~uintptr_t{3};  // tag bits (Decode)
  LookupCache& cache = ThreadCache();
  if (LookupCache::Entry* entry = cache.Find(handle)) {
    uint32_t index = 0, generation = 0;
    Decode(handle, &index, &generation);  // succeeded when it was cached
    const uint64_t state = SlotAt(index)->state.load(std::memory_order_acquire);
    if (GenerationOf(state) == generation && (state & kOpenBit) != 0) {
      return Ref(nullptr, 0, entry->object);
    }
    cache.Drop(entry);  // closed: forget it
  }
  Ref ref = Lookup(handle);
  if (!ref) return ref;
  // A cached reference keeps its object alive until the entry is evicted,
  // in whichever thread cached it. A socket's descriptor must close (and its
  // FIN go out) when closesocket's requests are done, not whenever some
  // other thread's cache moves on: sockets (and pipes, whose close the
  // other end must see too) are looked up uncached.
  if (ref.get()->kind() == ObjectKind::kSocket || ref.get()->kind() == ObjectKind::kPipe) {
    return ref;
  }
  LookupCache::Entry& victim = cache.entries[cache.next_victim];
  cache.next_victim = (cache.next_victim + 1) % LookupCache::kEntries;
  cache.Drop(&victim);
  victim.object = ref.get();
  victim.object->Ref();
  victim.handle = handle;
  return ref;
}

bool HandleTable::Close(uintptr_t handle) {
  handle &= ~uintptr_t{3};  // tag bits (Decode)
  // The closing thread lets go of its cached reference at once, so closing a
  // file or port frees it without waiting for this thread's next lookup.
  LookupCache& cache = ThreadCache();
  if (LookupCache::Entry* entry = cache.Find(handle)) cache.Drop(entry);
  // Hold a lookup while closing, so that no other thread can recycle the slot
  // (and drop the table's reference) before we have our own reference.
  Object* object;
  {
    Ref ref = Lookup(handle);
    if (!ref) return false;
    Slot* slot = SlotAt(ref.slot_);
    uint64_t state = slot->state.load(std::memory_order_acquire);
    const uint32_t generation = GenerationOf(state);
    for (;;) {
      if (GenerationOf(state) != generation || (state & kOpenBit) == 0)
        return false;  // lost a race
      if (slot->state.compare_exchange_weak(state, state & ~kOpenBit, std::memory_order_acq_rel,
                                            std::memory_order_acquire)) {
        break;
      }
    }
    object = ref.get();
    object->Ref();
    live_.fetch_sub(1, std::memory_order_relaxed);
  }  // our lookup ends; the last one out recycles the slot
  if (object->RemoveHandle()) object->OnLastHandleClosed();
  object->Unref();
  return true;
}

void HandleTable::Recycle(uint32_t index) {
  Slot* slot = SlotAt(index);
  Object* object = slot->object.exchange(nullptr, std::memory_order_relaxed);
  const uint32_t next_generation = (GenerationOf(slot->state.load(std::memory_order_relaxed)) + 1) &
                                   ((1u << kGenerationBits) - 1);
  slot->state.store(MakeState(next_generation, false), std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(index);
  }
  object->Unref();  // the table's reference
}

}  // namespace winapi
