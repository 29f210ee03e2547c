#ifndef CTUTOR_PIPE_H
#define CTUTOR_PIPE_H

/* pipe2(fds, O_CLOEXEC), which glibc declares only under _GNU_SOURCE: both ends are
   closed on exec from the start, so no program spawned meanwhile by another thread
   inherits them. 0, or -1 with errno. */
int ctutor_pipe_cloexec(int fds[2]);

#endif
