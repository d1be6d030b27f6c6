// Exported Winsock name and address functions: htons, htonl, ntohs, ntohl,
// inet_addr, inet_ntoa, inet_pton, inet_ntop, getaddrinfo, freeaddrinfo,
// getnameinfo, gai_strerrorA, gethostbyname, gethostbyaddr, gethostname,
// getservbyname, getservbyport, getprotobyname, getprotobynumber.
//
// glibc does the looking up (its /etc/hosts, DNS, /etc/services and
// /etc/protocols); this file translates at the boundary: Windows' family
// numbers (AF_INET6 is 23), flag bits (AI_* and NI_* differ from glibc's),
// layouts (ADDRINFOA keeps ai_canonname before ai_addr; x64 servent keeps
// s_proto before s_port), u_long as 32 bits, and errors (the EAI_* codes are
// WSA* numbers, returned and also left in WSAGetLastError).
//
// It cannot include winsock2.h (which clashes with <netdb.h> on purpose), so
// the Windows layouts are mirrored below and asserted by size and offset;
// netdb_test reads them back through the public headers.
//
// Where Windows' behaviour is not what the documentation says, or is not
// documented, the comment at the function says which was chosen and why.
// "Observed" behaviour comes from Wine's conformance tests
// (dlls/ws2_32/tests/sock.c and protocol.c), which pass on Windows.
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "winapi/api_util.h"
#include "winapi/sockaddr.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

