// Exported Winsock name and address functions: byte order (htons & co.),
// inet_addr, inet_ntoa, inet_pton, inet_ntop, getaddrinfo, freeaddrinfo,
// getnameinfo, gai_strerrorA, gethostbyname, gethostbyaddr, gethostname,
// getservbyname, getservbyport, getprotobyname, getprotobynumber.
//
// glibc does the looking up; this file translates at the boundary: Windows'
// family numbers (AF_INET6 is 23), ADDRINFOA's field order (ai_canonname
// before ai_addr), x64 servent's order (s_proto before s_port), u_long as 32
// bits, and error numbers (the EAI_* values are WSA* codes, and every call
// also sets WSAGetLastError). The hostent/servent/protoent results live in
// per-thread storage, as Windows keeps them per thread.
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <new>
#include <string>
#include <vector>

#include "winapi/api_util.h"
#include "winapi/sockaddr.h"
#include "winapi/winsock_abi.h"
#include "winapi/winsock_state.h"

namespace wsabi = winapi::wsabi;

namespace {

// Windows x64 layouts (asserted against the headers by winsock_abi_test's
// sizes here and the netdb test's field reads).
struct WinAddrInfo {
  int32_t ai_flags;
  int32_t ai_family;
  int32_t ai_socktype;
  int32_t ai_protocol;
  size_t ai_addrlen;
  char* ai_canonname;
  void* ai_addr;
  WinAddrInfo* ai_next;
};
static_assert(sizeof(WinAddrInfo) == 48, "ADDRINFOA");

struct WinHostent {
  char* h_name;
  char** h_aliases;
  int16_t h_addrtype;
  int16_t h_length;
  char** h_addr_list;
};
static_assert(sizeof(WinHostent) == 32, "hostent");

struct WinServent {
  char* s_name;
  char** s_aliases;
  char* s_proto;
  int16_t s_port;
};

struct WinProtoent {
  char* p_name;
  char** p_aliases;
  int16_t p_proto;
};

// Windows' AI_* bits that glibc shares (same meaning, different values for
// some): PASSIVE 1, CANONNAME 2, NUMERICHOST 4, NUMERICSERV 8, ALL 0x100,
// ADDRCONFIG 0x400, V4MAPPED 0x800. The Windows-only ones are ignored.
int LinuxAiFlags(int windows) {
  int flags = 0;
  if (windows & 0x1) flags |= AI_PASSIVE;
  if (windows & 0x2) flags |= AI_CANONNAME;
  if (windows & 0x4) flags |= AI_NUMERICHOST;
  if (windows & 0x8) flags |= AI_NUMERICSERV;
  if (windows & 0x100) flags |= AI_ALL;
  if (windows & 0x400) flags |= AI_ADDRCONFIG;
  if (windows & 0x800) flags |= AI_V4MAPPED;
  return flags;
}

// glibc EAI_* -> Windows' (WSA*) codes.
uint32_t WsaFromEai(int eai) {
  switch (eai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
      return wsabi::kWsaHostNotFound;
    case EAI_AGAIN: return wsabi::kWsaTryAgain;
    case EAI_FAIL: return wsabi::kWsaNoRecovery;
    case EAI_FAMILY: return wsabi::kWsaEafnosupport;
    case EAI_MEMORY: return wsabi::kWsaNotEnoughMemory;
    case EAI_BADFLAGS: return wsabi::kWsaEinval;
    case EAI_SERVICE: return wsabi::kWsaTypeNotFound;
    case EAI_SOCKTYPE: return wsabi::kWsaEsocktnosupport;
    case EAI_OVERFLOW: return wsabi::kWsaEfault;
    case EAI_SYSTEM: return wsabi::kWsaNoRecovery;
    default: return wsabi::kWsaNoRecovery;
  }
}

bool Started() {
  if (winapi::WinsockStarted()) return true;
  winapi::SetError(wsabi::kWsaNotInitialised);
  return false;
}

// Per-thread storage behind gethostbyname & co.: every pointer they return
// points in here and stays valid until the thread's next call of the kind.
struct HostStorage {
  WinHostent entry;
  std::string name;
  std::vector<std::string> aliases;
  std::vector<char*> alias_pointers;
  std::vector<std::string> addresses;
  std::vector<char*> address_pointers;
};

struct ServStorage {
  WinServent entry;
  std::string name;
  std::string proto;
  std::vector<std::string> aliases;
  std::vector<char*> alias_pointers;
};

struct ProtoStorage {
  WinProtoent entry;
  std::string name;
  std::vector<std::string> aliases;
  std::vector<char*> alias_pointers;
};

void CopyAliases(char** aliases, std::vector<std::string>* out, std::vector<char*>* pointers) {
  out->clear();
  pointers->clear();
  for (char** alias = aliases; alias != nullptr && *alias != nullptr; ++alias) {
    out->emplace_back(*alias);
  }
  for (std::string& alias : *out) pointers->push_back(alias.data());
  pointers->push_back(nullptr);
}

WinHostent* StoreHost(const char* name, char** aliases, int linux_family, int length,
                      char** addresses) {
  thread_local HostStorage storage;
  storage.name = name ? name : "";
  CopyAliases(aliases, &storage.aliases, &storage.alias_pointers);
  storage.addresses.clear();
  storage.address_pointers.clear();
  for (char** address = addresses; address != nullptr && *address != nullptr; ++address) {
    storage.addresses.emplace_back(*address, static_cast<size_t>(length));
  }
  for (std::string& address : storage.addresses) storage.address_pointers.push_back(address.data());
  storage.address_pointers.push_back(nullptr);
  storage.entry.h_name = storage.name.data();
  storage.entry.h_aliases = storage.alias_pointers.data();
  storage.entry.h_addrtype = static_cast<int16_t>(winapi::WindowsFamily(linux_family));
  storage.entry.h_length = static_cast<int16_t>(length);
  storage.entry.h_addr_list = storage.address_pointers.data();
  return &storage.entry;
}

// The h_errno of the _r calls -> Windows' codes.
uint32_t WsaFromHerrno(int error) {
  switch (error) {
    case HOST_NOT_FOUND: return wsabi::kWsaHostNotFound;
    case TRY_AGAIN: return wsabi::kWsaTryAgain;
    case NO_RECOVERY: return wsabi::kWsaNoRecovery;
    case NO_DATA: return wsabi::kWsaNoData;
    default: return wsabi::kWsaNoRecovery;
  }
}

// Windows' inet_addr: the forms of BSD inet_aton (a.b.c.d, a.b.c, a.b, a;
// each part decimal, octal with 0, or hex with 0x), but "" is invalid.
bool ParseIpv4(const char* text, uint32_t* out) {
  if (text == nullptr || *text == '\0') return false;
  uint32_t parts[4];
  int count = 0;
  const char* p = text;
  for (;;) {
    if (count == 4) return false;
    if (*p < '0' || *p > '9') return false;
    int base = 10;
    if (*p == '0') {
      base = 8;
      if (p[1] == 'x' || p[1] == 'X') {
        base = 16;
        p += 2;
        if (!isxdigit(static_cast<unsigned char>(*p))) return false;
      }
    }
    uint64_t value = 0;
    while (true) {
      int digit;
      if (*p >= '0' && *p <= '9') {
        digit = *p - '0';
      } else if (base == 16 && *p >= 'a' && *p <= 'f') {
        digit = *p - 'a' + 10;
      } else if (base == 16 && *p >= 'A' && *p <= 'F') {
        digit = *p - 'A' + 10;
      } else {
        break;
      }
      if (digit >= base) return false;
      value = value * base + static_cast<uint64_t>(digit);
      if (value > 0xffffffffu) return false;
      ++p;
    }
    parts[count++] = static_cast<uint32_t>(value);
    if (*p == '.') {
      ++p;
      continue;
    }
    // Windows accepts trailing white space after the address.
    if (*p != '\0' && *p != ' ' && *p != '\t') return false;
    break;
  }
  uint32_t host = 0;
  switch (count) {
    case 1:
      host = parts[0];
      break;
    case 2:
      if (parts[0] > 0xff || parts[1] > 0xffffff) return false;
      host = parts[0] << 24 | parts[1];
      break;
    case 3:
      if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff) return false;
      host = parts[0] << 24 | parts[1] << 16 | parts[2];
      break;
    case 4:
      for (int i = 0; i < 4; ++i) {
        if (parts[i] > 0xff) return false;
      }
      host = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
      break;
  }
  *out = htonl(host);
  return true;
}

}  // namespace

