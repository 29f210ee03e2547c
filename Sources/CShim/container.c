#define _GNU_SOURCE
#include "ctutor_container.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RESOLVE_INSIDE (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

static int open_inside(int root, const char *path, int flags) {
    struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_INSIDE};
    return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

static void __attribute__((noreturn)) fail_on(ctutor_fail_fn fail, const char *call, const char *path, int err) {
    char text[PATH_MAX + 64];
    snprintf(text, sizeof text, "%s %s", call, path);
    fail(text, err);
}

/*
 * Opens `path` inside the root as O_PATH, making missing directories on the way
 * and, when `file` is set, the last component as an empty file (a bind mount of a
 * file needs a file to cover). Every lookup is confined to the root.
 */
static int make_inside(int root, const char *path, int file, ctutor_fail_fn fail) {
    char prefix[PATH_MAX];
    size_t length = strlen(path);
    if (length == 0 || length >= sizeof prefix) fail_on(fail, "mount target", path, ENAMETOOLONG);
    int parent = open_inside(root, "/", O_PATH | O_DIRECTORY);
    if (parent < 0) fail_on(fail, "openat2", "/", errno);
    size_t at = 0;
    while (at < length) {
        while (path[at] == '/') at++;
        if (at >= length) break;
        size_t end = at;
        while (end < length && path[end] != '/') end++;
        char name[NAME_MAX + 1];
        if (end - at > NAME_MAX) fail_on(fail, "mount target", path, ENAMETOOLONG);
        memcpy(name, path + at, end - at);
        name[end - at] = '\0';
        memcpy(prefix, path, end);
        prefix[end] = '\0';
        int last = end >= length || strspn(path + end, "/") == length - end;
        int next = open_inside(root, prefix, O_PATH);
        if (next < 0 && errno == ENOENT) {
            if (last && file) {
                int made = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (made < 0 && errno != EEXIST) fail_on(fail, "create", prefix, errno);
                if (made >= 0) close(made);
            } else if (mkdirat(parent, name, 0755) != 0 && errno != EEXIST) {
                fail_on(fail, "mkdir", prefix, errno);
            }
            next = open_inside(root, prefix, O_PATH);
        }
        if (next < 0) fail_on(fail, "openat2", prefix, errno);
        close(parent);
        parent = next;
        at = end;
    }
    return parent;
}

/* The flags the kernel locks on a mount (a user namespace may not clear them on remount). */
static unsigned long locked_flags(const char *path) {
    struct statvfs info;
    if (statvfs(path, &info) != 0) return 0;
    unsigned long flags = 0;
    if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

static void remount_readonly(const char *target, unsigned long extra, const char *shown, ctutor_fail_fn fail) {
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY | extra | locked_flags(target);
    if (mount(NULL, target, NULL, flags, NULL) != 0) fail_on(fail, "remount read-only", shown, errno);
}

static void mount_inside(int root, const struct ctutor_rootfs_mount *m, ctutor_fail_fn fail) {
    int bind = (m->flags & MS_BIND) != 0;
    int file = 0;
    if (bind) {
        struct stat source;
        if (stat(m->source, &source) != 0) fail_on(fail, "stat", m->source, errno);
        file = !S_ISDIR(source.st_mode);
    }
    int target = make_inside(root, m->target, file, fail);
    char through[64];
    snprintf(through, sizeof through, "/proc/self/fd/%d", target);
    unsigned long flags = (unsigned long)m->flags;
    if (bind) flags &= ~(unsigned long)MS_RDONLY;
    if (mount(m->source, through, m->type[0] ? m->type : NULL, flags, m->data) != 0) {
        char call[PATH_MAX + 32];
        snprintf(call, sizeof call, "mount %s on", m->type[0] ? m->type : m->source);
        fail_on(fail, call, m->target, errno);
    }
    close(target);
    if (bind && (m->flags & MS_RDONLY)) {
        /* The fd still names the covered directory; look the target up again. */
        int mounted = open_inside(root, m->target, O_PATH);
        if (mounted < 0) fail_on(fail, "openat2", m->target, errno);
        snprintf(through, sizeof through, "/proc/self/fd/%d", mounted);
        unsigned long keep = (unsigned long)m->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
        remount_readonly(through, keep, m->target, fail);
        close(mounted);
    }
}

static void symlink_inside(int root, const char *target, const char *path, ctutor_fail_fn fail) {
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1]) fail_on(fail, "symlink", path, EINVAL);
    char directory[PATH_MAX];
    size_t length = (size_t)(slash - path);
    if (length >= sizeof directory) fail_on(fail, "symlink", path, ENAMETOOLONG);
    memcpy(directory, path, length);
    directory[length] = '\0';
    int parent = make_inside(root, length ? directory : "/", 0, fail);
    if (symlinkat(target, parent, slash + 1) != 0 && errno != EEXIST) fail_on(fail, "symlink", path, errno);
    close(parent);
}

/* A masked path reads as empty: /dev/null over a file, an empty read-only tmpfs over a directory. */
static void mask(const char *path, ctutor_fail_fn fail) {
    struct stat info;
    if (lstat(path, &info) != 0) {
        if (errno == ENOENT) return;
        fail_on(fail, "stat", path, errno);
    }
    int result = S_ISDIR(info.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                                       : mount("/dev/null", path, NULL, MS_BIND, NULL);
    if (result != 0) fail_on(fail, "mask", path, errno);
}

static void make_readonly(const char *path, ctutor_fail_fn fail) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) {
        if (errno == ENOENT) return;
        fail_on(fail, "bind", path, errno);
    }
    remount_readonly(path, MS_NOSUID | MS_NODEV | MS_NOEXEC, path, fail);
}

