// sockaddr_fuzzer: Windows <-> Linux socket address translation on arbitrary
// bytes and lengths. Checks: no out-of-bounds access (ASan), every accepted
// address converts back to exactly the input bytes of its Windows size, and
// every rejection is one of the two documented Winsock errors.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "winapi/sockaddr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // First byte: the length the caller claims (may exceed the bytes given,
  // which a real caller could not do, so clamp to what exists).
  const int claimed = data[0] % 40;
  std::vector<uint8_t> address(data + 1, data + size);
  const int length = claimed < static_cast<int>(address.size()) ? claimed
                                                                : static_cast<int>(address.size());
  sockaddr_storage linux_address;
  socklen_t linux_length = 0;
  int rc = winapi::ToLinux(address.empty() ? nullptr : address.data(), length, &linux_address,
                           &linux_length);
  if (rc != 0) {
    if (rc != 10014 && rc != 10047) abort();
    return 0;
  }
  uint8_t back[64];
  int back_length = data[0] % 2 ? 64 : static_cast<int>(linux_length);
  rc = winapi::ToWindows(reinterpret_cast<sockaddr*>(&linux_address), linux_length, back,
                         &back_length);
  if (rc != 0) abort();
  if (back_length > length || memcmp(back, address.data(), back_length) != 0) abort();
  return 0;
}
