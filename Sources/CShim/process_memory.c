#define _GNU_SOURCE
#include "ctutor_process_memory.h"

#include <sys/uio.h>

ssize_t ctutor_process_memory_read(pid_t pid, unsigned long address, void *buffer, size_t length) {
    struct iovec local = {.iov_base = buffer, .iov_len = length};
    struct iovec remote = {.iov_base = (void *)address, .iov_len = length};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}
