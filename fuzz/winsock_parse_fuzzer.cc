// winsock_parse_fuzzer: the Winsock calls that parse caller memory, through
// the public headers, on the simulated kernel. The first input byte picks a
// mode; the rest drives it:
//   0  GetAcceptExSockaddrs on an exactly-sized buffer with arbitrary
//      lengths and contents: the addresses it returns lie inside their
//      areas, and a well-formed area comes back exactly.
//   1  WSABUF arrays (counts, NULL buffers, zero and huge lengths, NULL
//      array) given to WSASend/WSARecv on a connected stream pair, both
//      synchronous non-blocking and overlapped: bad arrays fail with the
//      Windows error, good ones move exactly the gathered bytes, in order,
//      into the scattered buffers, touching nothing past what was received.
//   2  inet_pton/inet_ntop/inet_addr on arbitrary strings, addresses and
//      buffer sizes: pton(ntop(x)) == x, a too small buffer is
//      ERROR_INVALID_PARAMETER, what pton accepts inet_addr accepts alike.
//   3  getaddrinfo with AI_NUMERICHOST always set (no DNS) and fuzzed hints,
//      then getnameinfo (NI_NUMERICHOST | NI_NUMERICSERV) on every result
//      with fuzzed buffer sizes: results are well formed (Windows family
//      values and lengths), errors are Winsock's.
//   4  getnameinfo on arbitrary socket-address bytes and lengths.
// Every buffer is allocated at exactly the size the call is told, so ASan
// reports any access outside it; every result is freed (LeakSanitizer).
#include <mswsock.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.h"

