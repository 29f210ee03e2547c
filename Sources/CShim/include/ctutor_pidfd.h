#ifndef CTUTOR_PIDFD_H
#define CTUTOR_PIDFD_H

#include <sys/types.h>

/* pidfd_open(2): a descriptor that names one process for as long as it is held,
   so a PID reused by another process cannot be signalled by mistake. -1 + errno. */
int ctutor_pidfd_open(pid_t pid);

/* pidfd_send_signal(2) on a descriptor from ctutor_pidfd_open. -1 + errno. */
int ctutor_pidfd_send_signal(int pidfd, int sig);

#endif