namespace {

// --- Windows x64 layouts ---------------------------------------------------

struct WinInAddr {
  uint32_t s_addr;  // network order
};
static_assert(sizeof(WinInAddr) == 4, "IN_ADDR");

struct WinAddrInfo {
  int32_t ai_flags;
  int32_t ai_family;
  int32_t ai_socktype;
  int32_t ai_protocol;
  size_t ai_addrlen;
  char* ai_canonname;  // before ai_addr, unlike glibc
  void* ai_addr;
  WinAddrInfo* ai_next;
};
static_assert(sizeof(WinAddrInfo) == 48, "ADDRINFOA");
static_assert(offsetof(WinAddrInfo, ai_canonname) == 24, "ADDRINFOA");
static_assert(offsetof(WinAddrInfo, ai_addr) == 32, "ADDRINFOA");

struct WinHostent {
  char* h_name;
  char** h_aliases;
  int16_t h_addrtype;
  int16_t h_length;
  char** h_addr_list;
};
static_assert(sizeof(WinHostent) == 32, "hostent");
static_assert(offsetof(WinHostent, h_addr_list) == 24, "hostent");

struct WinServent {
  char* s_name;
  char** s_aliases;
  char* s_proto;  // before s_port on x64
  int16_t s_port;
};
static_assert(sizeof(WinServent) == 32, "servent");
static_assert(offsetof(WinServent, s_port) == 24, "servent");

struct WinProtoent {
  char* p_name;
  char** p_aliases;
  int16_t p_proto;
};
static_assert(sizeof(WinProtoent) == 24, "protoent");

// --- Windows constants that winsock_abi.h does not carry ------------------

// ws2def.h's AI_* bits. Several differ from glibc's (NUMERICSERV, ALL,
// ADDRCONFIG, V4MAPPED), so every bit is translated.
constexpr int kAiPassive = 0x1;
constexpr int kAiCanonName = 0x2;
constexpr int kAiNumericHost = 0x4;
constexpr int kAiNumericServ = 0x8;
constexpr int kAiAll = 0x100;
constexpr int kAiAddrConfig = 0x400;
constexpr int kAiV4Mapped = 0x800;
constexpr int kAiFqdn = 0x20000;

// ws2def.h's NI_* bits: not glibc's (glibc: NUMERICHOST 1, NUMERICSERV 2,
// NOFQDN 4, NAMEREQD 8; only DGRAM agrees).
constexpr int kNiNoFqdn = 0x01;
constexpr int kNiNumericHost = 0x02;
constexpr int kNiNameReqd = 0x04;
constexpr int kNiNumericServ = 0x08;
constexpr int kNiDgram = 0x10;

constexpr uint32_t kInaddrNone = 0xffffffff;

// --- errors -----------------------------------------------------------------

// The start-up check every lookup makes first.
bool Started() {
  if (winapi::WinsockStarted()) return true;
  winapi::SetError(wsabi::kWsaNotInitialised);
  return false;
}

// getaddrinfo and getnameinfo return their error and also leave it in
// WSAGetLastError.
int GaiFail(uint32_t error) {
  winapi::SetError(error);
  return static_cast<int>(error);
}

// glibc's EAI_* (negative) to Windows' (the WSA* numbers ws2tcpip.h gives
// its EAI_* names).
uint32_t WsaFromEai(int eai) {
  switch (eai) {
    case EAI_NONAME:
    case EAI_NODATA:      // Windows defines EAI_NODATA as EAI_NONAME
    case EAI_ADDRFAMILY:  // the name has no address of the asked family
      return wsabi::kWsaHostNotFound;
    case EAI_AGAIN:
      return wsabi::kWsaTryAgain;
    case EAI_FAIL:
      return wsabi::kWsaNoRecovery;
    case EAI_FAMILY:
      return wsabi::kWsaEafnosupport;
    case EAI_MEMORY:
      return wsabi::kWsaNotEnoughMemory;
    case EAI_BADFLAGS:
      return wsabi::kWsaEinval;
    case EAI_SERVICE:
      return wsabi::kWsaTypeNotFound;
    case EAI_SOCKTYPE:
      return wsabi::kWsaEsocktnosupport;
    // Windows has no EAI_OVERFLOW; a caller's buffer that is too small is a
    // fault in Winsock's terms.
    case EAI_OVERFLOW:
      return wsabi::kWsaEfault;
    case EAI_SYSTEM:
      return errno == ENOMEM ? wsabi::kWsaNotEnoughMemory : wsabi::kWsaNoRecovery;
    default:
      return wsabi::kWsaNoRecovery;
  }
}

// A failed glibc *_r host lookup (its return value and h_errno) to Windows'.
uint32_t WsaFromHostLookup(int rc, int host_error) {
  if (rc == ENOMEM) return wsabi::kWsaNotEnoughMemory;
  switch (host_error) {
    case HOST_NOT_FOUND:
      return wsabi::kWsaHostNotFound;
    case TRY_AGAIN:
      return wsabi::kWsaTryAgain;
    case NO_DATA:
      return wsabi::kWsaNoData;
    default:
      return wsabi::kWsaNoRecovery;
  }
}

// --- glibc's reentrant lookups ---------------------------------------------

// Runs a glibc *_r lookup, growing its scratch buffer while the lookup says
// ERANGE (a host with many aliases or addresses). Returns the lookup's
// result; the buffer must outlive every use of what the lookup returned.
template <typename Lookup>
int LookupWithBuffer(std::vector<char>* buffer, Lookup lookup) {
  constexpr size_t kBufferMax = size_t{1} << 20;
  buffer->resize(1024);
  for (;;) {
    const int rc = lookup(buffer->data(), buffer->size());
    if (rc != ERANGE || buffer->size() >= kBufferMax) return rc;
    buffer->resize(buffer->size() * 2);
  }
}

// --- per-thread results ----------------------------------------------------

// A null-terminated array of owned items: the shape of h_aliases,
// h_addr_list, s_aliases and p_aliases.
class OwnedList {
 public:
  // Copies a glibc list of C strings.
  void AssignStrings(char* const* list) {
    items_.clear();
    for (char* const* item = list; item != nullptr && *item != nullptr; ++item) {
      items_.emplace_back(*item);
    }
    Point();
  }
  // Copies a glibc list of `size`-byte items (addresses).
  void AssignBytes(char* const* list, size_t size) {
    items_.clear();
    for (char* const* item = list; item != nullptr && *item != nullptr; ++item) {
      items_.emplace_back(*item, size);
    }
    Point();
  }
  void AssignBytes(const std::vector<std::string>& items) {
    items_ = items;
    Point();
  }
  char** pointers() { return pointers_.data(); }

 private:
  // Only once the strings stop moving can their addresses be taken.
  void Point() {
    pointers_.clear();
    for (std::string& item : items_) pointers_.push_back(item.data());
    pointers_.push_back(nullptr);
  }

