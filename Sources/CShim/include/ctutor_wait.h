#ifndef CTUTOR_WAIT_H
#define CTUTOR_WAIT_H

#include <sys/wait.h>

/* The W* status macros are function-like macros, which Swift does not import. */
static inline int ctutor_wifexited(int status) { return WIFEXITED(status); }
static inline int ctutor_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int ctutor_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int ctutor_wtermsig(int status) { return WTERMSIG(status); }
static inline int ctutor_wifstopped(int status) { return WIFSTOPPED(status); }
static inline int ctutor_wstopsig(int status) { return WSTOPSIG(status); }

/* The exit code a shell shows for a `waitpid` status: the status, or 128 + the signal. */
static inline int ctutor_exit_code(int status) { return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status); }

#endif
