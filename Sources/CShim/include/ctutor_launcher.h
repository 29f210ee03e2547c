#ifndef CTUTOR_LAUNCHER_H
#define CTUTOR_LAUNCHER_H

/*
 * The namespace launcher, in the shape of runc's nsexec: the tutor starts a fresh
 * copy of its own binary (posix_spawn of /proc/self/exe) with _CTUTOR_LAUNCHER in
 * the environment; a constructor in launcher.c sees it and runs the launcher in C,
 * single-threaded, before the Swift runtime starts, and never returns to main.
 *
 * Descriptors in the launched process:
 *   3  the spec, a sequence of records (read to end of file, then closed);
 *   4  the sync socket, shared with the parent, carrying records both ways.
 *
 * A record is a 4-byte tag, a 4-byte length (both native-endian) and the bytes.
 *
 * The launched process (stage 1) optionally unshares a user namespace and asks the
 * parent to write its uid/gid maps; unshares the other namespaces (PID and time ones
 * apply to its children); writes time offsets; then clones stage 2 with CLONE_PARENT
 * (so stage 2 is the tutor's own child), reports stage 2's PID and exits. Stage 2
 * waits for "go", sets hostname, propagation, mounts and loopback as asked, makes a
 * message queue if asked, reports what it sees from inside (values, its clocks,
 * files, links and directory listings the spec names) and then either holds
 * (blocks until the parent closes the socket) or execs a program.
 */

#define CTUTOR_LAUNCHER_ENV "_CTUTOR_LAUNCHER"
#define CTUTOR_LAUNCHER_SPEC_FD 3
#define CTUTOR_LAUNCHER_SYNC_FD 4

/* Clone flags the spec may ask for (equal to the kernel's CLONE_NEW*). */
#define CTUTOR_NS_TIME 0x00000080
#define CTUTOR_NS_MNT 0x00020000
#define CTUTOR_NS_CGROUP 0x02000000
#define CTUTOR_NS_UTS 0x04000000
#define CTUTOR_NS_IPC 0x08000000
#define CTUTOR_NS_USER 0x10000000
#define CTUTOR_NS_PID 0x20000000
#define CTUTOR_NS_NET 0x40000000

