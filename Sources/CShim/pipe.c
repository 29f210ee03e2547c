#define _GNU_SOURCE
#include "ctutor_pipe.h"

#include <fcntl.h>
#include <unistd.h>

int ctutor_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
