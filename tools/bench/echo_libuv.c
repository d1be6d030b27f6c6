/*
 * echo_libuv: contender (f) of tools/bench/run. The echo server on libuv
 * (Debian's libuv1): one loop, uv_listen, and per connection uv_read_start
 * into the connection's own buffer with a uv_write of what came in. A
 * connection's buffer holds what is read but not yet written; while a write
 * is in flight, newly read bytes are appended behind it and written when it
 * completes (so nothing is allocated per message).
 *
 * echo_libuv --port=P [--cpu=N]   (--port=0: any free port; "port N" is printed)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define BUFFER_BYTES 65536

typedef struct connection {
    uv_tcp_t tcp;
    uv_write_t write;
    int writing;
    size_t begin;   /* first byte not yet written */
    size_t writing_end; /* end of the write in flight */
    size_t end;     /* end of the bytes read */
    char buffer[BUFFER_BYTES];
} connection;

static uv_loop_t *loop;

static void on_close(uv_handle_t *handle) { free(handle->data); }

static void on_write(uv_write_t *request, int status);

static void start_write(connection *c)
{
    uv_buf_t buf = uv_buf_init(c->buffer + c->begin, (unsigned)(c->end - c->begin));
    c->writing = 1;
    c->writing_end = c->end;
    if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &buf, 1, on_write) != 0) {
        c->writing = 0;
        uv_close((uv_handle_t *)&c->tcp, on_close);
    }
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    connection *c = handle->data;
    (void)suggested;
    *buf = uv_buf_init(c->buffer + c->end, (unsigned)(BUFFER_BYTES - c->end));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    connection *c = stream->data;
    (void)buf;
    if (nread < 0) {
        if (!uv_is_closing((uv_handle_t *)stream)) uv_close((uv_handle_t *)stream, on_close);
        return;
    }
    if (nread == 0) return;
    c->end += (size_t)nread;
    if (c->end == BUFFER_BYTES) uv_read_stop(stream); /* full: resumes after the write */
    if (!c->writing) start_write(c);
}

static void on_write(uv_write_t *request, int status)
{
    connection *c = request->handle->data;
    c->writing = 0;
    if (status != 0) {
        if (!uv_is_closing((uv_handle_t *)&c->tcp)) uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    c->begin = c->writing_end;
    if (c->begin < c->end) {
        start_write(c);
        return;
    }
    if (c->end == BUFFER_BYTES) uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    c->begin = c->end = 0;
}

static void on_connection(uv_stream_t *server, int status)
{
    connection *c;
    if (status < 0) return;
    c = calloc(1, sizeof(*c));
    if (c == NULL) return;
    uv_tcp_init(loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static long flag(int argc, char **argv, const char *name, long fallback)
{
    size_t length = strlen(name);
    int i;
    for (i = 1; i < argc; ++i) {
        if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
            return strtol(argv[i] + length + 1, NULL, 10);
        }
    }
    return fallback;
}

int main(int argc, char **argv)
{
    uv_tcp_t server;
    struct sockaddr_in address;
    long port = flag(argc, argv, "--port", -1), cpu = flag(argc, argv, "--cpu", -1);
    int error, length = sizeof(address);
    if (port < 0 || port > 65535) {
        fprintf(stderr, "usage: %s --port=P [--cpu=N]\n", argv[0]);
        return 2;
    }
    if (cpu >= 0) {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET((int)cpu, &cpus);
        if (sched_setaffinity(0, sizeof(cpus), &cpus) != 0) perror("sched_setaffinity");
    }
    loop = uv_default_loop();
    uv_tcp_init(loop, &server);
    uv_ip4_addr("127.0.0.1", (int)port, &address);
    if ((error = uv_tcp_bind(&server, (const struct sockaddr *)&address, 0)) != 0 ||
        (error = uv_listen((uv_stream_t *)&server, 4096, on_connection)) != 0) {
        fprintf(stderr, "echo_libuv: %s\n", uv_strerror(error));
        return 1;
    }
    uv_tcp_getsockname(&server, (struct sockaddr *)&address, &length);
    printf("port %u\n", (unsigned)ntohs(address.sin_port)); /* the start-up handshake */
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}
