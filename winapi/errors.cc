#include "winapi/errors.h"

#include <errno.h>

namespace winapi {
namespace {

// X(status, win32, winsock, errno): the spec's error table. errno 0 marks a
// status no Linux error produces directly.
#define IOCP_STATUS_TABLE(X)                               \
  X(0xC0000120u, 995u, 995u, ECANCELED)   /* CANCELLED */  \
  X(0xC000020Du, 64u, 10054u, ECONNRESET) /* CONN_RESET */ \
  X(0xC000020Du, 64u, 10054u, EPIPE)                       \
  X(0xC0000241u, 1236u, 10053u, ECONNABORTED)              \
  X(0xC0000236u, 1225u, 10061u, ECONNREFUSED)              \
  X(0xC000013Bu, 64u, 10053u, 0)   /* LOCAL_DISCONNECT */  \
  X(0xC000013Cu, 64u, 10054u, 0)   /* REMOTE_DISCONNECT */ \
  X(0xC0000237u, 1226u, 10101u, 0) /* GRACEFUL_DISC. */    \
  X(0xC00000B5u, 121u, 10060u, ETIMEDOUT)                  \
  X(0xC000023Cu, 1231u, 10051u, ENETUNREACH)               \
  X(0xC000023Du, 1232u, 10065u, EHOSTUNREACH)              \
  X(0xC0000140u, 59u, 10057u, ENOTCONN)                    \
  X(0xC00000B0u, 233u, 10058u, ESHUTDOWN)                  \
  X(0xC000023Bu, 1230u, 10056u, EISCONN)                   \
  X(0x80000005u, 234u, 10040u, EMSGSIZE)                   \
  X(0xC0000023u, 122u, 10014u, 0)  /* BUFFER_TOO_SMALL */  \
  X(0xC0000350u, 1256u, 10064u, 0) /* HOST_DOWN */         \
  X(0xC0000008u, 6u, 10038u, EBADF)                        \
  X(0xC0000011u, 38u, 0u, 0)    /* END_OF_FILE */          \
  X(0xC000014Bu, 109u, 0u, 0)   /* PIPE_BROKEN */          \
  X(0xC00000B1u, 232u, 0u, 0)   /* PIPE_CLOSING */         \
  X(0x00000103u, 996u, 996u, 0) /* PENDING */

struct Row {
  uint32_t status;
  uint32_t win32;
  uint32_t winsock;
  int error_number;
};

constexpr Row kRows[] = {
#define IOCP_ROW(status, win32, winsock, errno_value) {status, win32, winsock, errno_value},
    IOCP_STATUS_TABLE(IOCP_ROW)
#undef IOCP_ROW
};

// Errors outside the table map to a generic failure: STATUS_UNSUCCESSFUL
// (0xC0000001) -> ERROR_GEN_FAILURE (31).
constexpr uint32_t kStatusUnsuccessful = 0xC0000001u;
constexpr uint32_t kErrorGenFailure = 31;

}  // namespace

uint32_t StatusFromErrno(int negative_errno) {
  if (negative_errno >= 0) return kStatusSuccess;
  for (const Row& row : kRows) {
    if (row.error_number != 0 && row.error_number == -negative_errno) return row.status;
  }
  return kStatusUnsuccessful;
}

uint32_t Win32FromStatus(uint32_t status) {
  if (status == kStatusSuccess) return kErrorSuccess;
  for (const Row& row : kRows) {
    if (row.status == status) return row.win32;
  }
  return kErrorGenFailure;
}

uint32_t WinsockFromStatus(uint32_t status) {
  if (status == kStatusSuccess) return 0;
  for (const Row& row : kRows) {
    if (row.status == status && row.winsock != 0) return row.winsock;
  }
  return kErrorGenFailure;
}

uint32_t Win32FromErrno(int negative_errno) {
  switch (-negative_errno) {
    case 0:
      return kErrorSuccess;
    case ENOMEM:
      return kErrorNotEnoughMemory;
    case EINVAL:
      return kErrorInvalidParameter;
    case EBADF:
      return kErrorInvalidHandle;
    case EFAULT:
      return kErrorNoAccess;
    default:
      return Win32FromStatus(StatusFromErrno(negative_errno));
  }
}

}  // namespace winapi
