// C declarations Swift cannot reach on its own: libmnl, rtnetlink constants,
// and control-message (CMSG) handling, whose macros do not import.
#ifndef CHALOLINUX_H
#define CHALOLINUX_H

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/inotify.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <stdint.h>
#include <time.h>

/// What recvmsg reported about one received datagram.
struct halo_received {
    ssize_t length;      ///< bytes copied, or -1 with errno set
    int hop_limit;       ///< IPv6 hop limit from IPV6_HOPLIMIT, -1 if absent
    int ifindex;         ///< arrival interface from IPV6_PKTINFO / IP_PKTINFO, 0 if absent
    uint8_t destination[16]; ///< destination address from PKTINFO (4 or 16 bytes used)
    uint8_t source[16];  ///< source address (4 or 16 bytes used)
    int truncated;       ///< MSG_TRUNC: datagram was longer than the buffer
};

/// recvmsg on an AF_INET or AF_INET6 datagram/raw socket, decoding PKTINFO and HOPLIMIT.
struct halo_received halo_recv(int fd, void *buffer, size_t capacity, int family);

/// sendto an AF_INET6 address with an explicit scope (interface index).
ssize_t halo_send_ipv6(int fd, const void *buffer, size_t length,
                       const uint8_t destination[16], unsigned int ifindex);

/// sendto an AF_INET address.
ssize_t halo_send_ipv4(int fd, const void *buffer, size_t length, const uint8_t destination[4]);

/// bind an AF_INET6 socket to an address with a scope id (link-local sources need one).
int halo_bind_ipv6(int fd, const uint8_t address[16], unsigned int ifindex);

/// sendto an AF_PACKET socket: a whole Ethernet frame out of one interface.
ssize_t halo_send_frame(int fd, const void *frame, size_t length, int ifindex);

/// Interface hardware address (6 bytes) via SIOCGIFHWADDR; 0 on success.
int halo_interface_mac(int fd, const char *name, uint8_t mac[6]);

/// Join / leave a multicast group on an interface (IPv4: ip_mreqn; IPv6: ipv6_mreq).
int halo_join_group(int fd, int family, const uint8_t *group, int ifindex, int join);

/// libmnl's NLMSG_ERROR payload errno for an ACK message, 0 when none.
int halo_nlmsg_error(const struct nlmsghdr *header);

/// setns(fd, CLONE_NEWNET) for the calling thread (setns needs _GNU_SOURCE, which Swift does not set).
int halo_enter_network_namespace(int fd);

/// pidfd_open(2): a file descriptor that becomes readable when the process exits.
int halo_pidfd_open(pid_t pid);

/// Blocks `signals` (a -1-terminated list) in the calling thread and returns a
/// non-blocking signalfd for them; threads created afterwards inherit the mask.
int halo_signalfd(const int *signals);

/// Reads one signal from a signalfd; returns its number, or -1 when none is pending.
int halo_read_signal(int fd);

/// prctl(PR_SET_PDEATHSIG): deliver `signal` to this process when its parent dies.
int halo_set_parent_death_signal(int signal);

/// How to start one command for the process runner: everything resolved by the
/// caller (paths, user ids, groups, the /bin/sh fallback argv), so the child only
/// makes system calls between vfork and exec.
struct halo_process_launch {
    const char *path;            ///< executable to run
    char *const *argv;           ///< its argv, NULL-terminated
    char *const *shell_argv;     ///< "/bin/sh" path args..., used when exec says ENOEXEC
    char *const *envp;           ///< the whole environment, NULL-terminated
    int stdin_fd;                ///< becomes fd 0 (/dev/null)
    int output_fd;               ///< becomes fd 1 and 2 (pipe write end)
    int switch_user;             ///< non-zero: set groups, gid and uid below
    uid_t uid;
    gid_t gid;
    const gid_t *groups;         ///< supplementary groups (from getgrouplist)
    int group_count;
};

/// vfork + exec in a new session (its own process group), default signal
/// dispositions, empty signal mask, cwd "/", descriptors above 2 closed.
/// Returns the pid, or -1 with errno set when the child could not exec.
pid_t halo_launch_process(const struct halo_process_launch *launch);

/// pipe2(O_CLOEXEC) with a non-blocking read end (pipe2 needs _GNU_SOURCE).
int halo_output_pipe(int fds[2]);

/// waitid(P_PID, WEXITED|WNOHANG): 1 and the status when the child has exited
/// (reaped unless `keep_zombie`), 0 when still running, -1 on error.
/// `code` is the exit code or signal number; `signaled` says which.
int halo_child_exit(pid_t pid, int keep_zombie, int *code, int *signaled);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (accept4 is a GNU extension Swift does not see).
int halo_accept_nonblocking(int fd);

/// SO_PEERCRED of a connected Unix socket: who is on the other end. 0 or -1.
int halo_peer_credentials(int fd, uid_t *uid, gid_t *gid, pid_t *pid);

/// Whether user `uid` (primary group `gid`) belongs to group `group`, supplementary groups included.
int halo_user_in_group(uid_t uid, gid_t gid, gid_t group);

/// epoll_pwait2 (GNU): waits at most `timeout_ns` nanoseconds (negative: forever), so the
/// event loop needs no timerfd to set and read around every advert.
int halo_epoll_wait_ns(int epfd, struct epoll_event *events, int max_events, int64_t timeout_ns);

typedef int (*halo_clock_function)(clockid_t, struct timespec *);
/// The vDSO's clock_gettime, to be looked up once (glibc's if there is no vDSO). glibc's
/// own clock_gettime first loads the vDSO's address from ld.so's data: a page nothing
/// else on the advert path reads, and a page walk each time a woken loop touches it.
halo_clock_function halo_vdso_clock_gettime(void);

/// Unregisters the calling thread's rseq area. glibc registers one for every thread so that
/// sched_getcpu can read the CPU number the kernel writes there; halod never asks, but with
/// an area registered every return from the loop's wait makes the kernel read and write it:
/// one more cold page for each advert. 0 when done (or none was registered), -1 on failure.
int halo_unregister_rseq(void);

/// The CPU number the kernel keeps in the calling thread's rseq area: -1 once unregistered,
/// -2 when glibc registered none.
int halo_rseq_cpu_id(void);

/// prctl(PR_SET_TIMERSLACK) for the calling thread (prctl is variadic: Swift cannot call it).
int halo_set_timer_slack(unsigned long nanoseconds);

/// malloc_trim(0): freed heap pages back to the kernel (malloc.h does not import cleanly).
void halo_release_free_memory(void);

#endif
