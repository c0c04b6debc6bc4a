// halo-supervisor: the small parent of halod's VRRP engine.
//
// keepalived has a parent process; so does Halo, with one more duty: when the
// engine dies without cleaning up (SIGKILL, a crash), remove its virtual
// addresses at once (keepalived leaves them, and both nodes then answer for
// the VIP) and start a new engine. It is written in C so that it costs about a
// couple of megabytes next to the engine instead of a second Swift runtime.
//
// usage: halo-supervisor [--timestamps] [--pid-file PATH] [--address IFNAME ADDR/LEN]... -- ENGINE [ARGS...]
// The engine is started as `ENGINE ARGS... --engine-of PID`. SIGTERM/SIGINT
// are forwarded and end the supervisor with the engine's exit status, as does
// an engine that exits 0 by itself; SIGHUP, SIGUSR1, SIGUSR2 and SIGRTMIN+2 are forwarded.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { MAX_ADDRESSES = 1024, MAX_RESTARTS = 5, RESTART_WINDOW_SECONDS = 60 };

struct address {
    char interface[IF_NAMESIZE];
    int family;
    unsigned char bytes[16];
    unsigned char prefix;
};

static int timestamps;
static const char *pid_file;

static int finish(int code) {
    if (pid_file) unlink(pid_file);
    return code;
}

/// One line on stderr in halod's format: `[TIME ]halod[PID]: supervisor: ...`.
static void say(const char *format, ...) {
    char line[1024];
    int length = 0;
    if (timestamps) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        struct tm parts;
        localtime_r(&now.tv_sec, &parts);
        length += (int)strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S", &parts);
        length += snprintf(line + length, sizeof(line) - length, ".%03ld ", now.tv_nsec / 1000000);
    }
    length += snprintf(line + length, sizeof(line) - length, "halod[%d]: supervisor: ", (int)getpid());
    va_list arguments;
    va_start(arguments, format);
    length += vsnprintf(line + length, sizeof(line) - length, format, arguments);
    va_end(arguments);
    if (length > (int)sizeof(line) - 2) length = (int)sizeof(line) - 2;
    line[length++] = '\n';
    // One write per line, so lines from the supervisor and the engine never interleave.
    ssize_t ignored = write(2, line, (size_t)length);
    (void)ignored;
}

static int parse_address(const char *interface, const char *text, struct address *out) {
    char copy[64];
    if (strlen(interface) >= IF_NAMESIZE || strlen(text) >= sizeof(copy)) return -1;
    strcpy(out->interface, interface);
    strcpy(copy, text);
    char *slash = strchr(copy, '/');
    if (slash) *slash = '\0';
    if (inet_pton(AF_INET, copy, out->bytes) == 1) {
        out->family = AF_INET;
        out->prefix = 32;
    } else if (inet_pton(AF_INET6, copy, out->bytes) == 1) {
        out->family = AF_INET6;
        out->prefix = 128;
    } else {
        return -1;
    }
    if (slash) {
        char *end;
        long prefix = strtol(slash + 1, &end, 10);
        if (*end != '\0' || prefix < 0 || prefix > out->prefix) return -1;
        out->prefix = (unsigned char)prefix;
    }
    return 0;
}

/// Appends one rtattr to a netlink message built in `buffer`.
static void put_attribute(struct nlmsghdr *header, unsigned short type, const void *data, size_t length) {
    struct rtattr *attribute = (struct rtattr *)((char *)header + NLMSG_ALIGN(header->nlmsg_len));
    attribute->rta_type = type;
    attribute->rta_len = (unsigned short)RTA_LENGTH(length);
    memcpy(RTA_DATA(attribute), data, length);
    header->nlmsg_len = NLMSG_ALIGN(header->nlmsg_len) + RTA_ALIGN(attribute->rta_len);
}

/// Deletes each address with RTM_DELADDR and reads its ACK; absent ones
/// (EADDRNOTAVAIL) and vanished interfaces are skipped. Returns how many were removed.
static int remove_addresses(const struct address *addresses, int count) {
    int netlink = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    if (netlink < 0) {
        say("cannot open netlink: %s", strerror(errno));
        return 0;
    }
    struct timeval patience = { .tv_sec = 1 };
    setsockopt(netlink, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof(patience));
    int removed = 0;
    for (int i = 0; i < count; i++) {
        unsigned int index = if_nametoindex(addresses[i].interface);
        if (index == 0) continue;
        union { char bytes[256]; struct nlmsghdr align; } request;
        memset(&request, 0, sizeof(request));
        struct nlmsghdr *header = &request.align;
        header->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
        header->nlmsg_type = RTM_DELADDR;
        header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        header->nlmsg_seq = (unsigned int)i + 1;
        struct ifaddrmsg *message = NLMSG_DATA(header);
        message->ifa_family = (unsigned char)addresses[i].family;
        message->ifa_prefixlen = addresses[i].prefix;
        message->ifa_index = index;
        size_t length = addresses[i].family == AF_INET ? 4 : 16;
        put_attribute(header, IFA_LOCAL, addresses[i].bytes, length);
        put_attribute(header, IFA_ADDRESS, addresses[i].bytes, length);
        if (sendto(netlink, header, header->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) continue;
        union { char bytes[4096]; struct nlmsghdr align; } reply;
        ssize_t received = recv(netlink, reply.bytes, sizeof(reply.bytes), 0);
        if (received < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) continue;
        // The ACK is an NLMSG_ERROR whose error is 0 on success (negative errno otherwise).
        struct nlmsghdr *answer = &reply.align;
        if (answer->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(answer))->error == 0) removed++;
    }
    close(netlink);
    return removed;
}

