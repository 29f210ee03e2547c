#ifndef CTUTOR_CGROUP_GRACE_H
#define CTUTOR_CGROUP_GRACE_H

#include <stddef.h>

/* The cgroup.procs file of the cgroup the process is in, from the text of its
   /proc/self/cgroup and /proc/self/mountinfo: in the v1 hierarchy with the pids
   controller (hybrid too), else in the v2 hierarchy. Writes it into `out` (NUL-ended)
   and returns 0; -1 when neither is found or it does not fit. */
int ctutor_cgroup_own_procs(const char *cgroups, const char *mountinfo, char *out, size_t size);

/* Starts a thread that writes "0" to that file (nothing moves: the process is in that
   cgroup already) and returns at once; the thread ends after the write. The write
   takes cgroup_threadgroup_rwsem for writing, whose first writer waits for an RCU
   grace period; a real migration that comes soon after does not wait again.

   The thread is C only and touches nothing of the Swift runtime. A process forked
   from a Swift one (the shim's runtime steps) must not run Swift code on two threads:
   the runtime's locks keep each thread's TID in a thread-local, which the fork leaves
   with the parent's TID, and the first contended unlock then fails in the kernel and
   spins for ever (it did, in a runtime create). Returns 0, or an error number when
   no thread could be started. */
int ctutor_cgroup_grace_start(void);

#endif
