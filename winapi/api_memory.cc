// Exported memory functions: the heaps (GetProcessHeap, HeapCreate,
// HeapDestroy, HeapAlloc, HeapReAlloc, HeapFree, HeapSize), the Global* and
// Local* handles over the process heap, and virtual memory (VirtualAlloc,
// VirtualFree, VirtualProtect) over mmap.
//
// A heap is a set of malloc'd blocks, remembered with their sizes, so that a
// pointer that is not a live block of that heap (freed twice, from another
// heap, made up) fails with ERROR_INVALID_PARAMETER instead of corrupting
// memory, and HeapDestroy frees what is left.
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <windows.h>

#include <atomic>
#include <map>
#include <mutex>
#include <new>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "winapi/api_util.h"

using winapi::Fail;

namespace {

// Blocks are spread over shards by address, each with its own lock, so that
// threads allocating from one heap (the process heap, typically) rarely
// meet; the byte count is one atomic, checked against the maximum.
class Heap {
 public:
  explicit Heap(size_t maximum) : maximum_(maximum) {}
  ~Heap() {
    for (Shard& shard : shards_) {
      for (auto& [block, size] : shard.blocks) free(block);
    }
  }

  void* Allocate(size_t size, bool zero) {
    if (!Reserve(size)) return nullptr;
    // Zero-byte blocks are real, distinct blocks, as on Windows.
    void* block = zero ? calloc(1, size == 0 ? 1 : size) : malloc(size == 0 ? 1 : size);
    if (block == nullptr || !Track(block, size)) {
      free(block);
      in_use_.fetch_sub(size, std::memory_order_relaxed);
      return nullptr;
    }
    return block;
  }

  bool Free(void* block) {
    size_t size = 0;
    if (!Untrack(block, &size)) return false;
    in_use_.fetch_sub(size, std::memory_order_relaxed);
    free(block);
    return true;
  }

  // SIZE_MAX if `block` is not one of this heap's.
  size_t Size(const void* block) {
    Shard& shard = ShardOf(block);
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto found = shard.blocks.find(const_cast<void*>(block));
    return found == shard.blocks.end() ? SIZE_MAX : found->second;
  }

  enum class ReAllocResult { kOk, kNotABlock, kNoMemory };

  ReAllocResult ReAllocate(void* block, size_t size, bool zero, bool in_place_only, void** out) {
    Shard& shard = ShardOf(block);
    size_t old_size = 0;
    {
      std::lock_guard<std::mutex> lock(shard.mutex);
      auto found = shard.blocks.find(block);
      if (found == shard.blocks.end()) return ReAllocResult::kNotABlock;
      old_size = found->second;
      if (size <= malloc_usable_size(block)) {
        // In place: the block already has the room.
        if (size > old_size && !Reserve(size - old_size)) return ReAllocResult::kNoMemory;
        if (size < old_size) in_use_.fetch_sub(old_size - size, std::memory_order_relaxed);
        if (zero && size > old_size) {
          memset(static_cast<char*>(block) + old_size, 0, size - old_size);
        }
        found->second = size;
        *out = block;
        return ReAllocResult::kOk;
      }
      if (in_place_only) return ReAllocResult::kNoMemory;
      if (!Reserve(size - old_size)) return ReAllocResult::kNoMemory;
      shard.blocks.erase(found);  // moving: tracked again below
    }
    void* moved = realloc(block, size);
    if (moved == nullptr) {
      in_use_.fetch_sub(size - old_size, std::memory_order_relaxed);
      if (!Track(block, old_size)) {
        free(block);  // cannot happen in practice: the entry was just freed
        in_use_.fetch_sub(old_size, std::memory_order_relaxed);
      }
      return ReAllocResult::kNoMemory;
    }
    if (zero) memset(static_cast<char*>(moved) + old_size, 0, size - old_size);
    if (!Track(moved, size)) {
      free(moved);  // cannot track it: lost to the caller, as an error
      in_use_.fetch_sub(size, std::memory_order_relaxed);
      return ReAllocResult::kNoMemory;
    }
    *out = moved;
    return ReAllocResult::kOk;
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<void*, size_t> blocks;
  };

  Shard& ShardOf(const void* block) {
    const uint64_t hashed = (reinterpret_cast<uintptr_t>(block) >> 4) * 0x9E3779B97F4A7C15ull;
    return shards_[hashed >> 60];
  }

