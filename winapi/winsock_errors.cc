#include "winapi/winsock_errors.h"

#include <errno.h>

namespace winapi {
namespace {

// X(errno, WSAE* value)
#define IOCP_WINSOCK_ERRNO_TABLE(X) \
  X(EINTR, 10004)                   \
  X(EBADF, 10038) /* a closed descriptor: not a socket any more */ \
  X(EACCES, 10013)                  \
  X(EPERM, 10013)                   \
  X(EFAULT, 10014)                  \
  X(EINVAL, 10022)                  \
  X(EMFILE, 10024)                  \
  X(ENFILE, 10024)                  \
  X(EAGAIN, 10035)                  \
  X(EINPROGRESS, 10036)             \
  X(EALREADY, 10037)                \
  X(ENOTSOCK, 10038)                \
  X(EDESTADDRREQ, 10039)            \
  X(EMSGSIZE, 10040)                \
  X(EPROTOTYPE, 10041)              \
  X(ENOPROTOOPT, 10042)             \
  X(EPROTONOSUPPORT, 10043)         \
  X(ESOCKTNOSUPPORT, 10044)         \
  X(EOPNOTSUPP, 10045)              \
  X(EPFNOSUPPORT, 10046)            \
  X(EAFNOSUPPORT, 10047)            \
  X(EADDRINUSE, 10048)              \
  X(EADDRNOTAVAIL, 10049)           \
  X(ENETDOWN, 10050)                \
  X(ENETUNREACH, 10051)             \
  X(ENETRESET, 10052)               \
  X(ECONNABORTED, 10053)            \
  X(ECONNRESET, 10054)              \
  X(EPIPE, 10054) /* sending after the peer reset the connection */ \
  X(ENOBUFS, 10055)                 \
  X(ENOMEM, 10055)                  \
  X(EISCONN, 10056)                 \
  X(ENOTCONN, 10057)                \
  X(ESHUTDOWN, 10058)               \
  X(ETOOMANYREFS, 10059)            \
  X(ETIMEDOUT, 10060)               \
  X(ECONNREFUSED, 10061)            \
  X(ELOOP, 10062)                   \
  X(ENAMETOOLONG, 10063)            \
  X(EHOSTDOWN, 10064)               \
  X(EHOSTUNREACH, 10065)

}  // namespace

uint32_t WinsockFromErrno(int negative_errno) {
  switch (-negative_errno) {
    case 0:
      return 0;
#define IOCP_CASE(errno_value, wsa) \
  case errno_value:                 \
    return wsa;
      IOCP_WINSOCK_ERRNO_TABLE(IOCP_CASE)
#undef IOCP_CASE
    default:
      return 10022;  // WSAEINVAL: the closest generic Winsock failure
  }
}

}  // namespace winapi
