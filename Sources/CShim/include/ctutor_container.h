#ifndef CTUTOR_CONTAINER_H
#define CTUTOR_CONTAINER_H

/*
 * The container half of the launcher's stage 2 (launcher.c calls these), in the
 * order runc's init takes them:
 *   mounts inside the new root (targets resolved with RESOLVE_IN_ROOT, so "..",
 *   absolute symlinks and links planted by an image never lead outside it),
 *   symlinks in /dev, pivot_root with the old root detached, masked and read-only
 *   paths, a read-only root; then rlimits, the user, the capability sets,
 *   no_new_privs, the controlling terminal and an exec that searches $PATH.
 * Every failure goes to the launcher's fail(): the call's name and errno.
 */

#include <stdint.h>
#include <sys/types.h>

/* A mount whose target is a path inside the container's root. */
struct ctutor_rootfs_mount {
    uint64_t flags; /* MS_*; MS_RDONLY on a bind is applied by a remount */
    const char *type, *source, *target, *data;
};

struct ctutor_container {
    const char *rootfs; /* host path of the new root (already a mount point) */
    int mount_count;
    const struct ctutor_rootfs_mount *mounts;
    int symlink_count;
    const char *const *symlinks; /* pairs: target, path inside the root */
    int masked_count;
    const char *const *masked;
    int readonly_count;
    const char *const *readonly;
    int readonly_root;
};

struct ctutor_process_limits {
    int has_caps;
    uint64_t caps; /* kept in bounding, permitted and effective */
    int no_new_privs;
    int has_user;
    uint32_t uid, gid;
    int gid_count;
    const uint32_t *gids;
    int rlimit_count;
    const uint64_t *rlimits; /* triples: resource, soft, hard */
};

typedef void (*ctutor_fail_fn)(const char *call, int err) __attribute__((noreturn));

/* Mounts, symlinks, pivot_root, masks, read-only paths. */
void ctutor_container_enter(const struct ctutor_container *container, ctutor_fail_fn fail);

/* rlimits, groups, gid, uid, capabilities, no_new_privs. */
void ctutor_process_restrict(const struct ctutor_process_limits *limits, ctutor_fail_fn fail);

/* execve, looking `args[0]` up in the PATH of `env` when it has no slash. Returns
   only on failure, with errno set (ENOENT when no directory of PATH has it). */
void ctutor_exec_searching(char *const args[], char *const env[]);

/* 0 when ctutor_exec_searching would find an executable `args[0]`, else the errno it
   would fail with (ENOENT when no directory of PATH has it). */
int ctutor_exec_findable(char *const args[], char *const env[]);

#endif