/* Spec records, parent to launcher. */
enum ctutor_spec_tag {
    CTUTOR_SPEC_NAMESPACES = 1, /* u32: a mask of CTUTOR_NS_* */
    CTUTOR_SPEC_PARENT_PID = 2, /* i32: the tutor's PID, checked against getppid() */
    CTUTOR_SPEC_HOSTNAME = 3,   /* bytes; needs CTUTOR_NS_UTS */
    CTUTOR_SPEC_DOMAINNAME = 4, /* bytes; needs CTUTOR_NS_UTS */
    CTUTOR_SPEC_PRIVATE = 5,    /* empty: make every mount private; needs CTUTOR_NS_MNT */
    CTUTOR_SPEC_MOUNT = 6,      /* u64 flags, then type\0source\0target\0data\0; needs CTUTOR_NS_MNT */
    CTUTOR_SPEC_TIME = 7,       /* i64 monotonic seconds, i64 boottime seconds; needs CTUTOR_NS_TIME */
    CTUTOR_SPEC_LOOPBACK_UP = 8, /* empty: bring lo up; needs CTUTOR_NS_NET */
    CTUTOR_SPEC_NAME = 9,       /* bytes: stage 2's name in /proc/<pid>/comm */
    CTUTOR_SPEC_READ_FILE = 10, /* a path stage 2 reads from inside and reports */
    CTUTOR_SPEC_READ_LINK = 11, /* a symlink stage 2 reads from inside and reports */
    CTUTOR_SPEC_EXEC_ARG = 12,  /* one argument of the program to exec (argv[0] is its path) */
    CTUTOR_SPEC_EXEC_ENV = 13,  /* one NAME=value of its environment */
    CTUTOR_SPEC_EXEC_CWD = 14,  /* its working directory */
    CTUTOR_SPEC_JOIN = 15,      /* a namespace file (/proc/<pid>/ns/net) to setns into first; user first */
    CTUTOR_SPEC_READ_DIR = 16,  /* a directory stage 2 lists from inside and reports, one name a line */
    CTUTOR_SPEC_MSG_QUEUE = 17, /* i32 key: stage 2 makes a System V message queue; needs CTUTOR_NS_IPC */
    /* A container (ctutor_container.h); all but CGROUP_PROCS need ROOTFS, and ROOTFS needs CTUTOR_NS_MNT. */
    CTUTOR_SPEC_CGROUP_PROCS = 18,  /* a cgroup.procs file stage 1 joins (writes "0" to) before unsharing */
    CTUTOR_SPEC_ROOTFS = 19,        /* the new root: a mount point on the host, after MOUNT records */
    CTUTOR_SPEC_ROOTFS_MOUNT = 20,  /* as MOUNT, target a path inside the new root */
    CTUTOR_SPEC_SYMLINK = 21,       /* target\0path\0, path inside the new root */
    CTUTOR_SPEC_MASK = 22,          /* a path hidden after pivot_root */
    CTUTOR_SPEC_READONLY = 23,      /* a path made read-only after pivot_root */
    CTUTOR_SPEC_READONLY_ROOT = 24, /* empty: the new root itself read-only */
    CTUTOR_SPEC_CAPS = 25,          /* u64: the capabilities kept (bounding, permitted, effective) */
    CTUTOR_SPEC_NO_NEW_PRIVS = 26,  /* empty */
    CTUTOR_SPEC_USER = 27,          /* u32 uid, u32 gid, then u32 supplementary gids */
    CTUTOR_SPEC_RLIMIT = 28,        /* u32 resource, u64 soft, u64 hard */
    CTUTOR_SPEC_TERMINAL = 29,      /* empty: setsid and make descriptor 0 the controlling terminal */
    /* An OCI runtime's container (ctutor runtime create), which outlives the process that made it. */
    CTUTOR_SPEC_DETACH = 30,    /* empty: no parent-death signal in stage 2 */
    CTUTOR_SPEC_EXEC_FIFO = 31, /* an absolute FIFO path; needs a program: see below */
};

/*
 * With CTUTOR_SPEC_EXEC_FIFO (runc's exec.fifo), stage 2 sets everything up, checks
 * that the program can be found, reports ready and closes the sync socket (the parent
 * sees end of file: created), then blocks opening the FIFO for writing until the
 * runtime's `start` opens it for reading. It writes "0", and execs; the FIFO is
 * close-on-exec, so the reader's end of file means the exec happened. If execve fails,
 * an i32 errno and the call's name follow the "0" before the end of file. The FIFO's
 * directory is opened before pivot_root, so the FIFO stays reachable after it.
 */

/* Sync records, both ways. */
enum ctutor_sync_tag {
    CTUTOR_SYNC_USERNS = 101, /* launcher: my user namespace exists, write my maps */
    CTUTOR_SYNC_MAPPED = 102, /* parent: the maps are written */
    CTUTOR_SYNC_PID = 103,    /* launcher: i32 host PID of stage 2 */
    CTUTOR_SYNC_GO = 104,     /* parent: stage 2 may set itself up */
    CTUTOR_SYNC_VALUE = 105,  /* stage 2: key\0value — what it sees from inside */
    CTUTOR_SYNC_READY = 106,  /* stage 2: set up and reported; now holds or execs */
    CTUTOR_SYNC_ERROR = 107,  /* either: i32 errno, then the failed call's name */
};

#include <sys/types.h>

/*
 * Starts the launcher: posix_spawn of `launcher` (the small ctutor-launcher beside
 * the tutor, or /proc/self/exe) with only _CTUTOR_LAUNCHER in
 * its environment, spec_fd as descriptor 3, sync_fd as 4, the given standard
 * descriptors (-1 for /dev/null) and every other descriptor closed. Returns 0 and
 * sets *pid, or an errno value.
 */
int ctutor_launcher_spawn(const char *launcher, int spec_fd, int sync_fd, int stdin_fd, int stdout_fd, int stderr_fd,
                          pid_t *pid);

#endif
