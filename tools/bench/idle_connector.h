/* idle_connector.h - see idle_connector.c. */
#ifndef IOCP_TOOLS_BENCH_IDLE_CONNECTOR_H_
#define IOCP_TOOLS_BENCH_IDLE_CONNECTOR_H_

/* Connects `count` times to 127.0.0.1:port, then holds the connections until
 * hold_fd reaches end of file. Returns 0, or 1 after printing an error. */
int IdleConnectorRun(unsigned short port, int count, int hold_fd);

#endif
