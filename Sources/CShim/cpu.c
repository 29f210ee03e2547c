#define _GNU_SOURCE
#include "ctutor_cpu.h"

#include <sched.h>

int ctutor_cpu_affinity_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == -1) return -1;
    return CPU_COUNT(&set);
}
