// Memory ordering for the indices shared with the kernel, in one place.
//
// The producer of a ring publishes entries, then stores the index with release
// order; the consumer loads the index with acquire order, then reads entries.
// We produce SQEs (SQ tail) and consume CQEs (CQ tail); the kernel produces the
// SQ head (slots it has consumed) and the CQ tail, and consumes our CQ head
// (slots we have released for reuse).
#ifndef IOCP_RING_RAW_BARRIER_H_
#define IOCP_RING_RAW_BARRIER_H_

namespace ring::raw {

// Reads an index the kernel produces; what it guards is visible afterwards.
inline unsigned LoadAcquire(const unsigned* index) {
  return __atomic_load_n(index, __ATOMIC_ACQUIRE);
}

// Publishes an index after the entries it covers are written (or read).
inline void StoreRelease(unsigned* index, unsigned value) {
  __atomic_store_n(index, value, __ATOMIC_RELEASE);
}

// Reads a flag word the kernel updates asynchronously; no ordering needed
// because the flags are hints that lead to a system call.
inline unsigned LoadRelaxed(const unsigned* word) {
  return __atomic_load_n(word, __ATOMIC_RELAXED);
}

// Orders an earlier store (the SQ tail) before a later load (the SQ flags):
// the SQPOLL thread sets IORING_SQ_NEED_WAKEUP and then looks at the tail
// once more before it sleeps, so one of the two sides sees the other.
inline void FullFence() {
#if defined(__SANITIZE_THREAD__)
  // GCC's ThreadSanitizer rejects fences (-Wtsan); a sequentially consistent
  // read-modify-write is a full barrier as well.
  static unsigned word = 0;
  __atomic_fetch_add(&word, 0, __ATOMIC_SEQ_CST);
#else
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

}  // namespace ring::raw

#endif  // IOCP_RING_RAW_BARRIER_H_