extern "C" {

uint16_t iocp_htons(uint16_t value) { return htons(value); }
uint16_t iocp_ntohs(uint16_t value) { return ntohs(value); }
uint32_t iocp_htonl(uint32_t value) { return htonl(value); }
uint32_t iocp_ntohl(uint32_t value) { return ntohl(value); }

uint32_t iocp_inet_addr(const char* cp) {
  uint32_t address;
  return ParseIpv4(cp, &address) ? address : 0xffffffffu;  // INADDR_NONE
}

char* iocp_inet_ntoa(uint32_t in) {  // struct in_addr by value: 4 bytes
  thread_local char text[16];
  const unsigned char* b = reinterpret_cast<const unsigned char*>(&in);
  snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  return text;
}

int iocp_inet_pton(int family, const char* text, void* out) {
  const int linux_family = winapi::LinuxFamily(family);
  if (linux_family != AF_INET && linux_family != AF_INET6) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return -1;
  }
  if (text == nullptr || out == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return -1;
  }
  return inet_pton(linux_family, text, out);
}

const char* iocp_inet_ntop(int family, const void* address, char* buffer, size_t size) {
  const int linux_family = winapi::LinuxFamily(family);
  if (linux_family != AF_INET && linux_family != AF_INET6) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return nullptr;
  }
  if (address == nullptr || buffer == nullptr) {
    winapi::SetError(wsabi::kWsaInvalidParameter);
    return nullptr;
  }
  const char* text = inet_ntop(linux_family, address, buffer, static_cast<socklen_t>(size));
  if (text == nullptr) winapi::SetError(wsabi::kWsaInvalidParameter);  // buffer too small
  return text;
}

