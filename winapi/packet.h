// A completion packet: what GetQueuedCompletionStatus(Ex) hands out. Laid out
// exactly like OVERLAPPED_ENTRY (checked where both are visible, in
// api_port.cc), so GetQueuedCompletionStatusEx dequeues straight into the
// caller's array.
#ifndef IOCP_WINAPI_PACKET_H_
#define IOCP_WINAPI_PACKET_H_

#include <stdint.h>

namespace winapi {

struct Packet {
  uintptr_t key = 0;           // lpCompletionKey
  void* overlapped = nullptr;  // lpOverlapped, returned as given
  uintptr_t status = 0;        // Internal: the NTSTATUS, zero-extended; 0 if posted
  uint32_t bytes = 0;          // dwNumberOfBytesTransferred
};

}  // namespace winapi

#endif  // IOCP_WINAPI_PACKET_H_
