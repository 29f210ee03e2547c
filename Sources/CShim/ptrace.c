#include "ctutor_ptrace.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

_Static_assert(CTUTOR_PTRACE_O_TRACESYSGOOD == PTRACE_O_TRACESYSGOOD, "PTRACE_O_TRACESYSGOOD");
_Static_assert(CTUTOR_PTRACE_O_TRACEEXEC == PTRACE_O_TRACEEXEC, "PTRACE_O_TRACEEXEC");
_Static_assert(CTUTOR_PTRACE_O_EXITKILL == PTRACE_O_EXITKILL, "PTRACE_O_EXITKILL");
_Static_assert(CTUTOR_PTRACE_EVENT_EXEC == PTRACE_EVENT_EXEC, "PTRACE_EVENT_EXEC");

int ctutor_ptrace_traceme(void) { return ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1 ? -1 : 0; }

int ctutor_ptrace_set_options(pid_t pid, int options) {
    return ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)options) == -1 ? -1 : 0;
}

int ctutor_ptrace_resume_to_syscall(pid_t pid, int signal) {
    return ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)signal) == -1 ? -1 : 0;
}

#if defined(__x86_64__)

const char *ctutor_ptrace_architecture(void) { return "x86_64"; }

int ctutor_ptrace_syscall_number(pid_t pid, long *number) {
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == -1) return -1;
    /* rax holds the return value by the exit stop; orig_rax keeps the number. */
    *number = (long)regs.orig_rax;
    return 0;
}

#elif defined(__aarch64__)

const char *ctutor_ptrace_architecture(void) { return "aarch64"; }

int ctutor_ptrace_syscall_number(pid_t pid, long *number) {
    /* aarch64 has no PTRACE_GETREGS; the general registers come as NT_PRSTATUS. */
    struct user_regs_struct regs;
    struct iovec vector = {.iov_base = &regs, .iov_len = sizeof regs};
    if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &vector) == -1) return -1;
    *number = (long)regs.regs[8];
    return 0;
}

#else

const char *ctutor_ptrace_architecture(void) { return NULL; }

int ctutor_ptrace_syscall_number(pid_t pid, long *number) {
    (void)pid;
    (void)number;
    errno = ENOSYS;
    return -1;
}

#endif
