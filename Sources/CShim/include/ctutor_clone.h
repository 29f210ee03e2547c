#ifndef CTUTOR_CLONE_H
#define CTUTOR_CLONE_H

#include <sys/types.h>

/*
 * Namespace flags accepted by ctutor_ns_child_spawn. They equal the kernel's
 * CLONE_NEW* values (clone.c checks this at compile time); they are spelled out
 * here so that importing this header needs no _GNU_SOURCE.
 */
#define CTUTOR_CLONE_NEWUTS 0x04000000
#define CTUTOR_CLONE_NEWUSER 0x10000000
#define CTUTOR_CLONE_NEWPID 0x20000000

/* The child's process name (/proc/<pid>/comm), at most 15 bytes. */
#define CTUTOR_NS_CHILD_NAME "ctutor-demo"

/* The longest line the child writes to the report pipe, newline included. */
#define CTUTOR_NS_CHILD_REPORT_MAX 512

/*
 * A child cloned into new namespaces. Its life, driven by the parent:
 *   1. it waits for one byte sent on go_fd (the parent may write uid_map/gid_map first);
 *   2. it calls sethostname and writes one line to report_fd:
 *        "OK pid=<getpid> uid=<getuid> uts=<readlink /proc/self/ns/uts> hostname=<gethostname>\n"
 *      or, if a call fails, "ERR <call> <errno>\n" and exits;
 *   3. it blocks until the parent closes go_fd, then _exit(0)s.
 * It dies with SIGKILL if the thread that spawned it exits first (PR_SET_PDEATHSIG).
 */
struct ctutor_ns_child {
    pid_t pid;               /* the child's PID in the parent's PID namespace */
    int go_fd;               /* parent's end of the sync socket pair (SOCK_CLOEXEC) */
    int report_fd;           /* read end of the report pipe (O_CLOEXEC) */
    const char *failed_call; /* on failure: "socketpair", "pipe2", "malloc" or "clone" */
};

/*
 * Clones a child into the namespaces in namespace_flags (a mask of CTUTOR_CLONE_*)
 * that will set its hostname to `hostname`. Returns 0 and fills `child`, or -1 with
 * errno set and child->failed_call naming the call that failed.
 */
int ctutor_ns_child_spawn(int namespace_flags, const char *hostname, struct ctutor_ns_child *child);

#endif
