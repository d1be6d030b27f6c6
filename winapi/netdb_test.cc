// Winsock's host and address functions through the public headers, as a
// Windows program calls them: byte order, the inet_* text forms,
// getaddrinfo/getnameinfo with Windows' layouts, family numbers and flag
// bits, the hostent/servent/protoent family, and their error numbers.
//
// Offline and deterministic: numeric addresses, /etc/hosts ("localhost"),
// /etc/services and /etc/protocols only; no lookup here reaches DNS.
// Expected values marked "observed" are Windows' as Wine's conformance tests
// record them; "documented" ones are Microsoft's; "chosen" ones are this
// project's where Windows' behaviour is not known.
#include <stddef.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

// A last-error value no call below sets, to see which calls leave it alone.
constexpr int kUntouched = 0x5eed;

// The public layouts the implementation mirrors.
static_assert(offsetof(ADDRINFOA, ai_canonname) == 24, "canonname before addr");
static_assert(offsetof(ADDRINFOA, ai_addr) == 32, "canonname before addr");
static_assert(offsetof(SERVENT, s_proto) == 16 && offsetof(SERVENT, s_port) == 24, "x64 servent");
static_assert(sizeof(HOSTENT) == 32, "hostent");

TEST(NetdbStartup, LookupsNeedWsaStartup) {
  // Undo whatever start-ups are outstanding, so this holds in any test order,
  // and redo them at the end.
  int outstanding = 0;
  while (WSACleanup() == 0) ++outstanding;
  ASSERT_EQ(WSAGetLastError(), WSANOTINITIALISED);

  // Byte order and text forms need no start-up.
  EXPECT_EQ(htons(0x1234), 0x3412);
  EXPECT_EQ(inet_addr("1.2.3.4"), 0x04030201u);
  IN_ADDR v4;
  EXPECT_EQ(inet_pton(AF_INET, "1.2.3.4", &v4), 1);
  char text[INET_ADDRSTRLEN];
  EXPECT_NE(inet_ntop(AF_INET, &v4, text, sizeof(text)), nullptr);
  EXPECT_STREQ(inet_ntoa(v4), "1.2.3.4");

  ADDRINFOA* result = reinterpret_cast<ADDRINFOA*>(1);
  WSASetLastError(kUntouched);
  EXPECT_EQ(getaddrinfo("127.0.0.1", "80", nullptr, &result), WSANOTINITIALISED);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  SOCKADDR_IN in = {};
  in.sin_family = AF_INET;
  char host[NI_MAXHOST];
  WSASetLastError(kUntouched);
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, sizeof(host), nullptr,
                        0, NI_NUMERICHOST),
            WSANOTINITIALISED);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(gethostbyname("localhost"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(gethostbyaddr("\x7f\x00\x00\x01", 4, AF_INET), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  char name[256];
  EXPECT_EQ(gethostname(name, sizeof(name)), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(getservbyname("http", "tcp"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(getservbyport(htons(80), "tcp"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(getprotobyname("tcp"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  WSASetLastError(kUntouched);
  EXPECT_EQ(getprotobynumber(6), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);

  WSADATA data;
  for (int i = 0; i < outstanding; ++i) ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

class Netdb : public ::testing::Test {
 protected:
  void SetUp() override {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
  }
  void TearDown() override { WSACleanup(); }
};

TEST_F(Netdb, ByteOrder) {
  EXPECT_EQ(htons(0x1234), 0x3412);
  EXPECT_EQ(ntohs(0x3412), 0x1234);
  EXPECT_EQ(htonl(0x12345678u), 0x78563412u);
  EXPECT_EQ(ntohl(0x78563412u), 0x12345678u);
  EXPECT_EQ(ntohl(htonl(0xdeadbeefu)), 0xdeadbeefu);
  static_assert(sizeof(htonl(0)) == 4, "u_long is 32 bits on Windows");
  static_assert(sizeof(inet_addr("")) == 4, "inet_addr returns a 32-bit ULONG");
}

TEST_F(Netdb, InetAddrForms) {
  struct Case {
    const char* text;
    ULONG address;  // network order, read as a little-endian number
  };
  const Case cases[] = {
      {"127.0.0.1", 0x0100007F},
      {"1.2.3", 0x03000201},         // a.b.c: c fills 16 bits
      {"0x7f.1", 0x0100007F},        // a.b: b fills 24 bits
      {"2130706433", 0x0100007F},    // a: 32 bits
      {"0177.0.0.01", 0x0100007F},   // octal parts
      {"1.2.3.0xaA", 0xaa030201},    // hexadecimal part
      {"017700000001", 0x0100007f},  // octal a
      {"0777", 0xff010000},          // 511
      {"3.4.5.6 ", 0x06050403},      // observed: white space ends it
      {"1.2.3 .4", 0x03000201},      // observed: the rest is ignored
      {"3.4.5.6\t7", 0x06050403},    // any C white space
      {"0.0.0.0", 0x00000000},
      {" ", 0x00000000},  // documented and observed
      {"255.255.255.255", INADDR_NONE},
      {"", INADDR_NONE},          // documented (Windows Server 2003 on)
      {"  ", INADDR_NONE},        // observed
      {" 3.4.5.6", INADDR_NONE},  // no leading white space
      {"256.1.1.1", INADDR_NONE},
      {"1.2.3.256", INADDR_NONE},
      {"1.2.65536", INADDR_NONE},
      {"1.2.3.4.5", INADDR_NONE},
      {"1.2.3.", INADDR_NONE},
      {".1.2.3", INADDR_NONE},
      {"1.2.3. 4", INADDR_NONE},
      {"1.1.1.0x", INADDR_NONE},
      {"1.2.3.0a", INADDR_NONE},
      {"1.2.3.08", INADDR_NONE},
      {"1.1.1.-2", INADDR_NONE},
      {"127.0.0.1:80", INADDR_NONE},
      {"1234BEEF", INADDR_NONE},
      {"0x100000000", INADDR_NONE},
      {"[1.2.3.4]", INADDR_NONE},
      {"::1", INADDR_NONE},
      {"abc", INADDR_NONE},
  };
  for (const Case& c : cases) {
    WSASetLastError(kUntouched);
    EXPECT_EQ(inet_addr(c.text), c.address) << '"' << c.text << '"';
    EXPECT_EQ(WSAGetLastError(), kUntouched) << '"' << c.text << '"';
  }
  // Observed: NULL is INADDR_NONE and WSAEFAULT.
  EXPECT_EQ(inet_addr(nullptr), INADDR_NONE);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(Netdb, InetNtoaIsPerThread) {
  IN_ADDR address;
  address.s_addr = inet_addr("10.20.30.40");
  const char* text = inet_ntoa(address);
  EXPECT_STREQ(text, "10.20.30.40");
  address.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_STREQ(inet_ntoa(address), "127.0.0.1");
  text = inet_ntoa(address);
  std::thread other([] {
    IN_ADDR mine;
    mine.s_addr = inet_addr("1.2.3.4");
    EXPECT_STREQ(inet_ntoa(mine), "1.2.3.4");
  });
  other.join();
  EXPECT_STREQ(text, "127.0.0.1");
}

TEST_F(Netdb, InetPton) {
  IN_ADDR v4;
  IN6_ADDR v6;
  EXPECT_EQ(inet_pton(AF_INET, "192.168.1.2", &v4), 1);
  EXPECT_EQ(v4.s_addr, 0x0201A8C0u);
  EXPECT_EQ(inet_pton(AF_INET6, "2001:db8::1", &v6), 1);  // AF_INET6 is 23
  EXPECT_EQ(v6.s6_addr[0], 0x20);
  EXPECT_EQ(v6.s6_addr[1], 0x01);
  EXPECT_EQ(v6.s6_addr[15], 1);
  EXPECT_EQ(inet_pton(AF_INET6, "::ffff:1.2.3.4", &v6), 1);
  EXPECT_EQ(v6.s6_addr[10], 0xff);
  EXPECT_EQ(v6.s6_addr[12], 1);

  // Observed: bad text returns 0 and leaves the last error.
  const char* bad_v4[] = {"", " ", "1.2.3", "1.1.1.010", "0x1.2.3.4", "1.2.3.4 ", "256.1.1.1"};
  for (const char* text : bad_v4) {
    WSASetLastError(kUntouched);
    EXPECT_EQ(inet_pton(AF_INET, text, &v4), 0) << '"' << text << '"';
    EXPECT_EQ(WSAGetLastError(), kUntouched);
  }
  const char* bad_v6[] = {"", "1.2.3.4", "1::2::3", ":1", "[::1]", "12345::"};
  for (const char* text : bad_v6) {
    EXPECT_EQ(inet_pton(AF_INET6, text, &v6), 0) << '"' << text << '"';
  }

  // Observed: the NULL checks come before the family check.
  EXPECT_EQ(inet_pton(AF_UNSPEC, nullptr, &v4), -1);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(inet_pton(AF_INET, "1.2.3.4", nullptr), -1);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(inet_pton(AF_UNSPEC, "127.0.0.1", &v4), -1);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  EXPECT_EQ(inet_pton(10, "::1", &v6), -1);  // Linux's AF_INET6 is not Windows'
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
}

TEST_F(Netdb, InetNtop) {
  IN_ADDR v4;
  v4.s_addr = 0x20201015;
  char text[INET6_ADDRSTRLEN];
  EXPECT_EQ(inet_ntop(AF_INET, &v4, text, sizeof(text)), text);
  EXPECT_STREQ(text, "21.16.32.32");

  IN6_ADDR v6 = {};
  const unsigned char suffix[] = {0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74};
  memcpy(&v6.s6_addr[10], suffix, sizeof(suffix));
  ASSERT_NE(inet_ntop(AF_INET6, &v6, text, sizeof(text)), nullptr);
  EXPECT_STREQ(text, "::fffe:cc98:bd74");
  // Room for the text and its NUL is enough; one byte less is not.
  EXPECT_NE(inet_ntop(AF_INET6, &v6, text, 17), nullptr);
  WSASetLastError(0);
  EXPECT_EQ(inet_ntop(AF_INET6, &v6, text, 16), nullptr);
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  v6.s6_addr[10] = v6.s6_addr[11] = 0;
  ASSERT_NE(inet_ntop(AF_INET6, &v6, text, sizeof(text)), nullptr);
  EXPECT_STREQ(text, "::204.152.189.116");  // observed: IPv4-compatible form

  WSASetLastError(0);
  EXPECT_EQ(inet_ntop(AF_INET, &v4, text, 6), nullptr);
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  WSASetLastError(0);
  EXPECT_EQ(inet_ntop(AF_INET, &v4, text, 0), nullptr);
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  WSASetLastError(0);
  EXPECT_EQ(inet_ntop(AF_INET, &v4, nullptr, sizeof(text)), nullptr);
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  WSASetLastError(0);
  EXPECT_EQ(inet_ntop(1, &v4, text, sizeof(text)), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
}

TEST_F(Netdb, GetAddrInfoNumericBothFamilies) {
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  ADDRINFOA* result = nullptr;
  WSASetLastError(kUntouched);
  ASSERT_EQ(getaddrinfo("127.0.0.1", "80", &hints, &result), 0);
  EXPECT_EQ(WSAGetLastError(), 0);  // observed: success clears it
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_family, AF_INET);
  EXPECT_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN));
  EXPECT_EQ(result->ai_addrlen, 16u);
  EXPECT_EQ(result->ai_socktype, SOCK_STREAM);
  EXPECT_EQ(result->ai_protocol, IPPROTO_TCP);
  EXPECT_EQ(result->ai_canonname, nullptr);
  EXPECT_EQ(result->ai_next, nullptr);
  auto* in = reinterpret_cast<SOCKADDR_IN*>(result->ai_addr);
  EXPECT_EQ(in->sin_family, AF_INET);
  EXPECT_EQ(in->sin_port, htons(80));
  EXPECT_EQ(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  freeaddrinfo(result);

  result = nullptr;
  ASSERT_EQ(getaddrinfo("::1", "443", &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_family, AF_INET6);
  EXPECT_EQ(result->ai_family, 23);
  EXPECT_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN6));
  EXPECT_EQ(result->ai_addrlen, 28u);
  auto* in6 = reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr);
  EXPECT_EQ(in6->sin6_family, 23);
  EXPECT_EQ(in6->sin6_port, htons(443));
  EXPECT_EQ(in6->sin6_addr.s6_addr[15], 1);
  EXPECT_EQ(result->ai_next, nullptr);
  freeaddrinfo(result);
  freeaddrinfo(nullptr);  // a no-op
}

TEST_F(Netdb, GetAddrInfoEchoesSocketTypeAndProtocol) {
  // Observed: no hints give one node per address, type 0 and protocol 0
  // (glibc would give one node per socket type).
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo("127.0.0.1", "7", nullptr, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_socktype, 0);
  EXPECT_EQ(result->ai_protocol, 0);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN*>(result->ai_addr)->sin_port, htons(7));
  EXPECT_EQ(result->ai_next, nullptr);
  freeaddrinfo(result);

  // Observed: a protocol that does not match the type is not checked.
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_UDP;
  ASSERT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), 0);
  EXPECT_EQ(result->ai_socktype, SOCK_STREAM);
  EXPECT_EQ(result->ai_protocol, IPPROTO_UDP);
  EXPECT_EQ(result->ai_next, nullptr);
  freeaddrinfo(result);

  hints.ai_socktype = 0;
  hints.ai_protocol = IPPROTO_UDP;
  ASSERT_EQ(getaddrinfo("127.0.0.1", "53", &hints, &result), 0);
  EXPECT_EQ(result->ai_socktype, 0);
  EXPECT_EQ(result->ai_protocol, IPPROTO_UDP);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN*>(result->ai_addr)->sin_port, htons(53));
  freeaddrinfo(result);

  hints.ai_socktype = 999;
  result = reinterpret_cast<ADDRINFOA*>(1);
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), WSAESOCKTNOSUPPORT);
  EXPECT_EQ(WSAGetLastError(), WSAESOCKTNOSUPPORT);
  EXPECT_EQ(result, nullptr);
}

TEST_F(Netdb, GetAddrInfoPassiveAndLoopback) {
  ADDRINFOA hints = {};
  hints.ai_family = AF_INET;
  hints.ai_flags = AI_PASSIVE;
  hints.ai_socktype = SOCK_STREAM;
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo(nullptr, "8080", &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  auto* in = reinterpret_cast<SOCKADDR_IN*>(result->ai_addr);
  EXPECT_EQ(in->sin_addr.s_addr, INADDR_ANY);
  EXPECT_EQ(in->sin_port, htons(8080));
  freeaddrinfo(result);

  hints.ai_family = AF_INET6;
  ASSERT_EQ(getaddrinfo(nullptr, "8080", &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_family, 23);
  auto* in6 = reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr);
  const IN6_ADDR any = {};
  EXPECT_EQ(memcmp(&in6->sin6_addr, &any, sizeof(any)), 0);
  freeaddrinfo(result);

  // Without AI_PASSIVE a NULL node is the loopback address.
  hints.ai_family = AF_INET;
  hints.ai_flags = 0;
  ASSERT_EQ(getaddrinfo(nullptr, "8080", &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN*>(result->ai_addr)->sin_addr.s_addr,
            htonl(INADDR_LOOPBACK));
  freeaddrinfo(result);
}

TEST_F(Netdb, GetAddrInfoTranslatesFlagBits) {
  // AI_NUMERICSERV (8) and AI_V4MAPPED (0x800) are other bits in glibc (8 is
  // glibc's AI_V4MAPPED).
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  ADDRINFOA* result = nullptr;
  EXPECT_EQ(getaddrinfo("127.0.0.1", "http", &hints, &result), WSAHOST_NOT_FOUND);
  ASSERT_EQ(getaddrinfo("127.0.0.1", "80", &hints, &result), 0);
  freeaddrinfo(result);

  hints.ai_family = AF_INET6;
  hints.ai_flags = AI_NUMERICHOST | AI_V4MAPPED;
  ASSERT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_family, 23);
  const IN6_ADDR& mapped = reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr)->sin6_addr;
  const unsigned char expected[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  EXPECT_EQ(memcmp(mapped.s6_addr, expected, sizeof(expected)), 0);
  freeaddrinfo(result);
}

TEST_F(Netdb, GetAddrInfoLocalhostWithCanonicalName) {
  ADDRINFOA hints = {};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo("localhost", "http", &hints, &result), 0);  // /etc/hosts, /etc/services
  ASSERT_NE(result, nullptr);
  ASSERT_NE(result->ai_canonname, nullptr);
  EXPECT_NE(strstr(result->ai_canonname, "localhost"), nullptr);
  // The name sits outside the address: placing it where glibc's layout puts
  // ai_addr would have overwritten one with the other.
  const char* name = result->ai_canonname;
  const char* address = reinterpret_cast<const char*>(result->ai_addr);
  EXPECT_TRUE(name + strlen(name) < address || name >= address + result->ai_addrlen);
  auto* in = reinterpret_cast<SOCKADDR_IN*>(result->ai_addr);
  EXPECT_EQ(in->sin_family, AF_INET);
  EXPECT_EQ(in->sin_port, htons(80));
  EXPECT_EQ(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  for (ADDRINFOA* node = result->ai_next; node != nullptr; node = node->ai_next) {
    EXPECT_EQ(node->ai_canonname, nullptr);  // the first node only
  }
  freeaddrinfo(result);
}

TEST_F(Netdb, GetAddrInfoBracketedIpv6) {
  // Observed: Windows takes "[v6]" and "[v6]:port" as a node (the port is
  // ignored).
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST;
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo("[::1]", "80", &hints, &result), 0);
  EXPECT_EQ(result->ai_family, 23);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr)->sin6_addr.s6_addr[15], 1);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr)->sin6_port, htons(80));
  freeaddrinfo(result);
  ASSERT_EQ(getaddrinfo("[::1]:10239", nullptr, &hints, &result), 0);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr)->sin6_port, 0);
  freeaddrinfo(result);
  EXPECT_EQ(getaddrinfo("[::1", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
  EXPECT_EQ(getaddrinfo("::1]", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
  hints.ai_family = AF_INET;
  EXPECT_EQ(getaddrinfo("[::1]", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
}

TEST_F(Netdb, GetAddrInfoErrors) {
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST;
  ADDRINFOA* result = reinterpret_cast<ADDRINFOA*>(1);
  EXPECT_EQ(getaddrinfo("no.such.host", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
  EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
  EXPECT_EQ(result, nullptr);  // observed: cleared on failure
  EXPECT_EQ(getaddrinfo("127.0.0.1:80", nullptr, &hints, &result), WSAHOST_NOT_FOUND);

  result = reinterpret_cast<ADDRINFOA*>(1);
  EXPECT_EQ(getaddrinfo(nullptr, nullptr, nullptr, &result), WSAHOST_NOT_FOUND);
  EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
  EXPECT_EQ(result, nullptr);

  EXPECT_EQ(getaddrinfo("127.0.0.1", "no-such-service", &hints, &result), WSATYPE_NOT_FOUND);
  EXPECT_EQ(WSAGetLastError(), WSATYPE_NOT_FOUND);

  hints.ai_family = 12345;
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), WSAEAFNOSUPPORT);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  hints.ai_family = 10;  // Linux's AF_INET6 number
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), WSAEAFNOSUPPORT);

  // Documented: the output members of the hints must be zero.
  hints.ai_family = AF_UNSPEC;
  hints.ai_addrlen = 16;
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), WSANO_RECOVERY);
  EXPECT_EQ(WSAGetLastError(), WSANO_RECOVERY);
  hints.ai_addrlen = 0;

  // Chosen (undocumented): no place for the result.
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, nullptr), WSA_INVALID_PARAMETER);
  EXPECT_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);
}

