// The event loop's wait (epoll with a nanosecond timeout, the thread's timer slack, its clock) and heap trimming.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <malloc.h>
#include <time.h>
#include "CHaloLinux.h"

int halo_epoll_wait_ns(int epfd, struct epoll_event *events, int max_events, int64_t timeout_ns) {
    if (timeout_ns < 0) return epoll_pwait2(epfd, events, max_events, NULL, NULL);
    struct timespec timeout = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
    return epoll_pwait2(epfd, events, max_events, &timeout, NULL);
}

halo_clock_function halo_vdso_clock_gettime(void) {
    void *vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_NOLOAD);
    void *function = vdso ? dlsym(vdso, "__vdso_clock_gettime") : NULL;
    return function ? (halo_clock_function)function : clock_gettime;
}

int halo_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

void halo_release_free_memory(void) {
    malloc_trim(0);
}