  std::vector<std::string> items_;
  std::vector<char*> pointers_;
};

// Windows keeps one hostent, one servent and one protoent per thread; each
// result stays valid until the thread's next call of the same kind. glibc's
// non-_r versions share one static buffer between threads, hence the copies.
struct HostSlot {
  WinHostent entry;
  std::string name;
  OwnedList aliases;
  OwnedList addresses;
};

struct ServSlot {
  WinServent entry;
  std::string name;
  std::string proto;
  OwnedList aliases;
};

struct ProtoSlot {
  WinProtoent entry;
  std::string name;
  OwnedList aliases;
};

HostSlot& ThreadHostSlot() {
  thread_local HostSlot slot;
  return slot;
}

WinHostent* FillHost(HostSlot* slot, int linux_family) {
  slot->entry.h_name = slot->name.data();
  slot->entry.h_aliases = slot->aliases.pointers();
  slot->entry.h_addrtype = static_cast<int16_t>(winapi::WindowsFamily(linux_family));
  slot->entry.h_length = static_cast<int16_t>(linux_family == AF_INET6 ? 16 : 4);
  slot->entry.h_addr_list = slot->addresses.pointers();
  return &slot->entry;
}

WinHostent* StoreHost(const hostent& found) {
  HostSlot& slot = ThreadHostSlot();
  slot.name = found.h_name != nullptr ? found.h_name : "";
  slot.aliases.AssignStrings(found.h_aliases);
  slot.addresses.AssignBytes(found.h_addr_list, static_cast<size_t>(found.h_length));
  return FillHost(&slot, found.h_addrtype);
}

WinServent* StoreServ(const servent& found) {
  thread_local ServSlot slot;
  slot.name = found.s_name != nullptr ? found.s_name : "";
  slot.proto = found.s_proto != nullptr ? found.s_proto : "";
  slot.aliases.AssignStrings(found.s_aliases);
  slot.entry.s_name = slot.name.data();
  slot.entry.s_aliases = slot.aliases.pointers();
  slot.entry.s_proto = slot.proto.data();
  slot.entry.s_port = static_cast<int16_t>(found.s_port);  // network order in both
  return &slot.entry;
}

WinProtoent* StoreProto(const protoent& found) {
  thread_local ProtoSlot slot;
  slot.name = found.p_name != nullptr ? found.p_name : "";
  slot.aliases.AssignStrings(found.p_aliases);
  slot.entry.p_name = slot.name.data();
  slot.entry.p_aliases = slot.aliases.pointers();
  slot.entry.p_proto = static_cast<int16_t>(found.p_proto);
  return &slot.entry;
}

// --- hosts ------------------------------------------------------------------

std::string LocalHostName() {
  char name[256];
  if (gethostname(name, sizeof(name)) != 0) return "localhost";
  name[sizeof(name) - 1] = '\0';
  return name;
}

// gethostbyname's lookup: IPv4 only, as Windows' gethostbyname never returns
// IPv6 addresses. Returns 0 and the stored entry, or a Winsock error.
uint32_t LookupHostByName(const char* name, WinHostent** out) {
  hostent entry;
  hostent* found = nullptr;
  int host_error = 0;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t size) {
    return gethostbyname2_r(name, AF_INET, &entry, data, size, &found, &host_error);
  });
  if (rc != 0 || found == nullptr) return WsaFromHostLookup(rc, host_error);
  *out = StoreHost(*found);
  return 0;
}

// The machine's IPv4 addresses, loopback only when there is nothing else (as
// Windows lists the local host).
std::vector<std::string> InterfaceAddresses() {
  std::vector<std::string> addresses;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* item = list; item != nullptr; item = item->ifa_next) {
      if (item->ifa_addr == nullptr || item->ifa_addr->sa_family != AF_INET) continue;
      const in_addr address = reinterpret_cast<sockaddr_in*>(item->ifa_addr)->sin_addr;
      if (ntohl(address.s_addr) >> 24 == 127) continue;
      addresses.emplace_back(reinterpret_cast<const char*>(&address), sizeof(address));
    }
    freeifaddrs(list);
  }
  if (addresses.empty()) {
    const uint32_t loopback = htonl(INADDR_LOOPBACK);
    addresses.emplace_back(reinterpret_cast<const char*>(&loopback), sizeof(loopback));
  }
  return addresses;
}

// gethostbyname("") and gethostbyname(NULL): Windows answers with the local
// host whether or not its name resolves. The resolver's answer for the host
// name comes first (it carries the aliases); a name that does not resolve
// here (no /etc/hosts line, no DNS) falls back to the interfaces' addresses.
WinHostent* LocalHost() {
  const std::string name = LocalHostName();
  WinHostent* entry = nullptr;
  if (LookupHostByName(name.c_str(), &entry) == 0) return entry;
  HostSlot& slot = ThreadHostSlot();
  slot.name = name;
  slot.aliases.AssignStrings(nullptr);
  slot.addresses.AssignBytes(InterfaceAddresses());
  return FillHost(&slot, AF_INET);
}

// --- inet_addr --------------------------------------------------------------

