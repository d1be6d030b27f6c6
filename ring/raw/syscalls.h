// The three io_uring system calls, through syscall(2). Each returns >= 0 or a
// negative errno; callers never read errno. This is the whole of RawRing's
// contact with the kernel besides mmap.
#ifndef IOCP_RING_RAW_SYSCALLS_H_
#define IOCP_RING_RAW_SYSCALLS_H_

#include <errno.h>
#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ring::raw {

inline int IoUringSetup(unsigned entries, io_uring_params* params) {
  long rc = ::syscall(__NR_io_uring_setup, entries, params);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

inline int IoUringEnter(int ring_fd, unsigned to_submit, unsigned min_complete, unsigned flags,
                        const void* arg, size_t arg_size) {
  long rc = ::syscall(__NR_io_uring_enter, ring_fd, to_submit, min_complete, flags, arg, arg_size);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

inline int IoUringRegister(int ring_fd, unsigned opcode, const void* arg, unsigned nr_args) {
  long rc = ::syscall(__NR_io_uring_register, ring_fd, opcode, arg, nr_args);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

}  // namespace ring::raw

#endif  // IOCP_RING_RAW_SYSCALLS_H_