void ctutor_container_enter(const struct ctutor_container *c, ctutor_fail_fn fail) {
    int root = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) fail_on(fail, "open", c->rootfs, errno);
    for (int i = 0; i < c->mount_count; i++) mount_inside(root, &c->mounts[i], fail);
    for (int i = 0; i < c->symlink_count; i++) symlink_inside(root, c->symlinks[2 * i], c->symlinks[2 * i + 1], fail);

    /* pivot_root(".", "."): the old root ends up stacked under the new one, and is
       detached at once; nothing of the host's tree stays reachable (runc's way). */
    if (fchdir(root) != 0) fail_on(fail, "chdir", c->rootfs, errno);
    close(root);
    if (syscall(SYS_pivot_root, ".", ".") != 0) fail_on(fail, "pivot_root", c->rootfs, errno);
    if (umount2(".", MNT_DETACH) != 0) fail("umount2 old root", errno);
    if (chdir("/") != 0) fail("chdir /", errno);

    for (int i = 0; i < c->masked_count; i++) mask(c->masked[i], fail);
    for (int i = 0; i < c->readonly_count; i++) make_readonly(c->readonly[i], fail);
    if (c->readonly_root) remount_readonly("/", 0, "/", fail);
}

static int last_capability(void) {
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    char text[16] = {0};
    if (fd >= 0) {
        ssize_t n = read(fd, text, sizeof text - 1);
        (void)n;
        close(fd);
    }
    int last = atoi(text);
    return last > 0 && last < 64 ? last : 40;
}

void ctutor_process_restrict(const struct ctutor_process_limits *l, ctutor_fail_fn fail) {
    for (int i = 0; i < l->rlimit_count; i++) {
        struct rlimit limit = {.rlim_cur = l->rlimits[3 * i + 1], .rlim_max = l->rlimits[3 * i + 2]};
        if (setrlimit((int)l->rlimits[3 * i], &limit) != 0) fail("setrlimit", errno);
    }
    if (l->has_caps) {
        int last = last_capability();
        for (int cap = 0; cap <= last; cap++) {
            if (l->caps & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) fail("prctl PR_CAPBSET_DROP", errno);
        }
    }
    if (l->has_user) {
        /* In a user namespace setgroups is denied (the parent wrote "deny"); with no
           extra groups asked for, that is fine. */
        if (setgroups((size_t)l->gid_count, (const gid_t *)l->gids) != 0 && (l->gid_count > 0 || errno != EPERM))
            fail("setgroups", errno);
        if (setresgid(l->gid, l->gid, l->gid) != 0) fail("setresgid", errno);
        /* Leaving UID 0 clears the permitted and effective sets, as for any user. */
        if (setresuid(l->uid, l->uid, l->uid) != 0) fail("setresuid", errno);
    }
    if (l->has_caps && (!l->has_user || l->uid == 0)) {
        struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[2];
        memset(data, 0, sizeof data);
        data[0].effective = data[0].permitted = (uint32_t)l->caps;
        data[1].effective = data[1].permitted = (uint32_t)(l->caps >> 32);
        if (syscall(SYS_capset, &header, data) != 0) fail("capset", errno);
    }
    if (l->has_caps && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        fail("prctl PR_CAP_AMBIENT_CLEAR_ALL", errno);
    if (l->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl PR_SET_NO_NEW_PRIVS", errno);
}

static const char *search_path(char *const env[]) {
    for (int i = 0; env[i]; i++)
        if (strncmp(env[i], "PATH=", 5) == 0) return env[i] + 5;
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* Tries `attempt` on each PATH candidate for `file` until it returns 0; the errno to
   report when none does. */
static int each_candidate(const char *file, char *const env[], int (*attempt)(const char *full, void *context),
                          void *context) {
    const char *path = search_path(env);
    int saved = ENOENT;
    while (*path) {
        const char *end = strchrnul(path, ':');
        char full[PATH_MAX];
        int length = snprintf(full, sizeof full, "%.*s/%s", (int)(end - path), path, file);
        if (end > path && length > 0 && (size_t)length < sizeof full) {
            if (attempt(full, context) == 0) return 0;
            if (errno != ENOENT && errno != ENOTDIR) saved = errno;
        }
        path = *end ? end + 1 : end;
    }
    return saved;
}

struct exec_call {
    char *const *args, *const *env;
};

static int try_exec(const char *full, void *context) {
    const struct exec_call *call = context;
    execve(full, call->args, call->env);
    return -1;
}

static int try_access(const char *full, void *context) {
    (void)context;
    struct stat info;
    if (access(full, X_OK) != 0) return -1;
    if (stat(full, &info) != 0) return -1;
    if (!S_ISREG(info.st_mode)) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

void ctutor_exec_searching(char *const args[], char *const env[]) {
    const char *file = args[0];
    if (strchr(file, '/')) {
        execve(file, args, env);
        return;
    }
    struct exec_call call = {args, env};
    errno = each_candidate(file, env, try_exec, &call);
}

int ctutor_exec_findable(char *const args[], char *const env[]) {
    const char *file = args[0];
    if (strchr(file, '/')) return try_access(file, NULL) == 0 ? 0 : errno;
    return each_candidate(file, env, try_access, NULL);
}

#endif