TEST_F(Netdb, GaiStrerror) {
  // One buffer per thread, as Windows' static one: copy before the next call.
  const std::string again = gai_strerror(EAI_AGAIN);
  const std::string no_name = gai_strerror(EAI_NONAME);
  EXPECT_NE(again, "");
  EXPECT_NE(no_name, "");
  EXPECT_NE(again, no_name);
  EXPECT_STRNE(gai_strerror(123456), "");
}

TEST_F(Netdb, GetNameInfo) {
  SOCKADDR_IN in = {};
  in.sin_family = AF_INET;
  in.sin_port = htons(8080);
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, sizeof(host), service,
                        sizeof(service), NI_NUMERICHOST | NI_NUMERICSERV),
            0);
  EXPECT_STREQ(host, "127.0.0.1");
  EXPECT_STREQ(service, "8080");

  // Names from /etc/hosts and /etc/services; the Windows NI_ bits are not
  // glibc's (NI_NUMERICHOST is 2 here, 1 there).
  in.sin_port = htons(80);
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, sizeof(host), service,
                        sizeof(service), NI_NAMEREQD),
            0);
  EXPECT_STREQ(host, "localhost");
  EXPECT_STREQ(service, "http");
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), nullptr, 0, service,
                        sizeof(service), NI_NUMERICSERV),
            0);
  EXPECT_STREQ(service, "80");

  SOCKADDR_IN6 in6 = {};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(9);
  in6.sin6_addr.s6_addr[15] = 1;
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in6), sizeof(in6), host, sizeof(host), service,
                        sizeof(service), NI_NUMERICHOST | NI_NUMERICSERV),
            0);
  EXPECT_STREQ(host, "::1");
  EXPECT_STREQ(service, "9");

  // Windows writes a scope as its number, not an interface name.
  const unsigned char link_local[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  memcpy(&in6.sin6_addr, link_local, sizeof(link_local));
  in6.sin6_scope_id = 1;
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in6), sizeof(in6), host, sizeof(host), nullptr,
                        0, NI_NUMERICHOST),
            0);
  EXPECT_STREQ(host, "fe80::1%1");
}

