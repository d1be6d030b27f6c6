/* The IOCP echo server of echo_bench (echo_iocp_server.c), callable from
 * C++ code that cannot include winsock2.h. */
#ifndef IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_
#define IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the server on 127.0.0.1 with one worker thread; 0 on success. */
int EchoIocpServerStart(unsigned short *port);
/* Starts it on 127.0.0.1:requested (0: any port) with `workers` worker
 * threads (1..256); the bound port goes to *port. 0 on success. */
int EchoIocpServerStartOn(unsigned short requested, int workers, unsigned short *port);
/* Stops the workers and closes every socket. */
void EchoIocpServerStop(void);

#ifdef __cplusplus
}
#endif

#endif /* IOCP_TOOLS_BENCH_ECHO_IOCP_SERVER_H_ */