// C-locale isspace: what ends an inet_addr string (observed: any of these
// after a complete address is accepted and the rest ignored).
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// One part of a dotted address, C style: 0x/0X hexadecimal, a leading 0
// octal, else decimal. Advances *text past it. False on no digits, a digit
// outside the base, or a value over 32 bits.
bool ParseAddressPart(const char** text, uint32_t* value) {
  const char* p = *text;
  if (*p < '0' || *p > '9') return false;  // no sign, no space, no empty part
  int base = 10;
  if (*p == '0') {
    base = 8;
    if (p[1] == 'x' || p[1] == 'X') {
      base = 16;
      p += 2;
      if (DigitValue(*p) >= base) return false;  // "0x" alone
    }
  }
  uint64_t total = 0;
  for (; DigitValue(*p) < 99; ++p) {
    const int digit = DigitValue(*p);
    if (digit >= base) return false;  // "08", "0a": Windows refuses, not stops
    total = total * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    if (total > 0xffffffffu) return false;
  }
  *text = p;
  *value = static_cast<uint32_t>(total);
  return true;
}

// Windows' inet_addr: BSD's forms (a.b.c.d, a.b.c with c 16 bits, a.b with b
// 24 bits, a with 32 bits). No leading white space; the address ends at the
// end of the string or at white space, after which anything is ignored
// (observed: "1.2.3 .4" is 1.2.0.3, "3.4.5.6  7" is 3.4.5.6, " 3.4.5.6"
// fails). Returns false for INADDR_NONE.
bool ParseInetAddr(const char* text, uint32_t* network_order) {
  uint32_t parts[4];
  int count = 0;
  for (;;) {
    if (count == 4 || !ParseAddressPart(&text, &parts[count])) return false;
    ++count;
    if (*text == '.') {
      ++text;
      continue;
    }
    if (*text != '\0' && !IsSpace(*text)) return false;
    break;
  }
  // The last part fills the bytes the others leave.
  const uint32_t last_max = count == 4 ? 0xff : count == 3 ? 0xffff : count == 2 ? 0xffffff : ~0u;
  if (parts[count - 1] > last_max) return false;
  uint32_t host = parts[count - 1];
  for (int i = 0; i < count - 1; ++i) {
    if (parts[i] > 0xff) return false;
    host |= parts[i] << (24 - 8 * i);
  }
  *network_order = htonl(host);
  return true;
}

// --- getaddrinfo ----------------------------------------------------------

int LinuxAiFlags(int windows_flags) {
  int flags = 0;
  if (windows_flags & kAiPassive) flags |= AI_PASSIVE;
  if (windows_flags & kAiCanonName) flags |= AI_CANONNAME;
  if (windows_flags & kAiNumericHost) flags |= AI_NUMERICHOST;
  if (windows_flags & kAiNumericServ) flags |= AI_NUMERICSERV;
  if (windows_flags & kAiAll) flags |= AI_ALL;
  if (windows_flags & kAiAddrConfig) flags |= AI_ADDRCONFIG;
  if (windows_flags & kAiV4Mapped) flags |= AI_V4MAPPED;
  // AI_FQDN asks for the fully qualified name in ai_canonname, which is what
  // glibc's canonical name is. The other Windows-only bits (AI_SECURE,
  // AI_RETURN_PREFERRED_NAMES, AI_FILESERVER, ...) have no meaning here.
  if (windows_flags & kAiFqdn) flags |= AI_CANONNAME;
  return flags;
}

// Windows answers any of the socket types it defines (stream, datagram, raw,
// RDM, seqpacket) or none; others fail with WSAESOCKTNOSUPPORT (observed).
bool KnownSocketType(int socktype) { return socktype >= 0 && socktype <= wsabi::kSockSeqpacket; }

// The socket type glibc is asked for. Windows does not check a protocol
// against the socket type (observed: SOCK_STREAM with IPPROTO_UDP, or
// protocol 999, succeed), while glibc refuses such pairs, so glibc gets the
// type only, derived from the protocol when the caller gave none; it needs a
// type to pick the service's port from /etc/services.
static_assert(SOCK_STREAM == wsabi::kSockStream && SOCK_DGRAM == wsabi::kSockDgram,
              "the socket type numbers glibc is given are Windows' own");
static_assert(IPPROTO_TCP == wsabi::kIpprotoTcp && IPPROTO_UDP == wsabi::kIpprotoUdp,
              "protocol numbers are IANA's on both sides");

int LinuxSocketType(int socktype, int protocol) {
  if (socktype == wsabi::kSockStream || socktype == wsabi::kSockDgram) return socktype;
  if (socktype == 0 && protocol == wsabi::kIpprotoTcp) return SOCK_STREAM;
  if (socktype == 0 && protocol == wsabi::kIpprotoUdp) return SOCK_DGRAM;
  return 0;
}

