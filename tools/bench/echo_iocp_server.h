/* The IOCP echo server of echo_bench (echo_iocp_server.c), callable from
 * C++ code that cannot include winsock2.h. */
#ifndef IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_
#define IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the server on 127.0.0.1 with one worker thread; 0 on success. */
int EchoIocpServerStart(unsigned short *port);
/* Stops the worker and closes every socket. */
void EchoIocpServerStop(void);

#ifdef __cplusplus
}
#endif

#endif /* IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_ */
