#ifndef CTUTOR_CPU_H
#define CTUTOR_CPU_H

/* How many CPUs this process may run on (sched_getaffinity(2) and CPU_COUNT, which
   Swift does not import); -1 with errno set when the call fails. */
int ctutor_cpu_affinity_count(void);

#endif
