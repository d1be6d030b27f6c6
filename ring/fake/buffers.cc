#include "ring/fake/buffers.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include <algorithm>
#include <limits>

#include "ring/fake/check.h"

namespace ring::fake_internal {

int UserBuffers::Assign(const iovec* iov, size_t count) {
  parts_.clear();
  total_ = 0;
  if (count == 0) return 0;
  if (iov == nullptr) return -EFAULT;
  size_t sum = 0;
  for (size_t i = 0; i < count; ++i) {
    if (iov[i].iov_len > static_cast<size_t>(std::numeric_limits<ssize_t>::max()) ||
        sum + iov[i].iov_len < sum) {
      return -EINVAL;
    }
    if (iov[i].iov_base == nullptr && iov[i].iov_len > 0) return -EFAULT;
    sum += iov[i].iov_len;
    parts_.push_back(iov[i]);
  }
  total_ = std::min(sum, kMaxTransfer);
  return 0;
}

int UserBuffers::AssignSingle(void* base, size_t length) {
  iovec one = {base, length};
  return Assign(&one, 1);
}

void UserBuffers::CopyOut(size_t offset, size_t n, char* destination) const {
  FAKE_CHECK(offset + n <= total_);
  for (const iovec& part : parts_) {
    if (n == 0) return;
    if (offset >= part.iov_len) {
      offset -= part.iov_len;
      continue;
    }
    const size_t chunk = std::min(n, part.iov_len - offset);
    memcpy(destination, static_cast<const char*>(part.iov_base) + offset, chunk);
    destination += chunk;
    n -= chunk;
    offset = 0;
  }
  FAKE_CHECK(n == 0);
}

void UserBuffers::CopyIn(size_t offset, size_t n, const char* source) const {
  FAKE_CHECK(offset + n <= total_);
  for (const iovec& part : parts_) {
    if (n == 0) return;
    if (offset >= part.iov_len) {
      offset -= part.iov_len;
      continue;
    }
    const size_t chunk = std::min(n, part.iov_len - offset);
    memcpy(static_cast<char*>(part.iov_base) + offset, source, chunk);
    source += chunk;
    n -= chunk;
    offset = 0;
  }
  FAKE_CHECK(n == 0);
}

void ByteQueue::Consume(size_t n) {
  FAKE_CHECK(n <= size());
  head_ += n;
  // Compact once the consumed prefix dominates, keeping appends amortised O(1).
  if (head_ == data_.size()) {
    Clear();
  } else if (head_ > 4096 && head_ * 2 > data_.size()) {
    data_.erase(0, head_);
    head_ = 0;
  }
}

}  // namespace ring::fake_internal
