// The event loop thread's restartable-sequences area (rseq), which glibc registers for every thread.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CHaloLinux.h"

static struct rseq *thread_rseq_area(void) {
    return (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
}

int halo_unregister_rseq(void) {
    if (__rseq_size == 0) return 0;  // glibc registered none (no kernel support, or turned off)
    // The kernel wants the length glibc registered: the 32-byte area of glibc 2.35-2.39,
    // or the feature size it publishes in __rseq_size.
    unsigned int lengths[] = { __rseq_size, 32 };
    for (unsigned int i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        if (syscall(SYS_rseq, thread_rseq_area(), lengths[i], RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0) return 0;
        if (errno != EINVAL) return -1;
    }
    return -1;
}

int halo_rseq_cpu_id(void) {
    if (__rseq_size == 0) return -2;
    return (int)((volatile struct rseq *)thread_rseq_area())->cpu_id;
}