// "[v6 address]" and "[v6 address]:port", which Windows accepts as a node
// name (observed; the port is ignored). Returns false for anything else.
bool UnbracketNode(const char* node, std::string* out) {
  if (node[0] != '[') return false;
  const char* close = strchr(node, ']');
  if (close == nullptr || close == node + 1) return false;
  if (close[1] != '\0' && close[1] != ':') return false;
  out->assign(node + 1, close);
  return out->find(':') != std::string::npos;
}

// One allocation per result node: the node, its address, then its canonical
// name. freeaddrinfo frees node by node, so a list a program has cut or
// spliced stays freeable.
struct ResultNode {
  WinAddrInfo info;
  alignas(8) unsigned char address[32];  // a Windows sockaddr_in or sockaddr_in6
};
static_assert(sizeof(ResultNode::address) >= winapi::kWindowsSockaddrIn6Size, "room for IPv6");

void FreeList(WinAddrInfo* list) {
  while (list != nullptr) {
    WinAddrInfo* next = list->ai_next;
    free(list);  // the node is the first member of its ResultNode block
    list = next;
  }
}

// Builds the Windows list from glibc's. Windows gives one node per address
// with the caller's socket type and protocol as they were asked (observed:
// no hints, or type 0, give type 0 and protocol 0, where glibc gives one node
// per type), so glibc's consecutive nodes that differ only in type collapse
// into one. Returns 0 or WSA_NOT_ENOUGH_MEMORY / WSAHOST_NOT_FOUND.
uint32_t BuildResultList(const addrinfo* found, int flags, int socktype, int protocol,
                         WinAddrInfo** result) {
  WinAddrInfo** tail = result;
  WinAddrInfo* last = nullptr;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    unsigned char address[sizeof(ResultNode::address)];
    int length = sizeof(address);
    if (winapi::ToWindows(entry->ai_addr, entry->ai_addrlen, address, &length) != 0) {
      continue;  // a family Winsock does not carry
    }
    if (last != nullptr && last->ai_addrlen == static_cast<size_t>(length) &&
        memcmp(last->ai_addr, address, static_cast<size_t>(length)) == 0) {
      continue;
    }
    const size_t name_size = entry->ai_canonname != nullptr ? strlen(entry->ai_canonname) + 1 : 0;
    auto* node = static_cast<ResultNode*>(calloc(1, sizeof(ResultNode) + name_size));
    if (node == nullptr) {
      FreeList(*result);
      *result = nullptr;
      return wsabi::kWsaNotEnoughMemory;
    }
    node->info.ai_flags = flags;
    node->info.ai_family = winapi::WindowsFamily(entry->ai_family);
    node->info.ai_socktype = socktype;
    node->info.ai_protocol = protocol;
    node->info.ai_addrlen = static_cast<size_t>(length);
    node->info.ai_addr = node->address;
    memcpy(node->address, address, static_cast<size_t>(length));
    if (name_size > 0) {
      node->info.ai_canonname = reinterpret_cast<char*>(node + 1);
      memcpy(node->info.ai_canonname, entry->ai_canonname, name_size);
    }
    *tail = &node->info;
    tail = &node->info.ai_next;
    last = &node->info;
  }
  return *result != nullptr ? 0 : wsabi::kWsaHostNotFound;
}

// --- getnameinfo ------------------------------------------------------------

int LinuxNiFlags(int windows_flags) {
  int flags = 0;
  if (windows_flags & kNiNoFqdn) flags |= NI_NOFQDN;
  if (windows_flags & kNiNumericHost) flags |= NI_NUMERICHOST;
  if (windows_flags & kNiNameReqd) flags |= NI_NAMEREQD;
  if (windows_flags & kNiNumericServ) flags |= NI_NUMERICSERV;
  if (windows_flags & kNiDgram) flags |= NI_DGRAM;
  return flags;
}

// glibc writes a link-local scope as an interface name ("fe80::1%eth0");
// Windows writes the number ("fe80::1%2"). Rewrites the suffix in place.
// False when the buffer cannot hold the number.
bool NumericScope(const sockaddr_storage& address, char* host, size_t host_size) {
  if (address.ss_family != AF_INET6) return true;
  const uint32_t scope = reinterpret_cast<const sockaddr_in6*>(&address)->sin6_scope_id;
  char* percent = strchr(host, '%');
  if (scope == 0 || percent == nullptr) return true;
  const size_t room = host_size - static_cast<size_t>(percent - host);
  const int written = snprintf(percent, room, "%%%u", scope);
  return written > 0 && static_cast<size_t>(written) < room;
}