  // Counts `bytes` against the maximum; false if they do not fit.
  bool Reserve(size_t bytes) {
    if (maximum_ == 0) {
      in_use_.fetch_add(bytes, std::memory_order_relaxed);
      return true;
    }
    size_t current = in_use_.load(std::memory_order_relaxed);
    do {
      if (bytes > maximum_ || current > maximum_ - bytes) return false;
    } while (!in_use_.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
    return true;
  }

  bool Track(void* block, size_t size) {
    Shard& shard = ShardOf(block);
    std::lock_guard<std::mutex> lock(shard.mutex);
    try {
      shard.blocks.emplace(block, size);
    } catch (const std::bad_alloc&) {
      return false;
    }
    return true;
  }

  bool Untrack(void* block, size_t* size) {
    Shard& shard = ShardOf(block);
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto found = shard.blocks.find(block);
    if (found == shard.blocks.end()) return false;
    *size = found->second;
    shard.blocks.erase(found);
    return true;
  }

  const size_t maximum_;  // 0: growable
  std::atomic<size_t> in_use_{0};
  Shard shards_[kShards];
};

// The live heaps: a HANDLE that is not one of them fails cleanly.
std::mutex heaps_mutex;
std::unordered_set<Heap*>& Heaps() {
  static auto* heaps = new std::unordered_set<Heap*>();
  return *heaps;
}

Heap* ProcessHeap() {
  static Heap* heap = [] {
    auto* created = new Heap(0);
    std::lock_guard<std::mutex> lock(heaps_mutex);
    Heaps().insert(created);
    return created;
  }();
  return heap;
}

// Heaps are not destroyed while a call uses them only if the program does
// not destroy a heap another thread is using, which Windows does not allow
// either; the lookup protects against stale and made-up handles.
Heap* FindHeap(HANDLE handle) {
  if (handle == ProcessHeap()) return ProcessHeap();  // the common case, lock-free
  std::lock_guard<std::mutex> lock(heaps_mutex);
  Heap* heap = static_cast<Heap*>(handle);
  return Heaps().count(heap) != 0 ? heap : nullptr;
}

// ---- virtual memory ----

constexpr size_t kPageSize = 4096;
constexpr size_t kGranularity = 65536;  // SYSTEM_INFO.dwAllocationGranularity

// A reserved region: its pages' protections (0 = reserved, not committed).
struct Region {
  size_t size;
  std::vector<uint32_t> protection;
};

std::mutex regions_mutex;
std::map<uintptr_t, Region>& Regions() {
  static auto* regions = new std::map<uintptr_t, Region>();
  return *regions;
}

// The Linux protection of a Windows page protection; false if invalid.
bool ProtectionBits(DWORD protect, int* bits) {
  switch (protect & ~DWORD{PAGE_NOCACHE | PAGE_WRITECOMBINE}) {
    case PAGE_NOACCESS:
      *bits = PROT_NONE;
      return true;
    case PAGE_READONLY:
      *bits = PROT_READ;
      return true;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
      *bits = PROT_READ | PROT_WRITE;
      return true;
    case PAGE_EXECUTE:
      *bits = PROT_EXEC;
      return true;
    case PAGE_EXECUTE_READ:
      *bits = PROT_READ | PROT_EXEC;
      return true;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
      *bits = PROT_READ | PROT_WRITE | PROT_EXEC;
      return true;
    default:
      return false;  // PAGE_GUARD, combinations, 0
  }
}

// The region holding [address, address + size), or end().
std::map<uintptr_t, Region>::iterator FindRegion(uintptr_t address, size_t size) {
  auto& regions = Regions();
  auto it = regions.upper_bound(address);
  if (it == regions.begin()) return regions.end();
  --it;
  if (address - it->first >= it->second.size || size > it->second.size - (address - it->first)) {
    return regions.end();
  }
  return it;
}

// Reserves `size` bytes at a 64 KiB boundary, or at `wanted` (rounded down
// to one) if non-zero. Returns 0 on failure with *error set.
uintptr_t Reserve(uintptr_t wanted, size_t size, uint32_t* error) {
  if (wanted != 0) {
    const uintptr_t base = wanted & ~(kGranularity - 1);
    size = ((wanted + size + kPageSize - 1) & ~(kPageSize - 1)) - base;
    void* got = mmap(reinterpret_cast<void*>(base), size, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (got == MAP_FAILED) {
      *error = errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_ADDRESS;
      return 0;
    }
    if (got != reinterpret_cast<void*>(base)) {  // a kernel without NOREPLACE
      munmap(got, size);
      *error = ERROR_INVALID_ADDRESS;
      return 0;
    }
    Regions()[base] = Region{size, std::vector<uint32_t>(size / kPageSize, 0)};
    return base;
  }
  // Over-reserve by the granularity, then trim to a 64 KiB boundary.
  const size_t mapped = size + kGranularity;
  void* got = mmap(nullptr, mapped, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (got == MAP_FAILED) {
    *error = ERROR_NOT_ENOUGH_MEMORY;
    return 0;
  }
  const uintptr_t start = reinterpret_cast<uintptr_t>(got);
  const uintptr_t base = (start + kGranularity - 1) & ~(kGranularity - 1);
  if (base > start) munmap(got, base - start);
  const uintptr_t end = start + mapped;
  if (end > base + size) munmap(reinterpret_cast<void*>(base + size), end - (base + size));
  Regions()[base] = Region{size, std::vector<uint32_t>(size / kPageSize, 0)};
  return base;
}

// Commits [address, address + size) (page-rounded) of `region`: pages not
// yet committed are fresh zero pages already; committed ones keep their
// contents. Everything gets `protect`.
bool Commit(std::map<uintptr_t, Region>::iterator region, uintptr_t address, size_t size,
            DWORD protect, int bits) {
  const uintptr_t first = address & ~(kPageSize - 1);
  const uintptr_t last = (address + size + kPageSize - 1) & ~(kPageSize - 1);
  if (mprotect(reinterpret_cast<void*>(first), last - first, bits) != 0) return false;
  for (uintptr_t page = first; page < last; page += kPageSize) {
    region->second.protection[(page - region->first) / kPageSize] = protect;
  }
  return true;
}

}  // namespace

extern "C" {

HANDLE WINAPI GetProcessHeap(void) { return ProcessHeap(); }

HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize) {
  (void)flOptions;  // serialization and executability need nothing here
  if (dwMaximumSize != 0 && dwInitialSize > dwMaximumSize) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  Heap* heap = new (std::nothrow) Heap(dwMaximumSize);
  if (heap == nullptr) {
    Fail(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(heaps_mutex);
  Heaps().insert(heap);
  return heap;
}

BOOL WINAPI HeapDestroy(HANDLE hHeap) {
  Heap* heap = FindHeap(hHeap);
  if (heap == nullptr) return Fail(ERROR_INVALID_HANDLE);
  // The process heap cannot be destroyed (docs/porting-system.md).
  if (heap == ProcessHeap()) return Fail(ERROR_INVALID_PARAMETER);
  {
    std::lock_guard<std::mutex> lock(heaps_mutex);
    Heaps().erase(heap);
  }
  delete heap;
  return TRUE;
}

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes) {
  Heap* heap = FindHeap(hHeap);
  if (heap == nullptr) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  void* block = heap->Allocate(dwBytes, (dwFlags & HEAP_ZERO_MEMORY) != 0);
  if (block == nullptr) Fail(ERROR_NOT_ENOUGH_MEMORY);
  return block;
}

LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes) {
  Heap* heap = FindHeap(hHeap);
  if (heap == nullptr) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  void* moved = nullptr;
  switch (heap->ReAllocate(lpMem, dwBytes, (dwFlags & HEAP_ZERO_MEMORY) != 0,
                           (dwFlags & HEAP_REALLOC_IN_PLACE_ONLY) != 0, &moved)) {
    case Heap::ReAllocResult::kOk:
      return moved;
    case Heap::ReAllocResult::kNotABlock:
      Fail(ERROR_INVALID_PARAMETER);
      return nullptr;
    case Heap::ReAllocResult::kNoMemory:
      Fail(ERROR_NOT_ENOUGH_MEMORY);
      return nullptr;
  }
  return nullptr;
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem) {
  (void)dwFlags;
  Heap* heap = FindHeap(hHeap);
  if (heap == nullptr) return Fail(ERROR_INVALID_HANDLE);
  if (lpMem == nullptr) return TRUE;  // freeing NULL succeeds, as on Windows
  if (!heap->Free(lpMem)) return Fail(ERROR_INVALID_PARAMETER);
  return TRUE;
}

SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem) {
  (void)dwFlags;
  Heap* heap = FindHeap(hHeap);
  if (heap == nullptr) {
    Fail(ERROR_INVALID_HANDLE);
    return static_cast<SIZE_T>(-1);
  }
  const size_t size = heap->Size(lpMem);
  if (size == SIZE_MAX) Fail(ERROR_INVALID_PARAMETER);
  return size;
}

// Local and Global memory: blocks of the process heap; a "moveable" block's
// handle is its address (it never moves), so Lock returns the handle and
// Unlock has nothing to do.
HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes) {
  if ((uFlags & ~UINT{LMEM_MOVEABLE | LMEM_ZEROINIT | LMEM_NOCOMPACT | LMEM_NODISCARD |
                      LMEM_DISCARDABLE}) != 0) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return HeapAlloc(ProcessHeap(), (uFlags & LMEM_ZEROINIT) != 0 ? HEAP_ZERO_MEMORY : 0, uBytes);
}

HLOCAL WINAPI LocalFree(HLOCAL hMem) {
  if (hMem == nullptr) return nullptr;
  if (!ProcessHeap()->Free(hMem)) {
    Fail(ERROR_INVALID_HANDLE);
    return hMem;  // failure: the handle comes back
  }
  return nullptr;
}

HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags) {
  if (hMem == nullptr) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  if ((uFlags & LMEM_MODIFY) != 0) return hMem;  // attributes only: nothing to change here
  void* moved = nullptr;
  // Without LMEM_MOVEABLE a fixed block may only grow in place.
  switch (ProcessHeap()->ReAllocate(hMem, uBytes, (uFlags & LMEM_ZEROINIT) != 0,
                                    (uFlags & LMEM_MOVEABLE) == 0, &moved)) {
    case Heap::ReAllocResult::kOk:
      return moved;
    case Heap::ReAllocResult::kNotABlock:
      Fail(ERROR_INVALID_HANDLE);
      return nullptr;
    case Heap::ReAllocResult::kNoMemory:
      Fail(ERROR_NOT_ENOUGH_MEMORY);
      return nullptr;
  }
  return nullptr;
}

