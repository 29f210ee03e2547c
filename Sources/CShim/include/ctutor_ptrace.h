#ifndef CTUTOR_PTRACE_H
#define CTUTOR_PTRACE_H

#include <sys/types.h>

/*
 * Thin wrappers around ptrace(2), which glibc declares variadic (Swift cannot call it).
 * Each returns 0, or -1 with errno set. Every request about a tracee must come from the
 * thread that is its tracer: for PTRACE_TRACEME, the thread that started the child.
 */

/* PTRACE_O_* options; ptrace.c checks them against <sys/ptrace.h> at compile time. */
#define CTUTOR_PTRACE_O_TRACESYSGOOD 0x1
#define CTUTOR_PTRACE_O_TRACEEXEC 0x10
#define CTUTOR_PTRACE_O_EXITKILL 0x100000

/* The event in the high bits of a wait status after PTRACE_O_TRACEEXEC. */
#define CTUTOR_PTRACE_EVENT_EXEC 4

/* PTRACE_TRACEME: the caller asks to be traced by its parent. */
int ctutor_ptrace_traceme(void);

/* PTRACE_SETOPTIONS on a stopped tracee. */
int ctutor_ptrace_set_options(pid_t pid, int options);

/* PTRACE_SYSCALL: resume the stopped tracee until the next system-call entry or exit,
   delivering `signal` (0 for none). */
int ctutor_ptrace_resume_to_syscall(pid_t pid, int signal);

/* The architecture whose registers ctutor_ptrace_syscall_number reads: "x86_64" or
   "aarch64"; NULL when this build does not know where the number is kept. */
const char *ctutor_ptrace_architecture(void);

/* The number of the system call the tracee is stopped at (at a syscall-entry stop):
   orig_rax on x86_64 (PTRACE_GETREGS), x8 on aarch64 (PTRACE_GETREGSET, NT_PRSTATUS).
   On any other architecture: -1 with errno ENOSYS. */
int ctutor_ptrace_syscall_number(pid_t pid, long *number);

/* The PTRACE_EVENT_* of a ptrace-stop's wait status, 0 when it is not an event stop. */
static inline int ctutor_ptrace_event(int status) { return (status >> 16) & 0xff; }

#endif
