#ifndef CTUTOR_PROCESS_MEMORY_H
#define CTUTOR_PROCESS_MEMORY_H

#include <stddef.h>
#include <sys/types.h>

/*
 * process_vm_readv(2) of one range: copies `length` bytes at virtual address `address`
 * in process `pid` into `buffer`, without stopping it. Needs the same permission as
 * ptrace (PTRACE_MODE_ATTACH_REALCREDS). Returns the bytes read, or -1 with errno.
 */
ssize_t ctutor_process_memory_read(pid_t pid, unsigned long address, void *buffer, size_t length);

#endif