namespace {

using Input = FuzzInput;

[[noreturn]] void Fail(const char* what, long long got, long long expected) {
  fprintf(stderr, "winsock_parse_fuzzer: %s: got %lld, expected %lld\n", what, got, expected);
  abort();
}
void Expect(const char* what, long long got, long long expected) {
  if (got != expected) Fail(what, got, expected);
}

// An exactly-sized heap block, so ASan sees any access past its end.
struct Block {
  explicit Block(size_t size) : bytes(new uint8_t[size == 0 ? 1 : size]), size(size) {}
  std::unique_ptr<uint8_t[]> bytes;
  size_t size;
};

// --- 0: GetAcceptExSockaddrs ----------------------------------------------

void AcceptExSockaddrs(Input& in) {
  const DWORD receive = in.Byte() % 48;
  const DWORD local = in.Byte() % 48;
  const DWORD remote = in.Byte() % 48;
  const uint8_t mode = in.Byte();
  Block buffer(receive + local + remote);
  for (size_t i = 0; i < buffer.size; ++i) buffer.bytes[i] = in.Byte();
  // Mode bit 0: write well-formed areas the way AcceptEx lays them out (a
  // 4-byte length, then the address) before the call.
  INT lengths[2] = {0, 0};
  const DWORD sizes[2] = {local, remote};
  uint8_t* areas[2] = {buffer.bytes.get() + receive, buffer.bytes.get() + receive + local};
  for (int i = 0; i < 2; ++i) {
    if ((mode & 1) && sizes[i] > sizeof(INT)) {
      lengths[i] = 1 + static_cast<INT>(in.Byte() % (sizes[i] - sizeof(INT)));
      memcpy(areas[i], &lengths[i], sizeof(INT));
    }
  }
  sockaddr* addresses[2] = {reinterpret_cast<sockaddr*>(1), reinterpret_cast<sockaddr*>(1)};
  INT returned[2] = {-7, -7};
  GetAcceptExSockaddrs(buffer.bytes.get(), receive, local, remote,
                       mode & 2 ? nullptr : &addresses[0], mode & 4 ? nullptr : &returned[0],
                       mode & 8 ? nullptr : &addresses[1], mode & 16 ? nullptr : &returned[1]);
  for (int i = 0; i < 2; ++i) {
    const bool have_address = !(mode & (2 << (2 * i)));
    const bool have_length = !(mode & (4 << (2 * i)));
    if (have_address && addresses[i] != nullptr) {
      const uint8_t* start = reinterpret_cast<const uint8_t*>(addresses[i]);
      if (start < areas[i] || start > areas[i] + sizes[i]) {
        Fail("address outside its area, offset", start - areas[i], sizeof(INT));
      }
      if (have_length) {
        // The length it reports must stay inside the area: a program copies
        // that many bytes from the address.
        if (returned[i] < 0 || start + returned[i] > areas[i] + sizes[i]) {
          Fail("address length past its area", returned[i],
               static_cast<long long>(areas[i] + sizes[i] - start));
        }
        volatile uint8_t sink = 0;
        for (INT j = 0; j < returned[i]; ++j) sink = sink + start[j];
        (void)sink;
      }
    }
    if ((mode & 1) && sizes[i] > sizeof(INT)) {
      if (have_address) {
        Expect("well-formed area: address", reinterpret_cast<intptr_t>(addresses[i]),
               reinterpret_cast<intptr_t>(areas[i] + sizeof(INT)));
      }
      if (have_length) Expect("well-formed area: length", returned[i], lengths[i]);
    }
  }
}

// --- 1: WSABUF arrays -----------------------------------------------------

struct Pair {
  SOCKET client = INVALID_SOCKET;  // sends
  SOCKET server = INVALID_SOCKET;  // receives
  std::deque<uint8_t> in_flight;   // sent, not yet received
};

Pair& Connected() {
  static Pair* pair = [] {
    auto* p = new Pair();
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof(address);
    if (listener == INVALID_SOCKET ||
        bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      Fail("listener, error", WSAGetLastError(), 0);
    }
    p->client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(p->client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      Fail("connect, error", WSAGetLastError(), 0);
    }
    p->server = accept(listener, nullptr, nullptr);
    if (p->server == INVALID_SOCKET) Fail("accept, error", WSAGetLastError(), 0);
    closesocket(listener);
    u_long on = 1;
    ioctlsocket(p->client, FIONBIO, &on);
    ioctlsocket(p->server, FIONBIO, &on);
    return p;
  }();
  return *pair;
}

// A WSABUF array from the input, each buffer its own exact-size block.
struct Buffers {
  std::vector<WSABUF> array;
  std::vector<std::unique_ptr<Block>> blocks;  // parallel to array (null: no memory)
  bool null_array = false;
  bool bad = false;  // some buffer is NULL with a non-zero length
  uint64_t total = 0;
};

Buffers MakeBuffers(Input& in, bool fill) {
  Buffers b;
  const uint8_t shape = in.Byte();
  b.null_array = shape == 0xff;
  const DWORD count = shape % 20;  // 0 .. 19
  b.array.resize(count == 0 ? 1 : count);
  b.array.resize(count);
  for (DWORD i = 0; i < count; ++i) {
    const uint8_t kind = in.Byte();
    WSABUF& buffer = b.array[i];
    if (kind >= 0xf8) {  // NULL: with a zero, small or huge length
      buffer.buf = nullptr;
      buffer.len = kind == 0xf8 ? 0 : kind == 0xf9 ? 0xffffffffu : kind & 7;
      b.blocks.push_back(nullptr);
      if (buffer.len > 0) b.bad = true;
      continue;
    }
    const ULONG length = kind % 40;
    b.blocks.push_back(std::make_unique<Block>(length));
    buffer.buf = reinterpret_cast<CHAR*>(b.blocks.back()->bytes.get());
    buffer.len = length;
    for (ULONG j = 0; j < length; ++j) b.blocks.back()->bytes[j] = fill ? in.Byte() : 0xcd;
    b.total += length;
  }
  return b;
}

// WINSOCK_FUZZ_TRACE=1: print what each step did (to read what an input does).
const bool trace = getenv("WINSOCK_FUZZ_TRACE") != nullptr;

void CheckBadArray(int rc, const Buffers& b, DWORD count) {
  Expect("WSASend/WSARecv with a bad array", rc, SOCKET_ERROR);
  if (count == 0) {
    Expect("no buffers: error", WSAGetLastError(), WSAEINVAL);
  } else {
    Expect("bad buffer array: error", WSAGetLastError(), WSAEFAULT);
  }
  (void)b;
}

void Send(Input& in, Pair& pair) {
  Buffers b = MakeBuffers(in, true);
  const bool use_overlapped = in.Byte() & 1;
  const DWORD count = static_cast<DWORD>(b.array.size());
  const bool bad = b.null_array || b.bad || count == 0;
  WSAOVERLAPPED overlapped;
  memset(&overlapped, 0, sizeof(overlapped));
  DWORD sent = 0xdead;
  int rc =
      WSASend(pair.client, b.null_array ? nullptr : b.array.data(), count,
              use_overlapped ? nullptr : &sent, 0, use_overlapped ? &overlapped : nullptr, nullptr);
  if (trace) {
    fprintf(stderr, "WSASend: %u buffers, %llu bytes, %s, rc %d error %d\n", count,
            static_cast<unsigned long long>(b.total),
            use_overlapped ? "overlapped" : "non-blocking", rc, rc ? WSAGetLastError() : 0);
  }
  if (bad) return CheckBadArray(rc, b, count);
  if (use_overlapped) {
    if (rc != 0) Expect("overlapped send: error", WSAGetLastError(), WSA_IO_PENDING);
    DWORD flags = 0;
    if (!WSAGetOverlappedResult(pair.client, &overlapped, &sent, TRUE, &flags)) {
      Fail("overlapped send failed, error", WSAGetLastError(), 0);
    }
    // An overlapped stream send completes with all of it.
    Expect("overlapped send: bytes", sent, static_cast<long long>(b.total));
  } else if (rc != 0) {
    Expect("non-blocking send: error", WSAGetLastError(), WSAEWOULDBLOCK);
    return;
  }
  if (sent > b.total) Fail("sent more than given", sent, static_cast<long long>(b.total));
  DWORD left = sent;
  for (size_t i = 0; i < b.array.size() && left > 0; ++i) {
    for (ULONG j = 0; j < b.array[i].len && left > 0; ++j, --left) {
      pair.in_flight.push_back(static_cast<uint8_t>(b.array[i].buf[j]));
    }
  }
}

void Receive(Input& in, Pair& pair) {
  Buffers b = MakeBuffers(in, false);
  const bool use_overlapped = (in.Byte() & 1) && !pair.in_flight.empty();
  const DWORD count = static_cast<DWORD>(b.array.size());
  const bool bad = b.null_array || b.bad || count == 0;
  WSAOVERLAPPED overlapped;
  memset(&overlapped, 0, sizeof(overlapped));
  DWORD received = 0xdead;
  DWORD flags = 0;
  int rc = WSARecv(pair.server, b.null_array ? nullptr : b.array.data(), count,
                   use_overlapped ? nullptr : &received, &flags,
                   use_overlapped ? &overlapped : nullptr, nullptr);
  if (trace) {
    fprintf(stderr, "WSARecv: %u buffers, %llu bytes, %s, rc %d error %d, %zu in flight\n", count,
            static_cast<unsigned long long>(b.total),
            use_overlapped ? "overlapped" : "non-blocking", rc, rc ? WSAGetLastError() : 0,
            pair.in_flight.size());
  }
  if (bad) return CheckBadArray(rc, b, count);
  if (b.total == 0) {
    // Zero bytes asked for: nothing may arrive in any buffer.
    if (use_overlapped && rc != 0) {
      Expect("zero-byte receive: error", WSAGetLastError(), WSA_IO_PENDING);
      if (!WSAGetOverlappedResult(pair.server, &overlapped, &received, TRUE, &flags)) {
        Fail("zero-byte receive failed, error", WSAGetLastError(), 0);
      }
    } else if (rc != 0) {
      if (WSAGetLastError() != WSAEWOULDBLOCK)
        Fail("zero-byte receive: error", WSAGetLastError(), 0);
      return;
    }
    Expect("zero-byte receive: bytes", received, 0);
    return;
  }
  if (use_overlapped) {
    if (rc != 0) Expect("overlapped receive: error", WSAGetLastError(), WSA_IO_PENDING);
    if (!WSAGetOverlappedResult(pair.server, &overlapped, &received, TRUE, &flags)) {
      Fail("overlapped receive failed, error", WSAGetLastError(), 0);
    }
    if (received == 0) Fail("overlapped receive: bytes", 0, 1);
  } else if (rc != 0) {
    // Data sent may still be on its way in the simulation.
    Expect("non-blocking receive: error", WSAGetLastError(), WSAEWOULDBLOCK);
    return;
  }
  if (received > b.total || received > pair.in_flight.size()) {
    Fail("received more than asked or sent", received,
         static_cast<long long>(pair.in_flight.size()));
  }
  DWORD left = received;
  for (size_t i = 0; i < b.array.size(); ++i) {
    if (b.blocks[i] == nullptr) continue;
    for (ULONG j = 0; j < b.array[i].len; ++j) {
      const uint8_t got = static_cast<uint8_t>(b.array[i].buf[j]);
      if (left > 0) {
        Expect("received byte (order)", got, pair.in_flight.front());
        pair.in_flight.pop_front();
        --left;
      } else {
        Expect("byte past what was received", got, 0xcd);
      }
    }
  }
}

void BufferArrays(Input& in) {
  Pair& pair = Connected();
  for (int step = 0; step < 32 && in.left() > 0; ++step) {
    if (in.Byte() & 1) {
      Send(in, pair);
    } else {
      Receive(in, pair);
    }
  }
  // Leave the pair empty for the next input: what was sent must all arrive.
  while (!pair.in_flight.empty()) {
    uint8_t buffer[256];
    WSABUF one = {sizeof(buffer), reinterpret_cast<CHAR*>(buffer)};
    WSAOVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    DWORD received = 0, flags = 0;
    int rc = WSARecv(pair.server, &one, 1, nullptr, &flags, &overlapped, nullptr);
    if (rc != 0) Expect("drain: error", WSAGetLastError(), WSA_IO_PENDING);
    if (!WSAGetOverlappedResult(pair.server, &overlapped, &received, TRUE, &flags) ||
        received == 0 || received > pair.in_flight.size()) {
      Fail("drain: bytes", received, static_cast<long long>(pair.in_flight.size()));
    }
    for (DWORD i = 0; i < received; ++i) {
      Expect("drained byte (order)", buffer[i], pair.in_flight.front());
      pair.in_flight.pop_front();
    }
  }
}

// --- 2: inet_pton / inet_ntop / inet_addr ---------------------------------

// ntop into an exactly-sized buffer; checks the documented errors.
bool Ntop(int family, const void* address, size_t size, std::string* text) {
  Block buffer(size);
  const char* rc = inet_ntop(
      family, address, size == 0 ? nullptr : reinterpret_cast<char*>(buffer.bytes.get()), size);
  if (rc == nullptr) {
    if (family != AF_INET && family != AF_INET6) {
      Expect("inet_ntop(bad family): error", WSAGetLastError(), WSAEAFNOSUPPORT);
    } else {
      Expect("inet_ntop(small buffer): error", WSAGetLastError(), ERROR_INVALID_PARAMETER);
    }
    return false;
  }
  if (rc != reinterpret_cast<char*>(buffer.bytes.get())) Fail("inet_ntop: returned pointer", 0, 1);
  const size_t length = strnlen(rc, size);
  if (length >= size) Fail("inet_ntop: not terminated in its buffer", length, size);
  text->assign(rc, length);
  return true;
}

void Addresses(Input& in) {
  const uint8_t what = in.Byte();
  const int family = what & 1 ? AF_INET6 : AF_INET;
  const size_t address_size = family == AF_INET6 ? 16 : 4;
  if (what & 2) {
    // ntop of arbitrary bytes, then back.
    uint8_t address[16];
    for (uint8_t& byte : address) byte = in.Byte();
    const size_t size = in.Byte() % 64;
    std::string text;
    const int printed_as = what & 4 ? in.Byte() : family;
    if (!Ntop(printed_as, address, size, &text)) return;
    // Printed as the other family (a valid one the input chose): nothing to
    // parse back as `family` (the harness once expected it to).
    if (printed_as != family) return;
    uint8_t back[16];
    memset(back, 0, sizeof(back));
    Expect("inet_pton(inet_ntop(x))", inet_pton(family, text.c_str(), back), 1);
    if (memcmp(back, address, address_size) != 0) Fail("inet_pton(inet_ntop(x)) != x", 0, 1);
    if (family == AF_INET) {
      ULONG parsed = inet_addr(text.c_str());
      if (memcmp(&parsed, address, 4) != 0) Fail("inet_addr(inet_ntop(x)) != x", 0, 1);
    }
    return;
  }
  // pton of an arbitrary string, then back.
  const std::string text = in.String(80);
  const int pton_family = what & 4 ? static_cast<int8_t>(in.Byte()) : family;
  Block address(address_size);
  memset(address.bytes.get(), 0, address_size);
  int rc = inet_pton(pton_family, text.c_str(), address.bytes.get());
  if (pton_family != AF_INET && pton_family != AF_INET6) {
    Expect("inet_pton(bad family)", rc, -1);
    Expect("inet_pton(bad family): error", WSAGetLastError(), WSAEAFNOSUPPORT);
    return;
  }
  if (pton_family == AF_INET) {
    ULONG parsed = inet_addr(text.c_str());
    if (rc == 1) {
      // Strict dotted decimal is one of the forms inet_addr takes.
      if (memcmp(&parsed, address.bytes.get(), 4) != 0) Fail("inet_addr != inet_pton", parsed, 0);
    } else if (parsed != INADDR_NONE) {
      // inet_addr's looser forms: the result must print and parse back.
      in_addr a;
      a.s_addr = parsed;
      std::string printed;
      if (!Ntop(AF_INET, &a, 16, &printed)) Fail("inet_ntop of inet_addr's result", 0, 1);
      Expect("inet_addr(ntop(inet_addr(s)))", inet_addr(printed.c_str()), parsed);
    }
  }
  if (rc != 1) {
    Expect("inet_pton(invalid)", rc, 0);
    return;
  }
  std::string printed;
  if (!Ntop(pton_family, address.bytes.get(), 65, &printed))
    Fail("inet_ntop of a parsed address", 0, 1);
  uint8_t back[16];
  Expect("inet_pton(inet_ntop(x))", inet_pton(pton_family, printed.c_str(), back), 1);
  if (memcmp(back, address.bytes.get(), address_size) != 0)
    Fail("inet_pton(inet_ntop(x)) != x", 0, 1);
}

// --- 3, 4: getaddrinfo / getnameinfo --------------------------------------

bool WinsockNameError(int rc) {
  switch (rc) {
    case EAI_AGAIN:
    case EAI_BADFLAGS:
    case EAI_FAIL:
    case EAI_FAMILY:
    case EAI_MEMORY:
    case EAI_NONAME:
    case EAI_SERVICE:
    case EAI_SOCKTYPE:
    case WSANO_DATA:
    case WSAEFAULT:
    case ERROR_INVALID_PARAMETER:
      return true;
    default:
      return false;
  }
}

void NameInfo(Input& in, const sockaddr* address, int length, bool well_formed) {
  const uint8_t sizes = in.Byte();
  const DWORD host_size = sizes & 0x80 ? 0 : 1 + (sizes & 0x7f) % 70;
  const DWORD service_size = sizes & 0x80 ? 1 + (sizes & 0x7f) % 12 : in.Byte() % 12;
  Block host(host_size), service(service_size);
  const int flags = NI_NUMERICHOST | NI_NUMERICSERV | (in.Byte() & (NI_NOFQDN | NI_DGRAM | 0x40));
  int rc = getnameinfo(
      address, length, host_size ? reinterpret_cast<char*>(host.bytes.get()) : nullptr, host_size,
      service_size ? reinterpret_cast<char*>(service.bytes.get()) : nullptr, service_size, flags);
  if (rc != 0) {
    if (!WinsockNameError(rc)) Fail("getnameinfo: not a Winsock error", rc, EAI_NONAME);
    Expect("getnameinfo: WSAGetLastError", WSAGetLastError(), rc);
    return;
  }
  if (host_size > 0) {
    const char* text = reinterpret_cast<const char*>(host.bytes.get());
    if (strnlen(text, host_size) >= host_size) Fail("getnameinfo: host not terminated", 0, 1);
    if (well_formed && address->sa_family == AF_INET) {
      in_addr back;
      Expect("inet_pton(getnameinfo host)", inet_pton(AF_INET, text, &back), 1);
      if (memcmp(&back, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4) != 0) {
        Fail("getnameinfo host does not parse back", 0, 1);
      }
    }
  }
  if (service_size > 0) {
    const char* text = reinterpret_cast<const char*>(service.bytes.get());
    if (strnlen(text, service_size) >= service_size)
      Fail("getnameinfo: service not terminated", 0, 1);
    if (well_formed && address->sa_family == AF_INET) {
      Expect("getnameinfo service", atoi(text),
             ntohs(reinterpret_cast<const sockaddr_in*>(address)->sin_port));
    }
  }
}

void AddrInfo(Input& in) {
  const uint8_t shape = in.Byte();
  std::string node;
  if (shape & 1) {
    // A numeric address printed from input bytes, possibly with a suffix.
    uint8_t address[16];
    for (uint8_t& byte : address) byte = in.Byte();
    char text[64];
    inet_ntop(shape & 2 ? AF_INET6 : AF_INET, address, text, sizeof(text));
    node = text;
    if (shape & 4) node += in.String(8);
  } else {
    node = in.String(64);
  }
  std::string service;
  if (shape & 8) {
    const int high = in.Byte();
    service = std::to_string(high << 8 | in.Byte());
  } else {
    service = in.String(12);
  }
  static const int kFamilies[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX, 99};
  static const int kTypes[] = {0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, 77};
  static const int kProtocols[] = {0, IPPROTO_TCP, IPPROTO_UDP, 255};
  ADDRINFOA hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_flags = static_cast<int>(in.Word()) | AI_NUMERICHOST;
  hints.ai_family = kFamilies[in.Byte() % 5];
  hints.ai_socktype = kTypes[in.Byte() % 5];
  hints.ai_protocol = kProtocols[in.Byte() % 4];
  PADDRINFOA result = reinterpret_cast<PADDRINFOA>(1);
  int rc =
      getaddrinfo(shape & 0x10 ? nullptr : node.c_str(), shape & 0x20 ? nullptr : service.c_str(),
                  shape & 0x40 ? nullptr : &hints, &result);
  if (rc != 0) {
    if (!WinsockNameError(rc)) Fail("getaddrinfo: not a Winsock error", rc, EAI_NONAME);
    Expect("getaddrinfo: WSAGetLastError", WSAGetLastError(), rc);
    return;
  }
  if (result == nullptr) Fail("getaddrinfo: success without results", 0, 1);
  int count = 0;
  for (PADDRINFOA ai = result; ai != nullptr; ai = ai->ai_next, ++count) {
    if (ai->ai_family == AF_INET) {
      Expect("AF_INET ai_addrlen", ai->ai_addrlen, sizeof(sockaddr_in));
    } else if (ai->ai_family == AF_INET6) {
      Expect("AF_INET6 ai_addrlen", ai->ai_addrlen, sizeof(sockaddr_in6));
    } else {
      Fail("ai_family", ai->ai_family, AF_INET);
    }
    if (ai->ai_addr == nullptr) Fail("ai_addr NULL", 0, 1);
    Expect("sa_family == ai_family", ai->ai_addr->sa_family, ai->ai_family);
    if (!(shape & 0x40) && hints.ai_family != AF_UNSPEC && !(hints.ai_flags & AI_V4MAPPED)) {
      Expect("family as hinted", ai->ai_family, hints.ai_family);
    }
    NameInfo(in, ai->ai_addr, static_cast<int>(ai->ai_addrlen), true);
  }
  freeaddrinfo(result);
}

void RawNameInfo(Input& in) {
  const int length = in.Byte() % 40;
  Block address(length);
  for (int i = 0; i < length; ++i) address.bytes[i] = in.Byte();
  NameInfo(in, length ? reinterpret_cast<const sockaddr*>(address.bytes.get()) : nullptr, length,
           false);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool started = [] {
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) abort();
    return true;
  }();
  (void)started;
  Input in(data, size);
  switch (in.Byte() % 5) {
    case 0:
      AcceptExSockaddrs(in);
      break;
    case 1:
      BufferArrays(in);
      break;
    case 2:
      Addresses(in);
      break;
    case 3:
      AddrInfo(in);
      break;
    default:
      RawNameInfo(in);
      break;
  }
  return 0;
}