const char* GaiMessage(uint32_t code) {
  switch (code) {
    case 0:
      return "Success.";
    case wsabi::kWsaHostNotFound:
      return "No such host is known.";
    case wsabi::kWsaTryAgain:
      return "Temporary failure in name resolution; try again.";
    case wsabi::kWsaNoRecovery:
      return "Non-recoverable failure in name resolution.";
    case wsabi::kWsaNoData:
      return "The name is valid but has no data of the requested type.";
    case wsabi::kWsaEafnosupport:
      return "The address family is not supported.";
    case wsabi::kWsaNotEnoughMemory:
      return "Not enough memory.";
    case wsabi::kWsaEinval:
      return "Invalid flags or argument.";
    case wsabi::kWsaTypeNotFound:
      return "The service is not known for this socket type.";
    case wsabi::kWsaEsocktnosupport:
      return "The socket type is not supported.";
    case wsabi::kWsaEfault:
      return "A buffer or address is invalid or too small.";
    case wsabi::kWsaInvalidParameter:
      return "An invalid parameter was passed.";
    case wsabi::kWsaNotInitialised:
      return "WSAStartup has not been called.";
    default:
      return nullptr;
  }
}

}  // namespace

extern "C" {

// --- byte order (no start-up needed, as on Windows) -------------------------

uint16_t iocp_htons(uint16_t value) { return htons(value); }
uint16_t iocp_ntohs(uint16_t value) { return ntohs(value); }
uint32_t iocp_htonl(uint32_t value) { return htonl(value); }
uint32_t iocp_ntohl(uint32_t value) { return ntohl(value); }

// --- text forms (no start-up needed) -----------------------------------------

// NULL sets WSAEFAULT (observed); "" is INADDR_NONE (documented for Windows
// Server 2003 and later); exactly " " is 0 (documented and observed, while
// "  ", "\t" and " 0" are INADDR_NONE). Other failures leave the last error.
uint32_t iocp_inet_addr(const char* cp) {
  if (cp == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return kInaddrNone;
  }
  if (strcmp(cp, " ") == 0) return 0;
  uint32_t address;
  return ParseInetAddr(cp, &address) ? address : kInaddrNone;
}

// Returns a per-thread buffer (Windows: valid until the thread's next
// Winsock call).
char* iocp_inet_ntoa(WinInAddr in) {
  thread_local char text[16];
  unsigned char bytes[4];
  memcpy(bytes, &in.s_addr, sizeof(bytes));
  snprintf(text, sizeof(text), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
  return text;
}

// Observed order of checks: NULL string or buffer (WSAEFAULT) before the
// family (WSAEAFNOSUPPORT, -1); text that does not parse returns 0 and
// leaves the last error. glibc's parser accepts the same strict forms,
// except that Windows also takes leading zeros in the dotted quad inside an
// IPv6 address ("1::001.2.3.4").
int iocp_inet_pton(int family, const char* text, void* out) {
  if (text == nullptr || out == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return -1;
  }
  const int linux_family = winapi::LinuxFamily(family);
  if (linux_family != AF_INET && linux_family != AF_INET6) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return -1;
  }
  return inet_pton(linux_family, text, out);
}

// A NULL or too small buffer sets ERROR_INVALID_PARAMETER (87), as the
// documentation says. (Windows 8 and later are observed to set the NTSTATUS
// STATUS_INVALID_PARAMETER, 0xC000000D, and Windows 7 WSAEINVAL; a program
// can only have been written against the documented value.)
const char* iocp_inet_ntop(int family, const void* address, char* buffer, size_t size) {
  const int linux_family = winapi::LinuxFamily(family);
  if (linux_family != AF_INET && linux_family != AF_INET6) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return nullptr;
  }
  if (address == nullptr || buffer == nullptr || size == 0) {
    winapi::SetError(wsabi::kWsaInvalidParameter);
    return nullptr;
  }
  const socklen_t linux_size = size > 0xffffffffu ? 0xffffffffu : static_cast<socklen_t>(size);
  if (inet_ntop(linux_family, address, buffer, linux_size) == nullptr) {
    winapi::SetError(wsabi::kWsaInvalidParameter);
    return nullptr;
  }
  return buffer;
}

// --- getaddrinfo / getnameinfo ---------------------------------------------

void iocp_freeaddrinfo(WinAddrInfo* list) { FreeList(list); }

