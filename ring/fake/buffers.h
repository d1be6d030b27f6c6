// Byte movement between callers' buffers (iovec lists) and the simulated
// kernel's queues.
#ifndef IOCP_RING_FAKE_BUFFERS_H_
#define IOCP_RING_FAKE_BUFFERS_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <string>
#include <vector>

namespace ring::fake_internal {

// The most one read or write moves, as the kernel's MAX_RW_COUNT.
inline constexpr size_t kMaxTransfer = 0x7ffff000;
// The most iovecs one vectored call takes (UIO_MAXIOV).
inline constexpr size_t kMaxIovecs = 1024;

// A caller's buffer list. `total` is the usable length (capped at
// kMaxTransfer); positions below are logical offsets into the list.
class UserBuffers {
 public:
  UserBuffers() = default;
  // Returns 0, -EFAULT (null array or null buffer with a length) or -EINVAL
  // (a length that overflows).
  int Assign(const iovec* iov, size_t count);
  int AssignSingle(void* base, size_t length);

  size_t total() const { return total_; }
  // Copies `n` bytes starting at logical `offset` out of the buffers.
  void CopyOut(size_t offset, size_t n, char* destination) const;
  // Copies `n` bytes into the buffers starting at logical `offset`.
  void CopyIn(size_t offset, size_t n, const char* source) const;

 private:
  std::vector<iovec> parts_;
  size_t total_ = 0;
};

// A FIFO of bytes (a stream socket's receive queue, a pipe).
class ByteQueue {
 public:
  size_t size() const { return data_.size() - head_; }
  bool empty() const { return size() == 0; }
  const char* front() const { return data_.data() + head_; }

  void Append(const char* bytes, size_t n) { data_.append(bytes, n); }
  void Consume(size_t n);
  void Clear() {
    data_.clear();
    head_ = 0;
  }

 private:
  std::string data_;
  size_t head_ = 0;  // bytes already consumed at the front of data_
};

}  // namespace ring::fake_internal

#endif  // IOCP_RING_FAKE_BUFFERS_H_
