// Error translation, in one table: Linux errno -> NTSTATUS (what Windows
// stores in OVERLAPPED.Internal) -> Win32 error (GetLastError after GQCS or
// GetOverlappedResult) and Winsock error (WSAGetOverlappedResult, synchronous
// Winsock calls). Values from ../shared/spec/iocp-semantics.md's error table.
#ifndef IOCP_WINAPI_ERRORS_H_
#define IOCP_WINAPI_ERRORS_H_

#include <stdint.h>

namespace winapi {

// NTSTATUS values (as unsigned; OVERLAPPED.Internal holds them zero-extended).
inline constexpr uint32_t kStatusSuccess = 0;
inline constexpr uint32_t kStatusPending = 0x103;
inline constexpr uint32_t kStatusCancelled = 0xC0000120;
inline constexpr uint32_t kStatusEndOfFile = 0xC0000011;
inline constexpr uint32_t kStatusInvalidHandle = 0xC0000008;
inline constexpr uint32_t kStatusConnectionAborted = 0xC0000241;

// Win32 error numbers used by the layer itself.
inline constexpr uint32_t kErrorSuccess = 0;
inline constexpr uint32_t kErrorFileNotFound = 2;
inline constexpr uint32_t kErrorAccessDenied = 5;
inline constexpr uint32_t kErrorInvalidHandle = 6;
inline constexpr uint32_t kErrorNotEnoughMemory = 8;
inline constexpr uint32_t kErrorInvalidParameter = 87;
inline constexpr uint32_t kErrorWaitTimeout = 258;  // WAIT_TIMEOUT as an error
inline constexpr uint32_t kErrorAbandonedWait0 = 735;
inline constexpr uint32_t kErrorOperationAborted = 995;
inline constexpr uint32_t kErrorIoIncomplete = 996;
inline constexpr uint32_t kErrorIoPending = 997;
inline constexpr uint32_t kErrorNoAccess = 998;
inline constexpr uint32_t kErrorNotFound = 1168;
inline constexpr uint32_t kWaitIoCompletion = 0xC0;  // WAIT_IO_COMPLETION, also the error

// The NTSTATUS an I/O completion with this negative errno (or >= 0 result)
// carries.
uint32_t StatusFromErrno(int negative_errno);

// The Win32 error GetLastError reports for a failed packet with this status.
uint32_t Win32FromStatus(uint32_t status);

// The Winsock error WSAGetOverlappedResult reports for this status.
uint32_t WinsockFromStatus(uint32_t status);

// The Win32 error for a synchronous failure with this negative errno.
uint32_t Win32FromErrno(int negative_errno);

}  // namespace winapi

#endif  // IOCP_WINAPI_ERRORS_H_
