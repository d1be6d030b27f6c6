// Address and error translation between Windows and Linux encodings.
#include "winapi/sockaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "gtest/gtest.h"
#include "winapi/winsock_errors.h"

namespace winapi {
namespace {

// A Windows sockaddr_in6, written byte by byte as Windows lays it out.
struct WindowsIn6 {
  uint16_t family;
  uint16_t port;
  uint32_t flowinfo;
  uint8_t address[16];
  uint32_t scope_id;
};
static_assert(sizeof(WindowsIn6) == 28, "");

TEST(Sockaddr, Ipv4RoundTripsWithTheSameFamilyNumber) {
  uint8_t windows[16] = {};
  const uint16_t family = kWindowsAfInet, port = htons(8080);
  const uint32_t loopback = htonl(INADDR_LOOPBACK);
  memcpy(windows, &family, 2);
  memcpy(windows + 2, &port, 2);
  memcpy(windows + 4, &loopback, 4);
  sockaddr_storage linux_address;
  socklen_t linux_length = 0;
  ASSERT_EQ(ToLinux(windows, sizeof(windows), &linux_address, &linux_length), 0);
  auto* in = reinterpret_cast<sockaddr_in*>(&linux_address);
  EXPECT_EQ(linux_length, sizeof(sockaddr_in));
  EXPECT_EQ(in->sin_family, AF_INET);
  EXPECT_EQ(in->sin_port, htons(8080));
  EXPECT_EQ(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  uint8_t back[16];
  int back_length = sizeof(back);
  ASSERT_EQ(ToWindows(reinterpret_cast<sockaddr*>(in), linux_length, back, &back_length), 0);
  EXPECT_EQ(back_length, 16);
  EXPECT_EQ(memcmp(back, windows, 16), 0);
}

TEST(Sockaddr, Ipv6FamilyIs23OnWindowsAnd10OnLinux) {
  WindowsIn6 windows = {};
  windows.family = kWindowsAfInet6;
  windows.port = htons(443);
  windows.flowinfo = 7;
  windows.address[15] = 1;  // ::1
  windows.scope_id = 3;
  sockaddr_storage linux_address;
  socklen_t linux_length = 0;
  ASSERT_EQ(ToLinux(&windows, sizeof(windows), &linux_address, &linux_length), 0);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&linux_address);
  EXPECT_EQ(linux_length, sizeof(sockaddr_in6));
  EXPECT_EQ(in6->sin6_family, AF_INET6);
  EXPECT_EQ(AF_INET6, 10);
  EXPECT_EQ(in6->sin6_port, htons(443));
  EXPECT_EQ(in6->sin6_flowinfo, 7u);
  EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
  EXPECT_EQ(in6->sin6_scope_id, 3u);
  WindowsIn6 back = {};
  int length = sizeof(back);
  ASSERT_EQ(ToWindows(reinterpret_cast<sockaddr*>(in6), linux_length, &back, &length), 0);
  EXPECT_EQ(length, 28);
  EXPECT_EQ(back.family, 23);
  EXPECT_EQ(memcmp(&back, &windows, sizeof(back)), 0);
}

TEST(Sockaddr, ShortLengthsNullAndUnknownFamiliesAreWinsockErrors) {
  sockaddr_storage out;
  socklen_t out_length;
  uint8_t v4[16] = {2, 0};
  EXPECT_EQ(ToLinux(nullptr, 16, &out, &out_length), 10014);
  EXPECT_EQ(ToLinux(v4, 15, &out, &out_length), 10014);
  EXPECT_EQ(ToLinux(v4, 1, &out, &out_length), 10014);
  uint8_t v6[28] = {23, 0};
  EXPECT_EQ(ToLinux(v6, 27, &out, &out_length), 10014);
  uint8_t unix_family[16] = {1, 0};  // AF_UNIX is not carried over Winsock here
  EXPECT_EQ(ToLinux(unix_family, 16, &out, &out_length), 10047);
  // A buffer too small: WSAEFAULT, length untouched, nothing written.
  sockaddr_in6 in6 = {};
  in6.sin6_family = AF_INET6;
  uint8_t small[16];
  memset(small, 0xAB, sizeof(small));
  int length = 16;
  EXPECT_EQ(ToWindows(reinterpret_cast<sockaddr*>(&in6), sizeof(in6), small, &length), 10014);
  EXPECT_EQ(length, 16);
  EXPECT_EQ(small[0], 0xAB);
}

TEST(WinsockErrors, SynchronousFailuresMapToWsaCodes) {
  EXPECT_EQ(WinsockFromErrno(0), 0u);
  EXPECT_EQ(WinsockFromErrno(-ECONNRESET), 10054u);
  EXPECT_EQ(WinsockFromErrno(-ENOTCONN), 10057u);
  EXPECT_EQ(WinsockFromErrno(-EINVAL), 10022u);
  EXPECT_EQ(WinsockFromErrno(-EFAULT), 10014u);
  EXPECT_EQ(WinsockFromErrno(-ENOTSOCK), 10038u);
  EXPECT_EQ(WinsockFromErrno(-EAGAIN), 10035u);
  EXPECT_EQ(WinsockFromErrno(-EADDRINUSE), 10048u);
  EXPECT_EQ(WinsockFromErrno(-ECONNREFUSED), 10061u);
  EXPECT_EQ(WinsockFromErrno(-EISCONN), 10056u);
  EXPECT_EQ(WinsockFromErrno(-ESHUTDOWN), 10058u);
  EXPECT_EQ(WinsockFromErrno(-EHOSTUNREACH), 10065u);
}

}  // namespace
}  // namespace winapi
