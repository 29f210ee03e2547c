#define _GNU_SOURCE
#include "ctutor_netns.h"

#include <sched.h>

int ctutor_setns_network(int fd) { return setns(fd, CLONE_NEWNET); }
