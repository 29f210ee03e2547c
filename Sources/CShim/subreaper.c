#define _GNU_SOURCE
#include "ctutor_subreaper.h"

#ifdef __linux__

#include <sys/prctl.h>

int ctutor_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int ctutor_is_child_subreaper(void) {
    int value = 0;
    if (prctl(PR_GET_CHILD_SUBREAPER, &value, 0, 0, 0) != 0) return -1;
    return value != 0;
}

#endif
