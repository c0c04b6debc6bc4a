#define _GNU_SOURCE
#include "CHaloLinux.h"
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <arpa/inet.h>
#include <sched.h>
#include <pthread.h>
#include <sys/prctl.h>

int halo_enter_network_namespace(int fd) { return setns(fd, CLONE_NEWNET); }

struct halo_received halo_recv(int fd, void *buffer, size_t capacity, int family) {
    struct halo_received result;
    memset(&result, 0, sizeof(result));
    result.hop_limit = -1;
    struct sockaddr_storage from;
    struct iovec iov = { .iov_base = buffer, .iov_len = capacity };
    union { char buf[256]; struct cmsghdr align; } control;
    struct msghdr msg = {
        .msg_name = &from, .msg_namelen = sizeof(from),
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof(control.buf),
    };
    result.length = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (result.length < 0) return result;
    result.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
    if (family == AF_INET6) {
        memcpy(result.source, &((struct sockaddr_in6 *)&from)->sin6_addr, 16);
    } else {
        memcpy(result.source, &((struct sockaddr_in *)&from)->sin_addr, 4);
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            memcpy(&result.hop_limit, CMSG_DATA(c), sizeof(int));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof(info));
            result.ifindex = (int)info.ipi6_ifindex;
            memcpy(result.destination, &info.ipi6_addr, 16);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo info;
            memcpy(&info, CMSG_DATA(c), sizeof(info));
            result.ifindex = info.ipi_ifindex;
            memcpy(result.destination, &info.ipi_addr, 4);
        }
    }
    return result;
}

ssize_t halo_send_ipv6(int fd, const void *buffer, size_t length,
                       const uint8_t destination[16], unsigned int ifindex) {
    struct sockaddr_in6 to;
    memset(&to, 0, sizeof(to));
    to.sin6_family = AF_INET6;
    memcpy(&to.sin6_addr, destination, 16);
    to.sin6_scope_id = ifindex;
    return sendto(fd, buffer, length, 0, (struct sockaddr *)&to, sizeof(to));
}

ssize_t halo_send_ipv4(int fd, const void *buffer, size_t length, const uint8_t destination[4]) {
    struct sockaddr_in to;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    memcpy(&to.sin_addr, destination, 4);
    return sendto(fd, buffer, length, 0, (struct sockaddr *)&to, sizeof(to));
}

int halo_bind_ipv6(int fd, const uint8_t address[16], unsigned int ifindex) {
    struct sockaddr_in6 local;
    memset(&local, 0, sizeof(local));
    local.sin6_family = AF_INET6;
    memcpy(&local.sin6_addr, address, 16);
    local.sin6_scope_id = ifindex;
    return bind(fd, (struct sockaddr *)&local, sizeof(local));
}

ssize_t halo_send_frame(int fd, const void *frame, size_t length, int ifindex) {
    struct sockaddr_ll to;
    memset(&to, 0, sizeof(to));
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex;
    to.sll_halen = ETH_ALEN;
    memcpy(to.sll_addr, frame, ETH_ALEN); // destination MAC is the frame's first 6 bytes
    return sendto(fd, frame, length, 0, (struct sockaddr *)&to, sizeof(to));
}

int halo_interface_mac(int fd, const char *name, uint8_t mac[6]) {
    struct ifreq request;
    memset(&request, 0, sizeof(request));
    strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFHWADDR, &request) < 0) return -1;
    memcpy(mac, request.ifr_hwaddr.sa_data, 6);
    return 0;
}

int halo_join_group(int fd, int family, const uint8_t *group, int ifindex, int join) {
    if (family == AF_INET6) {
        struct ipv6_mreq request;
        memset(&request, 0, sizeof(request));
        memcpy(&request.ipv6mr_multiaddr, group, 16);
        request.ipv6mr_interface = (unsigned int)ifindex;
        return setsockopt(fd, IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
                          &request, sizeof(request));
    }
    struct ip_mreqn request;
    memset(&request, 0, sizeof(request));
    memcpy(&request.imr_multiaddr, group, 4);
    request.imr_ifindex = ifindex;
    return setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                      &request, sizeof(request));
}

int halo_nlmsg_error(const struct nlmsghdr *header) {
    if (header->nlmsg_type != NLMSG_ERROR) return 0;
    const struct nlmsgerr *error = mnl_nlmsg_get_payload(header);
    return -error->error;
}

#include <sys/syscall.h>
#include <unistd.h>

int halo_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int halo_signalfd(const int *signals) {
    sigset_t set;
    sigemptyset(&set);
    for (const int *s = signals; *s >= 0; s++) sigaddset(&set, *s);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int halo_read_signal(int fd) {
    struct signalfd_siginfo info;
    if (read(fd, &info, sizeof(info)) != sizeof(info)) return -1;
    return (int)info.ssi_signo;
}



int halo_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0); }

#include <fcntl.h>
#include <sys/wait.h>

// Between vfork and exec the child shares the parent's memory: only raw system
// calls here (glibc's setuid/setgroups would broadcast to the parent's threads).
pid_t halo_launch_process(const struct halo_process_launch *launch) {
    sigset_t all, previous;
    sigfillset(&all);
    // No signal handler may run in the child while it borrows our memory.
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    volatile int child_errno = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        struct sigaction standard;
        memset(&standard, 0, sizeof(standard));
        standard.sa_handler = SIG_DFL;
        for (int signal = 1; signal < NSIG; signal++) {
            if (signal == SIGKILL || signal == SIGSTOP) continue;
            sigaction(signal, &standard, NULL);
        }
        if (syscall(SYS_setsid) < 0) goto failed;
        if (launch->switch_user) {
            if (syscall(SYS_setgroups, (size_t)launch->group_count, launch->groups) < 0) goto failed;
            if (syscall(SYS_setresgid, launch->gid, launch->gid, launch->gid) < 0) goto failed;
            if (syscall(SYS_setresuid, launch->uid, launch->uid, launch->uid) < 0) goto failed;
        }
        if (dup2(launch->stdin_fd, 0) < 0 || dup2(launch->output_fd, 1) < 0 || dup2(launch->output_fd, 2) < 0) goto failed;
        syscall(SYS_close_range, 3U, ~0U, 0U);
        if (chdir("/") < 0) goto failed;
        sigset_t none;
        sigemptyset(&none);
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
        execve(launch->path, launch->argv, launch->envp);
        // keepalived's rule: no shell, unless the file has no interpreter line of its own.
        if (errno == ENOEXEC) execve("/bin/sh", launch->shell_argv, launch->envp);
    failed:
        child_errno = errno;
        _exit(127);
    }
    int spawn_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) { errno = spawn_errno; return -1; }
    if (child_errno != 0) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = child_errno;
        return -1;
    }
    return pid;
}

int halo_child_exit(pid_t pid, int keep_zombie, int *code, int *signaled) {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int options = WEXITED | WNOHANG | (keep_zombie ? WNOWAIT : 0);
    if (waitid(P_PID, (id_t)pid, &info, options) < 0) return -1;
    if (info.si_pid == 0) return 0;
    *signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
    *code = info.si_status;
    return 1;
}

int halo_output_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) < 0) return -1;
    return fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
}
