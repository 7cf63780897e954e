/*
 * The floor ProxyBenchmark sets the TCP proxy beside: the least a proxy can do on this machine.
 * One connection at a time from 127.0.0.1:<listen> to 127.0.0.1:<backend>, a blocking thread per
 * direction copying through a 256 KiB buffer with read(2) and write(2), no event loop, no limits,
 * no timeouts. Built by the benchmark with gcc when gcc is there. Usage: copy_proxy LISTEN BACKEND
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct direction {
    int from;
    int to;
};

static void *copy(void *arg) {
    static __thread char buffer[256 * 1024];
    struct direction *d = arg;
    for (;;) {
        ssize_t n = read(d->from, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(d->to, buffer + done, n - done);
            if (w <= 0) {
                goto end;
            }
            done += w;
        }
    }
end:
    shutdown(d->to, SHUT_WR);
    return NULL;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: copy_proxy LISTEN_PORT BACKEND_PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); // a peer that resets ends its connection, not the proxy
    struct sockaddr_in listen_at = loopback(atoi(argv[1]));
    struct sockaddr_in backend = loopback(atoi(argv[2]));
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(server, (struct sockaddr *) &listen_at, sizeof listen_at) || listen(server, 64)) {
        perror("copy_proxy: listen");
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        if (client < 0) {
            continue;
        }
        int upstream = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(upstream, (struct sockaddr *) &backend, sizeof backend)) {
            close(client);
            close(upstream);
            continue;
        }
        struct direction up = {client, upstream};
        struct direction down = {upstream, client};
        pthread_t a;
        pthread_t b;
        if (pthread_create(&a, NULL, copy, &up) != 0) {
            perror("copy_proxy: thread");
            return 1;
        }
        if (pthread_create(&b, NULL, copy, &down) != 0) {
            perror("copy_proxy: thread");
            return 1;
        }
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        close(client);
        close(upstream);
    }
}
