// Winsock's name and address functions through the public headers: byte
// order, inet_*, getaddrinfo/getnameinfo with Windows' layouts and family
// numbers, the hostent family, and their Windows error numbers. Offline:
// numeric addresses and /etc/hosts ("localhost") only.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string.h>

#include <string>

#include "gtest/gtest.h"

namespace {

TEST(NetdbBeforeStartup, NeedsWsaStartup) {
  // Pure byte-order and text conversions work without start-up.
  EXPECT_EQ(htons(0x1234), 0x3412);
  EXPECT_EQ(inet_addr("1.2.3.4"), 0x04030201u);
  ADDRINFOA* result = nullptr;
  EXPECT_EQ(getaddrinfo("127.0.0.1", "80", nullptr, &result), WSANOTINITIALISED);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  EXPECT_EQ(gethostbyname("localhost"), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
  char name[64];
  EXPECT_EQ(gethostname(name, sizeof(name)), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
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
  static_assert(sizeof(htonl(0)) == 4, "u_long is 32-bit");
}

TEST_F(Netdb, InetAddrForms) {
  EXPECT_EQ(inet_addr("127.0.0.1"), 0x0100007Fu);
  EXPECT_EQ(inet_addr("0x7f.1"), 0x0100007Fu);     // a.b
  EXPECT_EQ(inet_addr("127.0.1"), 0x0100007Fu);    // a.b.c
  EXPECT_EQ(inet_addr("2130706433"), 0x0100007Fu); // a
  EXPECT_EQ(inet_addr("0177.0.0.01"), 0x0100007Fu);  // octal parts
  EXPECT_EQ(inet_addr("255.255.255.255"), INADDR_NONE);
  EXPECT_EQ(inet_addr("256.1.1.1"), INADDR_NONE);
  EXPECT_EQ(inet_addr("1.2.3.4.5"), INADDR_NONE);
  EXPECT_EQ(inet_addr("abc"), INADDR_NONE);
  EXPECT_EQ(inet_addr(""), INADDR_NONE);
  IN_ADDR address;
  address.s_addr = inet_addr("10.20.30.40");
  EXPECT_STREQ(inet_ntoa(address), "10.20.30.40");
}

TEST_F(Netdb, InetPtonAndNtop) {
  IN_ADDR v4;
  IN6_ADDR v6;
  EXPECT_EQ(inet_pton(AF_INET, "192.168.1.2", &v4), 1);
  EXPECT_EQ(v4.s_addr, 0x0201A8C0u);
  EXPECT_EQ(inet_pton(AF_INET6, "::1", &v6), 1);  // family 23
  EXPECT_EQ(v6.s6_addr[15], 1);
  EXPECT_EQ(inet_pton(AF_INET, "not an address", &v4), 0);
  EXPECT_EQ(inet_pton(12345, "1.2.3.4", &v4), -1);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
  char text[INET6_ADDRSTRLEN];
  ASSERT_NE(inet_ntop(AF_INET6, &v6, text, sizeof(text)), nullptr);
  EXPECT_STREQ(text, "::1");
  ASSERT_NE(inet_ntop(AF_INET, &v4, text, sizeof(text)), nullptr);
  EXPECT_STREQ(text, "192.168.1.2");
  EXPECT_EQ(inet_ntop(AF_INET, &v4, text, 4), nullptr);
  EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
  EXPECT_EQ(inet_ntop(99, &v4, text, sizeof(text)), nullptr);
  EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
}

TEST_F(Netdb, GetAddrInfoNumericBothFamilies) {
  ADDRINFOA hints = {};
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_STREAM;
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo("127.0.0.1", "80", &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->ai_family, AF_INET);
  EXPECT_EQ(result->ai_addrlen, 16u);
  EXPECT_EQ(result->ai_socktype, SOCK_STREAM);
  auto* in = reinterpret_cast<SOCKADDR_IN*>(result->ai_addr);
  EXPECT_EQ(in->sin_family, AF_INET);
  EXPECT_EQ(in->sin_port, htons(80));
  EXPECT_EQ(in->sin_addr.s_addr, 0x0100007Fu);
  freeaddrinfo(result);

  ASSERT_EQ(getaddrinfo("::1", "443", &hints, &result), 0);
  EXPECT_EQ(result->ai_family, 23);
  EXPECT_EQ(result->ai_addrlen, 28u);
  auto* in6 = reinterpret_cast<SOCKADDR_IN6*>(result->ai_addr);
  EXPECT_EQ(in6->sin6_family, 23);
  EXPECT_EQ(in6->sin6_port, htons(443));
  EXPECT_EQ(in6->sin6_addr.s6_addr[15], 1);
  freeaddrinfo(result);
  freeaddrinfo(nullptr);  // a no-op
}

TEST_F(Netdb, GetAddrInfoPassiveLocalhostAndErrors) {
  ADDRINFOA hints = {};
  hints.ai_family = AF_INET;
  hints.ai_flags = AI_PASSIVE;
  hints.ai_socktype = SOCK_STREAM;
  ADDRINFOA* result = nullptr;
  ASSERT_EQ(getaddrinfo(nullptr, "8080", &hints, &result), 0);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN*>(result->ai_addr)->sin_addr.s_addr, 0u);  // INADDR_ANY
  freeaddrinfo(result);

  hints.ai_flags = AI_CANONNAME;
  ASSERT_EQ(getaddrinfo("localhost", nullptr, &hints, &result), 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(reinterpret_cast<SOCKADDR_IN*>(result->ai_addr)->sin_addr.s_addr, 0x0100007Fu);
  ASSERT_NE(result->ai_canonname, nullptr);  // before ai_addr in Windows' layout
  EXPECT_STRNE(result->ai_canonname, "");
  freeaddrinfo(result);

  hints.ai_flags = AI_NUMERICHOST;
  EXPECT_EQ(getaddrinfo("no.such.host", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
  EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
  EXPECT_EQ(getaddrinfo(nullptr, nullptr, &hints, &result), WSAHOST_NOT_FOUND);
  hints.ai_family = 12345;
  EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), WSAEAFNOSUPPORT);
  EXPECT_STRNE(gai_strerror(WSAHOST_NOT_FOUND), "");
}

TEST_F(Netdb, GetNameInfoNumeric) {
  SOCKADDR_IN in = {};
  in.sin_family = AF_INET;
  in.sin_port = htons(8080);
  in.sin_addr.s_addr = 0x0100007F;
  char host[NI_MAXHOST], service[NI_MAXSERV];
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), sizeof(in), host, sizeof(host), service,
                        sizeof(service), NI_NUMERICHOST | NI_NUMERICSERV),
            0);
  EXPECT_STREQ(host, "127.0.0.1");
  EXPECT_STREQ(service, "8080");
  SOCKADDR_IN6 in6 = {};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(9);
  in6.sin6_addr.s6_addr[15] = 1;
  ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in6), sizeof(in6), host, sizeof(host),
                        service, sizeof(service), NI_NUMERICHOST | NI_NUMERICSERV),
            0);
  EXPECT_STREQ(host, "::1");
  EXPECT_STREQ(service, "9");
  EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR*>(&in), 4, host, sizeof(host), service,
                        sizeof(service), NI_NUMERICHOST),
            WSAEFAULT);
}

