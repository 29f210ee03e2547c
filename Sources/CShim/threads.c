#define _GNU_SOURCE
#include "ctutor_threads.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

int ctutor_thread_set_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

int ctutor_thread_id(void) { return (int)syscall(SYS_gettid); }
