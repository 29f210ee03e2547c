#ifndef CTUTOR_SYSCALL_NAMES_H
#define CTUTOR_SYSCALL_NAMES_H

/*
 * The name of a common system call by its number on the architecture this was built
 * for (the numbers come from the C library's SYS_* constants, so they are right for
 * x86_64 and aarch64 alike); NULL for a number not in the table.
 */
const char *ctutor_syscall_name(long number);

/* The number of `name` in the same table; -1 when it is not there (or this
   architecture has no such call, like `open` on aarch64). */
long ctutor_syscall_number(const char *name);

#endif
