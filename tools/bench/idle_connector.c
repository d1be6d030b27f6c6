/*
 * idle_connector.c - the client side of idle_memory: opens `count` TCP
 * connections to 127.0.0.1:port with plain Linux sockets (in a child
 * process, so that none of its memory is the library's), sends nothing, and
 * holds them until `hold_fd` reads end of file.
 */
#include "tools/bench/idle_connector.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int IdleConnectorRun(unsigned short port, int count, int hold_fd) {
  struct rlimit limit;
  struct sockaddr_in address;
  char byte;
  int i;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    /* Blocking: returns once the server's kernel has the connection. */
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
      perror("idle_connector: connect");
      return 1;
    }
  }
  while (read(hold_fd, &byte, 1) > 0) {
  }
  return 0;
}