void iocp_freeaddrinfo(WinAddrInfo* list) {
  while (list != nullptr) {
    WinAddrInfo* next = list->ai_next;
    free(list);  // one block per node: the node, its address, its name
    list = next;
  }
}

int iocp_getaddrinfo(const char* node, const char* service, const WinAddrInfo* hints,
                     WinAddrInfo** result) {
  if (!Started()) return static_cast<int>(wsabi::kWsaNotInitialised);
  if (result == nullptr) {
    winapi::SetError(wsabi::kWsaInvalidParameter);
    return static_cast<int>(wsabi::kWsaInvalidParameter);
  }
  *result = nullptr;
  if (node == nullptr && service == nullptr) {
    winapi::SetError(wsabi::kWsaHostNotFound);
    return static_cast<int>(wsabi::kWsaHostNotFound);
  }
  addrinfo linux_hints = {};
  if (hints != nullptr) {
    const int family = winapi::LinuxFamily(hints->ai_family);
    if (family < 0) {
      winapi::SetError(wsabi::kWsaEafnosupport);
      return static_cast<int>(wsabi::kWsaEafnosupport);
    }
    linux_hints.ai_family = family;
    linux_hints.ai_socktype = hints->ai_socktype;
    linux_hints.ai_protocol = hints->ai_protocol;
    linux_hints.ai_flags = LinuxAiFlags(hints->ai_flags);
  }
  addrinfo* found = nullptr;
  int rc = getaddrinfo(node, service, hints ? &linux_hints : nullptr, &found);
  if (rc != 0) {
    const uint32_t error = WsaFromEai(rc);
    winapi::SetError(error);
    return static_cast<int>(error);
  }
  WinAddrInfo** tail = result;
  for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    const int windows_family = winapi::WindowsFamily(entry->ai_family);
    const int address_size = winapi::WindowsSize(windows_family);
    if (windows_family < 0 || address_size <= 0) continue;  // a family Winsock lacks
    const size_t name_size = entry->ai_canonname ? strlen(entry->ai_canonname) + 1 : 0;
    auto* node_block = static_cast<char*>(calloc(1, sizeof(WinAddrInfo) + 128 + name_size));
    if (node_block == nullptr) {
      freeaddrinfo(found);
      iocp_freeaddrinfo(*result);
      *result = nullptr;
      winapi::SetError(wsabi::kWsaNotEnoughMemory);
      return static_cast<int>(wsabi::kWsaNotEnoughMemory);
    }
    auto* out = reinterpret_cast<WinAddrInfo*>(node_block);
    out->ai_flags = hints ? hints->ai_flags : 0;
    out->ai_family = windows_family;
    out->ai_socktype = entry->ai_socktype;
    out->ai_protocol = entry->ai_protocol;
    out->ai_addr = node_block + sizeof(WinAddrInfo);
    int length = 128;
    winapi::ToWindows(entry->ai_addr, entry->ai_addrlen, out->ai_addr, &length);
    out->ai_addrlen = static_cast<size_t>(length);
    if (name_size > 0) {
      out->ai_canonname = node_block + sizeof(WinAddrInfo) + 128;
      memcpy(out->ai_canonname, entry->ai_canonname, name_size);
    }
    *tail = out;
    tail = &out->ai_next;
  }
  freeaddrinfo(found);
  if (*result == nullptr) {
    winapi::SetError(wsabi::kWsaHostNotFound);
    return static_cast<int>(wsabi::kWsaHostNotFound);
  }
  return 0;
}

