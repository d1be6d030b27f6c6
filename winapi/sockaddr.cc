#include "winapi/sockaddr.h"

#include <netinet/in.h>
#include <string.h>

namespace winapi {
namespace {

constexpr int kWsaEfault = 10014;
constexpr int kWsaEafnosupport = 10047;

static_assert(sizeof(sockaddr_in) == kWindowsSockaddrInSize, "same layout as Windows");
static_assert(sizeof(sockaddr_in6) == kWindowsSockaddrIn6Size, "same layout as Windows");

uint16_t FamilyOf(const void* address) {
  uint16_t family;
  memcpy(&family, address, sizeof(family));
  return family;
}

}  // namespace

int LinuxFamily(int windows_family) {
  switch (windows_family) {
    case kWindowsAfUnspec: return AF_UNSPEC;
    case kWindowsAfInet: return AF_INET;
    case kWindowsAfInet6: return AF_INET6;
    default: return -1;
  }
}

int WindowsFamily(int linux_family) {
  switch (linux_family) {
    case AF_UNSPEC: return kWindowsAfUnspec;
    case AF_INET: return kWindowsAfInet;
    case AF_INET6: return kWindowsAfInet6;
    default: return -1;
  }
}

int WindowsSize(int windows_family) {
  switch (windows_family) {
    case kWindowsAfInet: return kWindowsSockaddrInSize;
    case kWindowsAfInet6: return kWindowsSockaddrIn6Size;
    default: return 0;
  }
}

int ToLinux(const void* address, int length, sockaddr_storage* out, socklen_t* out_length) {
  if (address == nullptr || length < static_cast<int>(sizeof(uint16_t))) return kWsaEfault;
  const uint16_t windows_family = FamilyOf(address);
  const int size = WindowsSize(windows_family);
  if (size == 0) return kWsaEafnosupport;
  if (length < size) return kWsaEfault;
  memset(out, 0, sizeof(*out));
  memcpy(out, address, size);  // same layout; only the family number differs
  const uint16_t family = static_cast<uint16_t>(LinuxFamily(windows_family));
  memcpy(out, &family, sizeof(family));
  *out_length = static_cast<socklen_t>(size);
  return 0;
}

int ToWindows(const sockaddr* address, socklen_t address_length, void* out, int* length) {
  if (address == nullptr || length == nullptr) return kWsaEfault;
  const int windows_family = WindowsFamily(address->sa_family);
  const int size = WindowsSize(windows_family);
  if (size == 0 || static_cast<int>(address_length) < size) return kWsaEafnosupport;
  if (out == nullptr || *length < size) return kWsaEfault;
  memcpy(out, address, size);
  const uint16_t family = static_cast<uint16_t>(windows_family);
  memcpy(out, &family, sizeof(family));
  *length = size;
  return 0;
}

}  // namespace winapi