// Undocumented and chosen: a NULL ppResult fails with WSA_INVALID_PARAMETER
// (87), Winsock's code for a bad argument of the newer API. Documented: the
// hints' ai_addrlen, ai_canonname, ai_addr and ai_next must be zero, else
// WSANO_RECOVERY. Observed: NULL node and service is WSAHOST_NOT_FOUND and
// *ppResult is NULL after any failure; "" as the node means the local host;
// success sets the last error to 0.
int iocp_getaddrinfo(const char* node, const char* service, const WinAddrInfo* hints,
                     WinAddrInfo** result) {
  if (!Started()) return static_cast<int>(wsabi::kWsaNotInitialised);
  if (result == nullptr) return GaiFail(wsabi::kWsaInvalidParameter);
  *result = nullptr;
  int flags = 0, socktype = 0, protocol = 0, linux_family = AF_UNSPEC;
  if (hints != nullptr) {
    if (hints->ai_addrlen != 0 || hints->ai_canonname != nullptr || hints->ai_addr != nullptr ||
        hints->ai_next != nullptr) {
      return GaiFail(wsabi::kWsaNoRecovery);
    }
    linux_family = winapi::LinuxFamily(hints->ai_family);
    if (linux_family < 0) return GaiFail(wsabi::kWsaEafnosupport);
    if (!KnownSocketType(hints->ai_socktype)) return GaiFail(wsabi::kWsaEsocktnosupport);
    flags = hints->ai_flags;
    socktype = hints->ai_socktype;
    protocol = hints->ai_protocol;
  }
  if (node == nullptr && service == nullptr) return GaiFail(wsabi::kWsaHostNotFound);

  std::string rewritten;
  if (node != nullptr && node[0] == '\0') {
    rewritten = LocalHostName();
    node = rewritten.c_str();
  } else if (node != nullptr && UnbracketNode(node, &rewritten)) {
    node = rewritten.c_str();
  }
  // Explicit hints even when the caller gave none: glibc's defaults for NULL
  // hints (AI_V4MAPPED | AI_ADDRCONFIG) are not Windows'.
  addrinfo request = {};
  request.ai_family = linux_family;
  request.ai_socktype = LinuxSocketType(socktype, protocol);
  request.ai_flags = LinuxAiFlags(flags);
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(node, service, &request, &found);
  if (rc != 0) return GaiFail(WsaFromEai(rc));
  const uint32_t error = BuildResultList(found, flags, socktype, protocol, result);
  freeaddrinfo(found);
  if (error != 0) return GaiFail(error);
  winapi::SetError(0);
  return 0;
}

// Documented: a NULL address or a length short of its family's structure is
// WSAEFAULT, an unknown family WSAEAFNOSUPPORT, a buffer given with a zero
// size WSAEINVAL; a NULL buffer means the caller does not want that part.
// Chosen: flag bits Windows does not define are ignored; a name too long for
// the caller's buffer is WSAEFAULT (Windows has no EAI_OVERFLOW).
int iocp_getnameinfo(const void* address, int length, char* host, uint32_t host_size, char* service,
                     uint32_t service_size, int flags) {
  if (!Started()) return static_cast<int>(wsabi::kWsaNotInitialised);
  sockaddr_storage linux_address;
  socklen_t linux_length;
  if (const int error = winapi::ToLinux(address, length, &linux_address, &linux_length)) {
    return GaiFail(static_cast<uint32_t>(error));
  }
  if ((host != nullptr && host_size == 0) || (service != nullptr && service_size == 0)) {
    return GaiFail(wsabi::kWsaEinval);
  }
  if (host == nullptr) host_size = 0;
  if (service == nullptr) service_size = 0;
  const int rc =
      getnameinfo(reinterpret_cast<const sockaddr*>(&linux_address), linux_length,
                  host_size != 0 ? host : nullptr, host_size, service_size != 0 ? service : nullptr,
                  service_size, LinuxNiFlags(flags));
  if (rc != 0) return GaiFail(WsaFromEai(rc));
  if (host_size != 0 && !NumericScope(linux_address, host, host_size)) {
    return GaiFail(wsabi::kWsaEfault);
  }
  return 0;
}

// Windows' is an inline function over a static buffer; this one copies the
// text into a per-thread buffer, so the char* it must return (the header's
// type) is writable and no thread overwrites another's message.
char* gai_strerrorA(int code) {
  thread_local char text[96];
  const char* message = GaiMessage(static_cast<uint32_t>(code));
  if (message != nullptr) {
    snprintf(text, sizeof(text), "%s", message);
  } else {
    snprintf(text, sizeof(text), "Unknown name resolution error %d.", code);
  }
  return text;
}