int iocp_getnameinfo(const void* address, int length, char* host, uint32_t host_size,
                     char* service, uint32_t service_size, int flags) {
  if (!Started()) return static_cast<int>(wsabi::kWsaNotInitialised);
  sockaddr_storage linux_address;
  socklen_t linux_length;
  if (uint32_t error = static_cast<uint32_t>(
          winapi::ToLinux(address, length, &linux_address, &linux_length))) {
    winapi::SetError(error);
    return static_cast<int>(error);
  }
  // Windows' NI_* values are not glibc's: NOFQDN 1, NUMERICHOST 2,
  // NAMEREQD 4, NUMERICSERV 8, DGRAM 0x10.
  int linux_flags = 0;
  if (flags & 0x01) linux_flags |= NI_NOFQDN;
  if (flags & 0x02) linux_flags |= NI_NUMERICHOST;
  if (flags & 0x04) linux_flags |= NI_NAMEREQD;
  if (flags & 0x08) linux_flags |= NI_NUMERICSERV;
  if (flags & 0x10) linux_flags |= NI_DGRAM;
  int rc = getnameinfo(reinterpret_cast<sockaddr*>(&linux_address), linux_length, host,
                       host_size, service, service_size, linux_flags);
  if (rc != 0) {
    const uint32_t error = WsaFromEai(rc);
    winapi::SetError(error);
    return static_cast<int>(error);
  }
  return 0;
}

const char* gai_strerrorA(int code) {
  switch (static_cast<uint32_t>(code)) {
    case 0: return "The operation completed successfully.";
    case wsabi::kWsaHostNotFound: return "No such host is known.";
    case wsabi::kWsaTryAgain: return "A temporary failure in name resolution occurred.";
    case wsabi::kWsaNoRecovery: return "A non-recoverable failure in name resolution occurred.";
    case wsabi::kWsaNoData: return "The requested name is valid, but no data was found.";
    case wsabi::kWsaEafnosupport: return "The address family is not supported.";
    case wsabi::kWsaNotEnoughMemory: return "Not enough memory is available.";
    case wsabi::kWsaEinval: return "An invalid argument was supplied.";
    case wsabi::kWsaTypeNotFound: return "The service is not known for the socket type.";
    case wsabi::kWsaEsocktnosupport: return "The socket type is not supported.";
    case wsabi::kWsaNotInitialised: return "WSAStartup has not been called.";
    default: return "Unknown error in name resolution.";
  }
}

WinHostent* iocp_gethostbyname(const char* name) {
  if (!Started()) return nullptr;
  char local[256];
  if (name == nullptr || *name == '\0') {
    // Windows: the local host.
    if (gethostname(local, sizeof(local)) != 0) {
      winapi::SetError(wsabi::kWsaNoRecovery);
      return nullptr;
    }
    name = local;
  }
  hostent entry;
  hostent* found = nullptr;
  std::vector<char> buffer(8192);
  int error = 0;
  int rc;
  while ((rc = gethostbyname2_r(name, AF_INET, &entry, buffer.data(), buffer.size(), &found,
                                &error)) == ERANGE) {
    buffer.resize(buffer.size() * 2);
  }
  if (rc != 0 || found == nullptr) {
    winapi::SetError(WsaFromHerrno(error));
    return nullptr;
  }
  return StoreHost(found->h_name, found->h_aliases, found->h_addrtype, found->h_length,
                   found->h_addr_list);
}

