// Shared by the Linux echo servers of tools/bench/run (not the IOCP one):
// flag parsing, CPU pinning and the listening socket.
#ifndef IOCP_TOOLS_BENCH_ECHO_SERVER_UTIL_H_
#define IOCP_TOOLS_BENCH_ECHO_SERVER_UTIL_H_

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

namespace echo_bench {

// Every server echoes with a per-connection buffer of this size.
constexpr size_t kBufferBytes = 65536;

[[noreturn]] inline void Die(const char* what, int error) {
  fprintf(stderr, "echo server: %s: %s\n", what, strerror(error));
  exit(1);
}

inline long Flag(int argc, char** argv, const char* name, long fallback) {
  const size_t length = strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
      return strtol(argv[i] + length + 1, nullptr, 10);
    }
  }
  return fallback;
}

// --port=P (required; 0: any free port, printed by Listen), --cpu=N
// (optional: pin the server's threads).
inline unsigned short PortFlagAndPin(int argc, char** argv) {
  const long port = Flag(argc, argv, "--port", -1);
  if (port < 0 || port > 65535) {
    fprintf(stderr, "usage: %s --port=P [--cpu=N]\n", argv[0]);
    exit(2);
  }
  const long cpu = Flag(argc, argv, "--cpu", -1);
  if (cpu >= 0) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(int(cpu), &cpus);
    if (sched_setaffinity(0, sizeof(cpus), &cpus) != 0) Die("sched_setaffinity", errno);
  }
  return static_cast<unsigned short>(port);
}

// Every server prints "port N" on stdout once it listens (the handshake
// tools/bench/contenders_test.sh waits for).
inline void AnnouncePort(unsigned short port) {
  printf("port %u\n", unsigned(port));
  fflush(stdout);
}

// A listening TCP socket on 127.0.0.1:port (SO_REUSEADDR, backlog 4096),
// announced.
inline int Listen(unsigned short port, bool nonblocking) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) Die("socket", errno);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) Die("bind", errno);
  if (listen(fd, 4096) != 0) Die("listen", errno);
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Die("getsockname", errno);
  }
  AnnouncePort(ntohs(address.sin_port));
  return fd;
}

inline void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

}  // namespace echo_bench

#endif  // IOCP_TOOLS_BENCH_ECHO_SERVER_UTIL_H_
