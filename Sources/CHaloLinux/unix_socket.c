#define _GNU_SOURCE
#include "CHaloLinux.h"
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>

int halo_peer_credentials(int fd, uid_t *uid, gid_t *gid, pid_t *pid) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    *uid = credentials.uid;
    *gid = credentials.gid;
    *pid = credentials.pid;
    return 0;
}

int halo_user_in_group(uid_t uid, gid_t gid, gid_t group) {
    if (gid == group) return 1;
    struct passwd entry, *found = NULL;
    char buffer[4096];
    if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) != 0 || found == NULL) return 0;
    gid_t groups[256];
    int count = 256;
    if (getgrouplist(found->pw_name, gid, groups, &count) < 0) return 0;
    for (int i = 0; i < count; i++) if (groups[i] == group) return 1;
    return 0;
}

int halo_accept_nonblocking(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }
