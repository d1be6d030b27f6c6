// Socket addresses between Windows' and Linux's encodings. The layouts of
// sockaddr_in (16 bytes) and sockaddr_in6 (28 bytes) are the same on both;
// the family numbers are not (AF_INET6 is 23 on Windows, 10 on Linux), and
// Windows checks lengths with its own error numbers. Pure functions on
// bytes, so the Winsock layer and the fuzzers share one implementation.
#ifndef IOCP_WINAPI_SOCKADDR_H_
#define IOCP_WINAPI_SOCKADDR_H_

#include <stdint.h>
#include <sys/socket.h>

namespace winapi {

// Windows' address family numbers.
inline constexpr uint16_t kWindowsAfUnspec = 0;
inline constexpr uint16_t kWindowsAfInet = 2;
inline constexpr uint16_t kWindowsAfInet6 = 23;

// Windows' sizes.
inline constexpr int kWindowsSockaddrInSize = 16;
inline constexpr int kWindowsSockaddrIn6Size = 28;

// The Linux family for a Windows family, or -1 if Winsock has no such
// family here.
int LinuxFamily(int windows_family);
// The Windows family for a Linux family, or -1.
int WindowsFamily(int linux_family);

// Converts a Windows address (`length` bytes at `address`) for the kernel.
// Returns 0, or a Winsock error: WSAEFAULT (10014) for a null address or a
// length too short for its family, WSAEAFNOSUPPORT (10047) for a family we
// do not carry.
int ToLinux(const void* address, int length, sockaddr_storage* out, socklen_t* out_length);

// Converts a kernel address into a caller's Windows buffer of *length bytes.
// Writes the address and sets *length to its Windows size. Returns 0, or
// WSAEFAULT when the buffer is too small (nothing written; *length is left
// unchanged, as Windows leaves it) or WSAEAFNOSUPPORT.
int ToWindows(const sockaddr* address, socklen_t address_length, void* out, int* length);

// The Windows size of an address of this Windows family, or 0.
int WindowsSize(int windows_family);

}  // namespace winapi

#endif  // IOCP_WINAPI_SOCKADDR_H_
