#ifndef CTUTOR_CGROUP_PRIME_H
#define CTUTOR_CGROUP_PRIME_H

/*
 * Starts, on a detached thread, a write of "0" to `procs_path`: the cgroup.procs file
 * of a cgroup this process is in already, so that nothing moves. The write still
 * takes the kernel's cgroup_threadgroup_rwsem for writing, whose first writer waits
 * for an RCU grace period (several ms); a migration that comes while that wait is
 * under way, or just after it, shares it instead of waiting for a grace period of
 * its own. 0, or an errno value when the thread cannot start. What the write
 * returns does not matter and is not reported.
 */
int ctutor_cgroup_prime(const char *procs_path);

#endif