// --- the hostent family ----------------------------------------------------

// "" and NULL mean the local host; a dotted IPv4 address answers itself
// (glibc and Windows both skip the lookup); unknown names fail with
// WSAHOST_NOT_FOUND, names without an IPv4 address with WSANO_DATA.
WinHostent* iocp_gethostbyname(const char* name) {
  if (!Started()) return nullptr;
  if (name == nullptr || name[0] == '\0') return LocalHost();
  WinHostent* entry = nullptr;
  if (const uint32_t error = LookupHostByName(name, &entry)) {
    winapi::SetError(error);
    return nullptr;
  }
  return entry;
}

// Documented: an unknown type is WSAEAFNOSUPPORT; a NULL address or an IPv4
// length under 4 is WSAEFAULT; an IPv6 length other than 16 is WSAEINVAL.
WinHostent* iocp_gethostbyaddr(const char* address, int length, int type) {
  if (!Started()) return nullptr;
  const int family = winapi::LinuxFamily(type);
  uint32_t error = 0;
  if (family != AF_INET && family != AF_INET6) {
    error = wsabi::kWsaEafnosupport;
  } else if (address == nullptr || (family == AF_INET && length < 4)) {
    error = wsabi::kWsaEfault;
  } else if (family == AF_INET6 && length != 16) {
    error = wsabi::kWsaEinval;
  }
  if (error != 0) {
    winapi::SetError(error);
    return nullptr;
  }
  const socklen_t size = family == AF_INET ? 4 : 16;
  hostent entry;
  hostent* found = nullptr;
  int host_error = 0;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t buffer_size) {
    return gethostbyaddr_r(address, size, family, &entry, data, buffer_size, &found, &host_error);
  });
  if (rc != 0 || found == nullptr) {
    winapi::SetError(WsaFromHostLookup(rc, host_error));
    return nullptr;
  }
  return StoreHost(*found);
}

// Observed: a NULL buffer, or one without room for the terminating NUL, is
// WSAEFAULT and leaves the buffer untouched.
int iocp_gethostname(char* name, int length) {
  if (!Started()) return wsabi::kSocketError;
  const std::string local = LocalHostName();
  if (name == nullptr || length < 0 || static_cast<size_t>(length) < local.size() + 1) {
    winapi::SetError(wsabi::kWsaEfault);
    return wsabi::kSocketError;
  }
  memcpy(name, local.c_str(), local.size() + 1);
  return 0;
}

// --- services and protocols ------------------------------------------------
//
// Not found is WSANO_DATA ("valid name, no data record"), the documented code
// the Windows database functions give for a name that is not in their file.

// `port` is in network order, as on Windows and in glibc.
WinServent* iocp_getservbyname(const char* name, const char* proto) {
  if (!Started()) return nullptr;
  if (name == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return nullptr;
  }
  servent entry;
  servent* found = nullptr;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t size) {
    return getservbyname_r(name, proto, &entry, data, size, &found);
  });
  if (rc != 0 || found == nullptr) {
    winapi::SetError(rc == ENOMEM ? wsabi::kWsaNotEnoughMemory : wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreServ(*found);
}

WinServent* iocp_getservbyport(int port, const char* proto) {
  if (!Started()) return nullptr;
  servent entry;
  servent* found = nullptr;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t size) {
    return getservbyport_r(port, proto, &entry, data, size, &found);
  });
  if (rc != 0 || found == nullptr) {
    winapi::SetError(rc == ENOMEM ? wsabi::kWsaNotEnoughMemory : wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreServ(*found);
}

WinProtoent* iocp_getprotobyname(const char* name) {
  if (!Started()) return nullptr;
  if (name == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return nullptr;
  }
  protoent entry;
  protoent* found = nullptr;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t size) {
    return getprotobyname_r(name, &entry, data, size, &found);
  });
  if (rc != 0 || found == nullptr) {
    winapi::SetError(rc == ENOMEM ? wsabi::kWsaNotEnoughMemory : wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreProto(*found);
}

WinProtoent* iocp_getprotobynumber(int number) {
  if (!Started()) return nullptr;
  protoent entry;
  protoent* found = nullptr;
  std::vector<char> buffer;
  const int rc = LookupWithBuffer(&buffer, [&](char* data, size_t size) {
    return getprotobynumber_r(number, &entry, data, size, &found);
  });
  if (rc != 0 || found == nullptr) {
    winapi::SetError(rc == ENOMEM ? wsabi::kWsaNotEnoughMemory : wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreProto(*found);
}

}  // extern "C"
