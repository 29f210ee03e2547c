#define _GNU_SOURCE
#include "ctutor_cgroup_prime.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *prime(void *argument) {
    char *path = argument;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, "0", 1);
        close(fd);
    }
    free(path);
    return NULL;
}

int ctutor_cgroup_prime(const char *procs_path) {
    char *path = strdup(procs_path);
    if (path == NULL) return ENOMEM;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int result = pthread_create(&thread, &attributes, prime, path);
    pthread_attr_destroy(&attributes);
    if (result != 0) free(path);
    return result;
}

#endif