TEST_F(Netdb, GetNameInfoErrors) {
  SOCKADDR_IN in = {};
  in.sin_family = AF_INET;
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char host[NI_MAXHOST];
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), 4, host, sizeof(host), nullptr, 0,
                        NI_NUMERICHOST),
            WSAEFAULT);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(getnameinfo(nullptr, sizeof(in), host, sizeof(host), nullptr, 0, NI_NUMERICHOST),
            WSAEFAULT);
  SOCKADDR_IN6 in6 = {};
  in6.sin6_family = AF_INET6;
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in6), sizeof(SOCKADDR_IN), host, sizeof(host),
                        nullptr, 0, NI_NUMERICHOST),
            WSAEFAULT);
  in.sin_family = 10;  // Linux's AF_INET6 number
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, sizeof(host), nullptr,
                        0, NI_NUMERICHOST),
            WSAEAFNOSUPPORT);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  in.sin_family = AF_INET;
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, 4, nullptr, 0,
                        NI_NUMERICHOST),
            WSAEFAULT);
  // Documented: a buffer with a zero size is WSAEINVAL (NULL means "not
  // wanted").
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, 0, nullptr, 0,
                        NI_NUMERICHOST),
            WSAEINVAL);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(Netdb, GetHostByName) {
  HOSTENT* entry = gethostbyname("127.0.0.1");
  ASSERT_NE(entry, nullptr);
  EXPECT_STREQ(entry->h_name, "127.0.0.1");
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  EXPECT_EQ(entry->h_length, 4);
  ASSERT_NE(entry->h_aliases, nullptr);
  ASSERT_NE(entry->h_addr_list[0], nullptr);
  EXPECT_EQ(memcmp(entry->h_addr_list[0], "\x7f\x00\x00\x01", 4), 0);
  EXPECT_EQ(entry->h_addr_list[1], nullptr);

  entry = gethostbyname("localhost");  // /etc/hosts
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  EXPECT_EQ(entry->h_length, 4);
  ASSERT_NE(entry->h_addr, nullptr);
  EXPECT_EQ(memcmp(entry->h_addr, "\x7f\x00\x00\x01", 4), 0);

  // "" is the local host, whether or not its name resolves here.
  entry = gethostbyname("");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  EXPECT_EQ(entry->h_length, 4);
  EXPECT_NE(entry->h_addr_list[0], nullptr);
  EXPECT_STRNE(entry->h_name, "");

  // All digits and dots but no address: not found without asking DNS.
  EXPECT_EQ(gethostbyname("256.256.256.256"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
}

TEST_F(Netdb, GetHostByNameIsPerThread) {
  HOSTENT* mine = gethostbyname("127.0.0.1");
  ASSERT_NE(mine, nullptr);
  std::thread other([] {
    HOSTENT* theirs = gethostbyname("10.1.2.3");
    ASSERT_NE(theirs, nullptr);
    EXPECT_STREQ(theirs->h_name, "10.1.2.3");
  });
  other.join();
  EXPECT_STREQ(mine->h_name, "127.0.0.1");
  EXPECT_EQ(memcmp(mine->h_addr, "\x7f\x00\x00\x01", 4), 0);
}

TEST_F(Netdb, GetHostByAddr) {
  HOSTENT* entry = gethostbyaddr("\x7f\x00\x00\x01", 4, AF_INET);  // /etc/hosts
  ASSERT_NE(entry, nullptr);
  EXPECT_STREQ(entry->h_name, "localhost");
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  EXPECT_EQ(entry->h_length, 4);
  EXPECT_EQ(memcmp(entry->h_addr, "\x7f\x00\x00\x01", 4), 0);

  EXPECT_EQ(gethostbyaddr("\x7f\x00\x00\x01", 4, 99), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  EXPECT_EQ(gethostbyaddr("\x7f\x00\x00", 3, AF_INET), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(gethostbyaddr(nullptr, 4, AF_INET), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(gethostbyaddr("\x7f\x00\x00\x01", 4, AF_INET6), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(Netdb, GetHostName) {
  char name[256];
  ASSERT_EQ(gethostname(name, sizeof(name)), 0);
  const size_t length = strlen(name);
  ASSERT_GT(length, 0u);

  // Observed: no room for the NUL is WSAEFAULT, and the buffer is untouched.
  char small[256];
  strcpy(small, "deadbeef");
  EXPECT_EQ(gethostname(small, static_cast<int>(length)), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_STREQ(small, "deadbeef");
  EXPECT_EQ(gethostname(small, static_cast<int>(length) + 1), 0);
  EXPECT_STREQ(small, name);
  EXPECT_EQ(gethostname(nullptr, 256), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(Netdb, Services) {
  SERVENT* service = getservbyname("http", "tcp");  // /etc/services: http 80/tcp www
  ASSERT_NE(service, nullptr);
  EXPECT_STREQ(service->s_name, "http");
  EXPECT_STREQ(service->s_proto, "tcp");
  EXPECT_EQ(service->s_port, static_cast<short>(htons(80)));  // network order
  ASSERT_NE(service->s_aliases, nullptr);
  ASSERT_NE(service->s_aliases[0], nullptr);
  EXPECT_STREQ(service->s_aliases[0], "www");

  service = getservbyport(htons(443), "tcp");
  ASSERT_NE(service, nullptr);
  EXPECT_STREQ(service->s_name, "https");
  EXPECT_EQ(service->s_port, static_cast<short>(htons(443)));

  EXPECT_EQ(getservbyname("no-such-service", "tcp"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
  EXPECT_EQ(getservbyport(htons(1), "no-such-protocol"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
}

TEST_F(Netdb, Protocols) {
  PROTOENT* proto = getprotobynumber(IPPROTO_TCP);  // /etc/protocols: tcp 6 TCP
  ASSERT_NE(proto, nullptr);
  EXPECT_STREQ(proto->p_name, "tcp");
  EXPECT_EQ(proto->p_proto, IPPROTO_TCP);
  ASSERT_NE(proto->p_aliases[0], nullptr);
  EXPECT_STREQ(proto->p_aliases[0], "TCP");

  proto = getprotobyname("udp");
  ASSERT_NE(proto, nullptr);
  EXPECT_EQ(proto->p_proto, IPPROTO_UDP);
  proto = getprotobyname("TCP");  // Windows matches either case; the file's alias does here
  ASSERT_NE(proto, nullptr);
  EXPECT_EQ(proto->p_proto, IPPROTO_TCP);

  EXPECT_EQ(getprotobyname("no-such-protocol"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
  EXPECT_EQ(getprotobynumber(250), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
}

}  // namespace