static long long monotonic_microseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

static pid_t spawn_engine(char **argv) {
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int error = posix_spawn(&pid, argv[0], NULL, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return pid;
}

int main(int argc, char **argv) {
    static struct address addresses[MAX_ADDRESSES];
    int address_count = 0, i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--timestamps") == 0) {
            timestamps = 1;
        } else if (strcmp(argv[i], "--pid-file") == 0 && i + 1 < argc) {
            pid_file = argv[++i];
        } else if (strcmp(argv[i], "--address") == 0 && i + 2 < argc && address_count < MAX_ADDRESSES) {
            if (parse_address(argv[i + 1], argv[i + 2], &addresses[address_count]) != 0) {
                fprintf(stderr, "halo-supervisor: bad address %s %s\n", argv[i + 1], argv[i + 2]);
                return 64;
            }
            address_count++;
            i += 2;
        } else {
            fprintf(stderr, "usage: halo-supervisor [--timestamps] [--pid-file PATH] [--address IFNAME ADDR/LEN]... -- ENGINE [ARGS...]\n");
            return 64;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "halo-supervisor: no engine command after --\n");
        return 64;
    }
    // The engine's argv: ENGINE ARGS... --engine-of PID
    int engine_argc = argc - (i + 1);
    char **engine_argv = calloc((size_t)engine_argc + 3, sizeof(char *));
    char own_pid[16];
    snprintf(own_pid, sizeof(own_pid), "%d", (int)getpid());
    for (int j = 0; j < engine_argc; j++) engine_argv[j] = argv[i + 1 + j];
    engine_argv[engine_argc] = "--engine-of";
    engine_argv[engine_argc + 1] = own_pid;

    sigset_t handled;
    sigemptyset(&handled);
    // SIGRTMIN+2: keepalived's JSON dump signal ("keepalived --signum=JSON").
    int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGRTMIN + 2 };
    for (size_t s = 0; s < sizeof(forwarded) / sizeof(forwarded[0]); s++) sigaddset(&handled, forwarded[s]);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    int signals = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signals < 0) {
        say("signalfd: %s", strerror(errno));
        return finish(3);
    }

    long long deaths[MAX_RESTARTS + 1];
    int death_count = 0;
    for (;;) {
        pid_t engine = spawn_engine(engine_argv);
        if (engine < 0) {
            say("cannot start the engine %s: %s", engine_argv[0], strerror(errno));
            return finish(3);
        }
        int exited = (int)syscall(SYS_pidfd_open, engine, 0);
        if (exited < 0) {
            say("pidfd_open: %s", strerror(errno));
            kill(engine, SIGTERM);
            return finish(3);
        }
        say("engine started (pid %d)", (int)engine);
        int stop_requested = 0;
        struct pollfd watched[2] = { { signals, POLLIN, 0 }, { exited, POLLIN, 0 } };
        for (;;) {
            if (poll(watched, 2, -1) < 0) continue;
            if (watched[0].revents) {
                struct signalfd_siginfo info;
                while (read(signals, &info, sizeof(info)) == sizeof(info)) {
                    if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) stop_requested = 1;
                    kill(engine, (int)info.ssi_signo);
                }
            }
            if (watched[1].revents) break;
        }
        close(exited);
        int status = 0;
        while (waitpid(engine, &status, 0) < 0 && errno == EINTR) {}
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (stop_requested) return finish(code);
        if (WIFEXITED(status) && code == 0) {
            say("engine stopped by itself; stopping");
            return finish(0);
        }

        long long started = monotonic_microseconds();
        int removed = remove_addresses(addresses, address_count);
        long long elapsed = monotonic_microseconds() - started;
        if (WIFSIGNALED(status)) {
            say("engine killed by signal %d; removed %d virtual address(es) in %lld µs", WTERMSIG(status), removed, elapsed);
        } else {
            say("engine exited with %d; removed %d virtual address(es) in %lld µs", code, removed, elapsed);
        }
        // Give up on a crash loop rather than flap the cluster forever.
        int kept = 0;
        for (int d = 0; d < death_count; d++) {
            if (started - deaths[d] <= (long long)RESTART_WINDOW_SECONDS * 1000000) deaths[kept++] = deaths[d];
        }
        death_count = kept;
        deaths[death_count++] = started;
        if (death_count > MAX_RESTARTS) {
            say("engine died %d times in %d s; giving up", death_count, RESTART_WINDOW_SECONDS);
            return finish(1);
        }
    }
}
