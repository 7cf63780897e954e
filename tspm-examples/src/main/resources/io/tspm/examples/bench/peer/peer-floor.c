/*
 * The fork/exec floor of the peer benchmark: the least a supervisor can do. One posix_spawn per
 * child (POSIX_SPAWN_SETSID: each child leads its own session, as tspm's do; stdin, stdout and
 * stderr on /dev/null), exits seen through a signalfd for SIGCHLD, a killed child respawned at
 * once. Commands on stdin, one a line, each answered "ok" (or "err <why>") on stdout:
 *   start <n> <path> <args...>     n children that are respawned when they die
 *   lines <file> <path> <args...>  one child with stdout into <file>, not respawned
 *   stop                           SIGKILL every child and reap it
 * At EOF on stdin every child is killed and the program ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_ARGS 64

static pid_t *pids;        /* live children that are respawned */
static size_t npids, cap;
static char *argv_keep[MAX_ARGS + 1];
static sigset_t blocked;

static pid_t spawn(char *const argv[], const char *out) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none;
    pid_t pid;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

static void keep(pid_t pid) {
    if (npids == cap) {
        cap = cap ? cap * 2 : 128;
        pids = realloc(pids, cap * sizeof *pids);
    }
    pids[npids++] = pid;
}

/* Reaps every child that exited; one of ours is replaced at once. */
static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < npids; i++) {
            if (pids[i] == pid) {
                pid_t again = spawn(argv_keep, NULL);
                if (again > 0) {
                    pids[i] = again;
                } else {
                    pids[i] = pids[--npids];
                }
                break;
            }
        }
    }
}

static void kill_all(void) {
    size_t n = npids;
    npids = 0; /* nothing is respawned from here on */
    for (size_t i = 0; i < n; i++) {
        kill(pids[i], SIGKILL);
    }
    for (size_t i = 0; i < n; i++) {
        waitpid(pids[i], NULL, 0);
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

static int split(char *line, char *words[]) {
    int n = 0;
    for (char *w = strtok(line, " \n"); w && n < MAX_ARGS; w = strtok(NULL, " \n")) {
        words[n++] = w;
    }
    words[n] = NULL;
    return n;
}

static void command(char *line) {
    char *w[MAX_ARGS + 1];
    int n = split(line, w);
    if (n == 0) {
        return;
    }
    if (strcmp(w[0], "start") == 0 && n >= 3) {
        long count = atol(w[1]);
        for (int i = 0; i < MAX_ARGS + 1; i++) {
            free(argv_keep[i]);
            argv_keep[i] = i < n - 2 ? strdup(w[i + 2]) : NULL;
        }
        for (long i = 0; i < count; i++) {
            pid_t pid = spawn(argv_keep, NULL);
            if (pid < 0) {
                printf("err spawn: %s\n", strerror(errno));
                fflush(stdout);
                return;
            }
            keep(pid);
        }
    } else if (strcmp(w[0], "lines") == 0 && n >= 3) {
        if (spawn(&w[2], w[1]) < 0) {
            printf("err spawn: %s\n", strerror(errno));
            fflush(stdout);
            return;
        }
    } else if (strcmp(w[0], "stop") == 0) {
        kill_all();
    } else {
        printf("err unknown command: %s\n", w[0]);
        fflush(stdout);
        return;
    }
    printf("ok\n");
    fflush(stdout);
}

int main(void) {
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    int sfd = signalfd(-1, &blocked, SFD_CLOEXEC | SFD_NONBLOCK);
    fcntl(0, F_SETFD, FD_CLOEXEC);
    fcntl(1, F_SETFD, FD_CLOEXEC);
    char buf[8192];
    size_t have = 0;
    struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR) {
            break;
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si) {
            }
            reap();
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            ssize_t r = read(0, buf + have, sizeof buf - 1 - have);
            if (r <= 0) {
                break;
            }
            have += (size_t) r;
            char *nl;
            while ((nl = memchr(buf, '\n', have)) != NULL) {
                *nl = '\0';
                command(buf);
                size_t used = (size_t) (nl - buf) + 1;
                memmove(buf, buf + used, have - used);
                have -= used;
            }
        }
    }
    kill_all();
    return 0;
}