WinHostent* iocp_gethostbyaddr(const char* address, int length, int type) {
  if (!Started()) return nullptr;
  const int family = winapi::LinuxFamily(type);
  if (address == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return nullptr;
  }
  if (family != AF_INET && family != AF_INET6) {
    winapi::SetError(wsabi::kWsaEafnosupport);
    return nullptr;
  }
  hostent entry;
  hostent* found = nullptr;
  std::vector<char> buffer(8192);
  int error = 0;
  int rc;
  while ((rc = gethostbyaddr_r(address, static_cast<socklen_t>(length), family, &entry,
                               buffer.data(), buffer.size(), &found, &error)) == ERANGE) {
    buffer.resize(buffer.size() * 2);
  }
  if (rc != 0 || found == nullptr) {
    winapi::SetError(WsaFromHerrno(error));
    return nullptr;
  }
  return StoreHost(found->h_name, found->h_aliases, found->h_addrtype, found->h_length,
                   found->h_addr_list);
}

int iocp_gethostname(char* name, int length) {
  if (!Started()) return wsabi::kSocketError;
  if (name == nullptr || length <= 0) {
    winapi::SetError(wsabi::kWsaEfault);
    return wsabi::kSocketError;
  }
  char local[256];
  if (gethostname(local, sizeof(local)) != 0) {
    winapi::SetError(wsabi::kWsaNoRecovery);
    return wsabi::kSocketError;
  }
  local[sizeof(local) - 1] = '\0';
  if (strlen(local) + 1 > static_cast<size_t>(length)) {
    winapi::SetError(wsabi::kWsaEfault);  // the buffer is too small
    return wsabi::kSocketError;
  }
  memcpy(name, local, strlen(local) + 1);
  return 0;
}

namespace {

WinServent* StoreServ(const servent* found) {
  thread_local ServStorage storage;
  storage.name = found->s_name ? found->s_name : "";
  storage.proto = found->s_proto ? found->s_proto : "";
  CopyAliases(found->s_aliases, &storage.aliases, &storage.alias_pointers);
  storage.entry.s_name = storage.name.data();
  storage.entry.s_aliases = storage.alias_pointers.data();
  storage.entry.s_proto = storage.proto.data();
  storage.entry.s_port = static_cast<int16_t>(found->s_port);  // network order, as both keep it
  return &storage.entry;
}

WinProtoent* StoreProto(const protoent* found) {
  thread_local ProtoStorage storage;
  storage.name = found->p_name ? found->p_name : "";
  CopyAliases(found->p_aliases, &storage.aliases, &storage.alias_pointers);
  storage.entry.p_name = storage.name.data();
  storage.entry.p_aliases = storage.alias_pointers.data();
  storage.entry.p_proto = static_cast<int16_t>(found->p_proto);
  return &storage.entry;
}

}  // namespace

WinServent* iocp_getservbyname(const char* name, const char* proto) {
  if (!Started()) return nullptr;
  if (name == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return nullptr;
  }
  servent entry;
  servent* found = nullptr;
  char buffer[4096];
  if (getservbyname_r(name, proto, &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    winapi::SetError(wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreServ(found);
}

WinServent* iocp_getservbyport(int port, const char* proto) {
  if (!Started()) return nullptr;
  servent entry;
  servent* found = nullptr;
  char buffer[4096];
  if (getservbyport_r(port, proto, &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    winapi::SetError(wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreServ(found);
}

WinProtoent* iocp_getprotobyname(const char* name) {
  if (!Started()) return nullptr;
  if (name == nullptr) {
    winapi::SetError(wsabi::kWsaEfault);
    return nullptr;
  }
  protoent entry;
  protoent* found = nullptr;
  char buffer[4096];
  if (getprotobyname_r(name, &entry, buffer, sizeof(buffer), &found) != 0 || found == nullptr) {
    winapi::SetError(wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreProto(found);
}

WinProtoent* iocp_getprotobynumber(int number) {
  if (!Started()) return nullptr;
  protoent entry;
  protoent* found = nullptr;
  char buffer[4096];
  if (getprotobynumber_r(number, &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    winapi::SetError(wsabi::kWsaNoData);
    return nullptr;
  }
  return StoreProto(found);
}

}  // extern "C"
