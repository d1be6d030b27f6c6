// The standard handles: GetStdHandle's objects over the process's own
// descriptors 0, 1 and 2, which live outside the ring (the simulated kernel
// does not have them), so ReadFile and WriteFile on them are plain
// synchronous read(2)/write(2) calls. Their kind is kStdHandle, not kFile:
// code that takes a kFile object for a FileObject never meets one.
#ifndef IOCP_WINAPI_CONSOLE_H_
#define IOCP_WINAPI_CONSOLE_H_

#include <stdint.h>

#include "winapi/io.h"

namespace winapi {

class HostFileObject final : public IoObject {
 public:
  // Names `fd` without owning it: closing the handle leaves the descriptor
  // (and printf/std::cout on it) working.
  HostFileObject(int fd, bool is_input)
      : IoObject(ObjectKind::kStdHandle, fd, false), is_input_(is_input) {}

  bool is_input() const { return is_input_; }

 private:
  const bool is_input_;
};

// ReadFile/WriteFile on a HostFileObject: synchronous, whole for writes.
// Returns the BOOL to give the caller, with the last error set.
int HostTransfer(HostFileObject* file, bool read, void* buffer, uint32_t length,
                 uint32_t* transferred, void* overlapped);

}  // namespace winapi

#endif  // IOCP_WINAPI_CONSOLE_H_