SIZE_T WINAPI LocalSize(HLOCAL hMem) {
  const size_t size = hMem == nullptr ? SIZE_MAX : ProcessHeap()->Size(hMem);
  if (size == SIZE_MAX) {
    Fail(ERROR_INVALID_HANDLE);
    return 0;
  }
  return size;
}

LPVOID WINAPI LocalLock(HLOCAL hMem) {
  if (hMem == nullptr || ProcessHeap()->Size(hMem) == SIZE_MAX) {
    Fail(ERROR_INVALID_HANDLE);
    return nullptr;
  }
  return hMem;
}

BOOL WINAPI LocalUnlock(HLOCAL hMem) {
  if (hMem == nullptr || ProcessHeap()->Size(hMem) == SIZE_MAX) return Fail(ERROR_INVALID_HANDLE);
  // Not locked (fixed blocks never are): FALSE with NO_ERROR, as on Windows.
  return Fail(NO_ERROR);
}

HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes) { return LocalAlloc(uFlags, dwBytes); }
HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags) {
  return LocalReAlloc(hMem, dwBytes, uFlags);
}
HGLOBAL WINAPI GlobalFree(HGLOBAL hMem) { return LocalFree(hMem); }
SIZE_T WINAPI GlobalSize(HGLOBAL hMem) { return LocalSize(hMem); }
LPVOID WINAPI GlobalLock(HGLOBAL hMem) { return LocalLock(hMem); }
BOOL WINAPI GlobalUnlock(HGLOBAL hMem) { return LocalUnlock(hMem); }

LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                           DWORD flProtect) {
  int bits = 0;
  const DWORD type = flAllocationType & ~DWORD{MEM_TOP_DOWN};
  if (dwSize == 0 ||
      (type != MEM_COMMIT && type != MEM_RESERVE && type != (MEM_COMMIT | MEM_RESERVE))) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  if (!ProtectionBits(flProtect, &bits)) {
    Fail(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  if (dwSize > (SIZE_T{1} << 47)) {
    Fail(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
  const uintptr_t wanted = reinterpret_cast<uintptr_t>(lpAddress);
  std::lock_guard<std::mutex> lock(regions_mutex);
  // MEM_COMMIT without an address reserves too, as on Windows.
  if ((type & MEM_RESERVE) != 0 || wanted == 0) {
    uint32_t error = 0;
    const size_t size = (dwSize + kPageSize - 1) & ~(kPageSize - 1);
    const uintptr_t base = Reserve(wanted, size, &error);
    if (base == 0) {
      Fail(error);
      return nullptr;
    }
    auto region = Regions().find(base);
    if ((type & MEM_COMMIT) != 0 &&  // the whole reservation
        !Commit(region, base, region->second.size, flProtect, bits)) {
      munmap(reinterpret_cast<void*>(base), region->second.size);
      Regions().erase(region);
      Fail(ERROR_NOT_ENOUGH_MEMORY);
      return nullptr;
    }
    return reinterpret_cast<void*>(base);
  }
  // MEM_COMMIT alone: inside a region reserved before.
  auto region = FindRegion(wanted, dwSize);
  if (region == Regions().end()) {
    Fail(ERROR_INVALID_ADDRESS);
    return nullptr;
  }
  if (!Commit(region, wanted, dwSize, flProtect, bits)) {
    Fail(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
  return reinterpret_cast<void*>(wanted & ~(kPageSize - 1));
}

BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
  if (dwFreeType != MEM_RELEASE && dwFreeType != MEM_DECOMMIT) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  std::lock_guard<std::mutex> lock(regions_mutex);
  if (dwFreeType == MEM_RELEASE) {
    // The whole region, named by its base, with a size of 0.
    if (dwSize != 0) return Fail(ERROR_INVALID_PARAMETER);
    auto region = Regions().find(address);
    if (region == Regions().end()) return Fail(ERROR_INVALID_ADDRESS);
    munmap(lpAddress, region->second.size);
    Regions().erase(region);
    return TRUE;
  }
  auto region = FindRegion(address, dwSize == 0 ? 1 : dwSize);
  if (region == Regions().end()) return Fail(ERROR_INVALID_ADDRESS);
  // Size 0 decommits the whole region, from its base.
  uintptr_t first = address & ~(kPageSize - 1);
  uintptr_t last = (address + dwSize + kPageSize - 1) & ~(kPageSize - 1);
  if (dwSize == 0) {
    if (address != region->first) return Fail(ERROR_INVALID_ADDRESS);
    first = region->first;
    last = region->first + region->second.size;
  }
  // Decommitted pages read back as zeros when committed again.
  void* start = reinterpret_cast<void*>(first);
  if (mmap(start, last - first, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
           -1, 0) == MAP_FAILED) {
    return Fail(ERROR_NOT_ENOUGH_MEMORY);
  }
  for (uintptr_t page = first; page < last; page += kPageSize) {
    region->second.protection[(page - region->first) / kPageSize] = 0;
  }
  return TRUE;
}

BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                           PDWORD lpflOldProtect) {
  int bits = 0;
  if (!ProtectionBits(flNewProtect, &bits)) return Fail(ERROR_INVALID_PARAMETER);
  if (lpflOldProtect == nullptr) return Fail(ERROR_NOACCESS);
  const uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
  std::lock_guard<std::mutex> lock(regions_mutex);
  auto region = FindRegion(address, dwSize == 0 ? 1 : dwSize);
  if (region == Regions().end()) return Fail(ERROR_INVALID_ADDRESS);
  const uintptr_t first = address & ~(kPageSize - 1);
  const uintptr_t last = (address + (dwSize == 0 ? 1 : dwSize) + kPageSize - 1) & ~(kPageSize - 1);
  // Every page must be committed.
  for (uintptr_t page = first; page < last; page += kPageSize) {
    if (region->second.protection[(page - region->first) / kPageSize] == 0) {
      return Fail(ERROR_INVALID_ADDRESS);
    }
  }
  *lpflOldProtect = region->second.protection[(first - region->first) / kPageSize];
  if (!Commit(region, first, last - first, flNewProtect, bits)) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  return TRUE;
}

}  // extern "C"