TEST_F(Netdb, HostEntries) {
  HOSTENT* entry = gethostbyname("127.0.0.1");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  EXPECT_EQ(entry->h_length, 4);
  ASSERT_NE(entry->h_addr_list[0], nullptr);
  EXPECT_EQ(memcmp(entry->h_addr_list[0], "\x7f\x00\x00\x01", 4), 0);
  entry = gethostbyname("localhost");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(memcmp(entry->h_addr, "\x7f\x00\x00\x01", 4), 0);
  EXPECT_EQ(gethostbyname("no-such-host.invalid"), nullptr);
  EXPECT_NE(WSAGetLastError(), 0);

  char name[256];
  ASSERT_EQ(gethostname(name, sizeof(name)), 0);
  EXPECT_GT(strlen(name), 0u);
  EXPECT_EQ(gethostname(name, 1), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(gethostname(nullptr, 10), SOCKET_ERROR);
  EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(Netdb, ServicesAndProtocols) {
  SERVENT* service = getservbyname("http", "tcp");  // /etc/services
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->s_port, htons(80));
  EXPECT_STREQ(service->s_proto, "tcp");
  service = getservbyport(htons(80), "tcp");
  ASSERT_NE(service, nullptr);
  EXPECT_STREQ(service->s_name, "http");
  EXPECT_EQ(getservbyname("no-such-service", "tcp"), nullptr);
  PROTOENT* proto = getprotobynumber(6);  // /etc/protocols
  ASSERT_NE(proto, nullptr);
  EXPECT_STREQ(proto->p_name, "tcp");
  proto = getprotobyname("udp");
  ASSERT_NE(proto, nullptr);
  EXPECT_EQ(proto->p_proto, 17);
}

}  // namespace
