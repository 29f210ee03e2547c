#define _GNU_SOURCE
#include "ctutor_launcher.h"
#include "ctutor_container.h"

#ifdef __linux__

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

_Static_assert(CTUTOR_NS_MNT == CLONE_NEWNS, "mnt");
_Static_assert(CTUTOR_NS_CGROUP == CLONE_NEWCGROUP, "cgroup");
_Static_assert(CTUTOR_NS_UTS == CLONE_NEWUTS, "uts");
_Static_assert(CTUTOR_NS_IPC == CLONE_NEWIPC, "ipc");
_Static_assert(CTUTOR_NS_USER == CLONE_NEWUSER, "user");
_Static_assert(CTUTOR_NS_PID == CLONE_NEWPID, "pid");
_Static_assert(CTUTOR_NS_NET == CLONE_NEWNET, "net");

#define ALL_NAMESPACES                                                                                        \
    (CTUTOR_NS_TIME | CTUTOR_NS_MNT | CTUTOR_NS_CGROUP | CTUTOR_NS_UTS | CTUTOR_NS_IPC | CTUTOR_NS_USER |    \
     CTUTOR_NS_PID | CTUTOR_NS_NET)
#define MAX_SPEC (256 * 1024)
#define MAX_LIST 256
#define MAX_READ (64 * 1024)

/* The spec, decoded. Pointers point into the spec buffer. */
struct spec {
    uint32_t namespaces;
    int32_t parent_pid;
    const char *hostname;
    uint32_t hostname_len;
    const char *domainname;
    uint32_t domainname_len;
    int make_private;
    int loopback_up;
    int has_time;
    int64_t monotonic, boottime;
    int has_queue;
    int32_t queue_key;
    const char *name;
    int mount_count;
    struct ctutor_rootfs_mount mounts[MAX_LIST];
    int file_count, link_count, dir_count, arg_count, env_count, join_count;
    const char *joins[16];
    const char *files[MAX_LIST];
    const char *dirs[MAX_LIST];
    const char *links[MAX_LIST];
    char *args[MAX_LIST + 1];
    char *env[MAX_LIST + 1];
    const char *cwd;
    /* A container. */
    int cgroup_count;
    const char *cgroups[16];
    struct ctutor_container container;
    struct ctutor_rootfs_mount rootfs_mounts[MAX_LIST];
    const char *symlinks[2 * MAX_LIST];
    const char *masked[MAX_LIST];
    const char *readonly[MAX_LIST];
    struct ctutor_process_limits limits;
    uint32_t gids[64];
    uint64_t rlimits[3 * 32];
    int terminal;
    /* An OCI runtime's container. */
    int detach;
    const char *exec_fifo;
};

static int sync_fd = CTUTOR_LAUNCHER_SYNC_FD;

static int write_all(int fd, const void *bytes, size_t count) {
    const char *p = bytes;
    while (count > 0) {
        ssize_t n = send(fd, p, count, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        count -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *bytes, size_t count) {
    char *p = bytes;
    while (count > 0) {
        ssize_t n = read(fd, p, count);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        count -= (size_t)n;
    }
    return 0;
}

static void send_record(uint32_t tag, const void *a, uint32_t a_len, const void *b, uint32_t b_len) {
    uint32_t header[2] = {tag, a_len + b_len};
    if (write_all(sync_fd, header, sizeof header) != 0) _exit(1);
    if (a_len && write_all(sync_fd, a, a_len) != 0) _exit(1);
    if (b_len && write_all(sync_fd, b, b_len) != 0) _exit(1);
}

/* Reports the failed call and errno to the parent, then exits. */
static void __attribute__((noreturn)) fail(const char *call, int err) {
    int32_t code = err;
    send_record(CTUTOR_SYNC_ERROR, &code, sizeof code, call, (uint32_t)strlen(call));
    _exit(1);
}

/* Waits for one record with `tag` and no payload; end of file means the parent gave up. */
static void await(uint32_t tag) {
    uint32_t header[2];
    if (read_all(sync_fd, header, sizeof header) != 0) _exit(0);
    if (header[0] != tag || header[1] != 0) fail("sync", EPROTO);
}

static void send_value(const char *key, const void *value, size_t len) {
    send_record(CTUTOR_SYNC_VALUE, key, (uint32_t)strlen(key) + 1, value, (uint32_t)len);
}

static void send_number(const char *key, long value) {
    char text[32];
    int len = snprintf(text, sizeof text, "%ld", value);
    send_value(key, text, (size_t)len);
}

/* u64 flags, then type\0source\0target\0data\0. */
static void decode_mount(const char *value, uint32_t len, int terminated, struct ctutor_rootfs_mount *m) {
    if (len < 9 || !terminated) fail("spec", EINVAL);
    memcpy(&m->flags, value, 8);
    const char *parts[4];
    const char *p = value + 8;
    for (int i = 0; i < 4; i++) {
        if (p >= value + len) fail("spec", EINVAL);
        parts[i] = p;
        p += strlen(p) + 1;
    }
    m->type = parts[0];
    m->source = parts[1];
    m->target = parts[2];
    m->data = parts[3][0] ? parts[3] : NULL;
}

/* Splits the spec buffer into records; refuses anything malformed. */
static void decode(char *buffer, size_t size, struct spec *spec) {
    size_t at = 0;
    while (at < size) {
        uint32_t tag, len;
        if (size - at < 8) fail("spec", EINVAL);
        memcpy(&tag, buffer + at, 4);
        memcpy(&len, buffer + at + 4, 4);
        at += 8;
        if (len > size - at) fail("spec", EINVAL);
        char *value = buffer + at;
        at += len;
        /* Every string value is NUL-terminated by the parent; check, don't trust. */
        int terminated = len > 0 && value[len - 1] == '\0';
        switch (tag) {
        case CTUTOR_SPEC_NAMESPACES:
            if (len != 4) fail("spec", EINVAL);
            memcpy(&spec->namespaces, value, 4);
            break;
        case CTUTOR_SPEC_PARENT_PID:
            if (len != 4) fail("spec", EINVAL);
            memcpy(&spec->parent_pid, value, 4);
            break;
        case CTUTOR_SPEC_HOSTNAME:
            spec->hostname = value;
            spec->hostname_len = len;
            break;
        case CTUTOR_SPEC_DOMAINNAME:
            spec->domainname = value;
            spec->domainname_len = len;
            break;
        case CTUTOR_SPEC_PRIVATE: spec->make_private = 1; break;
        case CTUTOR_SPEC_LOOPBACK_UP: spec->loopback_up = 1; break;
        case CTUTOR_SPEC_TIME:
            if (len != 16) fail("spec", EINVAL);
            memcpy(&spec->monotonic, value, 8);
            memcpy(&spec->boottime, value + 8, 8);
            spec->has_time = 1;
            break;
        case CTUTOR_SPEC_MOUNT:
            if (spec->mount_count == MAX_LIST) fail("spec", EINVAL);
            decode_mount(value, len, terminated, &spec->mounts[spec->mount_count++]);
            break;
        case CTUTOR_SPEC_ROOTFS_MOUNT:
            if (spec->container.mount_count == MAX_LIST) fail("spec", EINVAL);
            decode_mount(value, len, terminated, &spec->rootfs_mounts[spec->container.mount_count++]);
            break;
        case CTUTOR_SPEC_CGROUP_PROCS:
            if (!terminated || spec->cgroup_count == 16) fail("spec", EINVAL);
            spec->cgroups[spec->cgroup_count++] = value;
            break;
        case CTUTOR_SPEC_ROOTFS:
            if (!terminated || value[0] != '/') fail("spec", EINVAL);
            spec->container.rootfs = value;
            break;
        case CTUTOR_SPEC_SYMLINK: {
            size_t first = terminated ? strnlen(value, len) : len;
            if (!terminated || first + 1 >= len || spec->container.symlink_count == MAX_LIST) fail("spec", EINVAL);
            spec->symlinks[2 * spec->container.symlink_count] = value;
            spec->symlinks[2 * spec->container.symlink_count++ + 1] = value + first + 1;
            break;
        }
        case CTUTOR_SPEC_MASK:
            if (!terminated || spec->container.masked_count == MAX_LIST) fail("spec", EINVAL);
            spec->masked[spec->container.masked_count++] = value;
            break;
        case CTUTOR_SPEC_READONLY:
            if (!terminated || spec->container.readonly_count == MAX_LIST) fail("spec", EINVAL);
            spec->readonly[spec->container.readonly_count++] = value;
            break;
        case CTUTOR_SPEC_READONLY_ROOT: spec->container.readonly_root = 1; break;
        case CTUTOR_SPEC_CAPS:
            if (len != 8) fail("spec", EINVAL);
            memcpy(&spec->limits.caps, value, 8);
            spec->limits.has_caps = 1;
            break;
        case CTUTOR_SPEC_NO_NEW_PRIVS: spec->limits.no_new_privs = 1; break;
        case CTUTOR_SPEC_USER:
            if (len < 8 || len % 4 || (len - 8) / 4 > 64) fail("spec", EINVAL);
            memcpy(&spec->limits.uid, value, 4);
            memcpy(&spec->limits.gid, value + 4, 4);
            memcpy(spec->gids, value + 8, len - 8);
            spec->limits.gid_count = (int)((len - 8) / 4);
            spec->limits.has_user = 1;
            break;
        case CTUTOR_SPEC_RLIMIT: {
            if (len != 20 || spec->limits.rlimit_count == 32) fail("spec", EINVAL);
            uint32_t resource;
            memcpy(&resource, value, 4);
            uint64_t *slot = &spec->rlimits[3 * spec->limits.rlimit_count++];
            slot[0] = resource;
            memcpy(&slot[1], value + 4, 8);
            memcpy(&slot[2], value + 12, 8);
            break;
        }
        case CTUTOR_SPEC_TERMINAL: spec->terminal = 1; break;
        case CTUTOR_SPEC_DETACH: spec->detach = 1; break;
        case CTUTOR_SPEC_EXEC_FIFO:
            if (!terminated || value[0] != '/' || strlen(value) + 1 >= PATH_MAX) fail("spec", EINVAL);
            spec->exec_fifo = value;
            break;
        case CTUTOR_SPEC_NAME:
            if (!terminated) fail("spec", EINVAL);
            spec->name = value;
            break;
        case CTUTOR_SPEC_READ_FILE:
            if (!terminated || spec->file_count == MAX_LIST) fail("spec", EINVAL);
            spec->files[spec->file_count++] = value;
            break;
        case CTUTOR_SPEC_READ_LINK:
            if (!terminated || spec->link_count == MAX_LIST) fail("spec", EINVAL);
            spec->links[spec->link_count++] = value;
            break;
        case CTUTOR_SPEC_READ_DIR:
            if (!terminated || spec->dir_count == MAX_LIST) fail("spec", EINVAL);
            spec->dirs[spec->dir_count++] = value;
            break;
        case CTUTOR_SPEC_MSG_QUEUE:
            if (len != 4) fail("spec", EINVAL);
            memcpy(&spec->queue_key, value, 4);
            spec->has_queue = 1;
            break;
        case CTUTOR_SPEC_EXEC_ARG:
            if (!terminated || spec->arg_count == MAX_LIST) fail("spec", EINVAL);
            spec->args[spec->arg_count++] = value;
            break;
        case CTUTOR_SPEC_EXEC_ENV:
            if (!terminated || spec->env_count == MAX_LIST) fail("spec", EINVAL);
            spec->env[spec->env_count++] = value;
            break;
        case CTUTOR_SPEC_JOIN:
            if (!terminated || spec->join_count == 16) fail("spec", EINVAL);
            spec->joins[spec->join_count++] = value;
            break;
        case CTUTOR_SPEC_EXEC_CWD:
            if (!terminated) fail("spec", EINVAL);
            spec->cwd = value;
            break;
        default: fail("spec", EINVAL);
        }
    }
}

/*
 * Fail closed: a request that would change the host outside a new namespace is
 * refused before anything happens (a hostname without a UTS namespace would
 * rename the machine).
 */
static void refuse_host_changes(const struct spec *spec) {
    if (spec->namespaces & ~ALL_NAMESPACES) fail("spec: unknown namespace flag", EINVAL);
    if ((spec->hostname || spec->domainname) && !(spec->namespaces & CTUTOR_NS_UTS))
        fail("spec: hostname without a new UTS namespace", EPERM);
    if ((spec->make_private || spec->mount_count) && !(spec->namespaces & CTUTOR_NS_MNT))
        fail("spec: mount without a new mount namespace", EPERM);
    if (spec->mount_count && !spec->make_private) fail("spec: mount without private propagation", EPERM);
    if (spec->loopback_up && !(spec->namespaces & CTUTOR_NS_NET))
        fail("spec: loopback without a new network namespace", EPERM);
    if (spec->has_time && !(spec->namespaces & CTUTOR_NS_TIME))
        fail("spec: clock offsets without a new time namespace", EPERM);
    if (spec->has_queue && !(spec->namespaces & CTUTOR_NS_IPC))
        fail("spec: message queue without a new IPC namespace", EPERM);
    const struct ctutor_container *c = &spec->container;
    int container_parts = c->mount_count || c->symlink_count || c->masked_count || c->readonly_count || c->readonly_root;
    if (container_parts && !c->rootfs) fail("spec: container mounts without a new root", EPERM);
    if (c->rootfs && !(spec->make_private && (spec->namespaces & CTUTOR_NS_MNT)))
        fail("spec: a new root without a new, private mount namespace", EPERM);
    if (spec->exec_fifo && spec->arg_count == 0) fail("spec: an exec FIFO without a program", EINVAL);
}

/* The exec FIFO's directory, opened before pivot_root hides the host's tree; its
   name is looked up in it after. */
static int open_fifo_directory(const char *fifo) {
    char directory[PATH_MAX];
    const char *slash = strrchr(fifo, '/');
    size_t length = slash == fifo ? 1 : (size_t)(slash - fifo);
    memcpy(directory, fifo, length);
    directory[length] = '\0';
    int fd = open(directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open exec fifo directory", errno);
    return fd;
}

/* After the sync socket is closed a failure can only be told through the FIFO, if open. */
static void __attribute__((noreturn)) fail_through_fifo(int fifo, const char *call, int err) {
    if (fifo >= 0) {
        int32_t code = err;
        if (write(fifo, &code, sizeof code) == sizeof code && write(fifo, call, strlen(call)) < 0) _exit(127);
    }
    _exit(127);
}

/*
 * runc's exec.fifo: stage 2 is set up; the parent is told so by the end of the sync
 * socket, and stage 2 blocks opening the FIFO until `start` opens it for reading.
 * Returns the FIFO, open for writing, on the sync socket's descriptor number (so that
 * closing every descriptor above it before exec keeps it; it is close-on-exec).
 */
static int await_start(const struct spec *spec, int directory) {
    int findable = ctutor_exec_findable(spec->args, spec->env);
    if (findable != 0) {
        char call[PATH_MAX + 32];
        snprintf(call, sizeof call, strchr(spec->args[0], '/') ? "execve %s" : "execve %s (searched $PATH)", spec->args[0]);
        fail(call, findable);
    }
    send_record(CTUTOR_SYNC_READY, NULL, 0, NULL, 0);
    close(sync_fd);
    sync_fd = -1;
    int fifo = -1;
    do {
        fifo = openat(directory, strrchr(spec->exec_fifo, '/') + 1, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    } while (fifo < 0 && errno == EINTR);
    if (fifo < 0) fail_through_fifo(-1, "open exec fifo", errno);
    close(directory);
    if (write(fifo, "0", 1) != 1) fail_through_fifo(-1, "write exec fifo", errno);
    if (fifo == CTUTOR_LAUNCHER_SYNC_FD) return fifo; /* the number the sync socket left */
    if (dup3(fifo, CTUTOR_LAUNCHER_SYNC_FD, O_CLOEXEC) < 0) fail_through_fifo(fifo, "dup3 exec fifo", errno);
    close(fifo);
    return CTUTOR_LAUNCHER_SYNC_FD;
}

static void write_time_offsets(const struct spec *spec) {
    char text[96];
    int len = snprintf(text, sizeof text, "monotonic %lld 0\nboottime %lld 0\n", (long long)spec->monotonic,
                       (long long)spec->boottime);
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open /proc/self/timens_offsets", errno);
    if (write(fd, text, (size_t)len) != len) fail("write /proc/self/timens_offsets", errno);
    close(fd);
}

static void bring_loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket", errno);
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strcpy(request.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFFLAGS, &request) != 0) fail("ioctl SIOCGIFFLAGS lo", errno);
    request.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &request) != 0) fail("ioctl SIOCSIFFLAGS lo", errno);
    close(fd);
}

static void report_file(const char *path) {
    static char content[MAX_READ];
    char key[PATH_MAX + 8];
    snprintf(key, sizeof key, "file:%s", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(key, sizeof key, "error:%s", path);
        send_number(key, errno);
        return;
    }
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, content + total, sizeof content - total);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        total += (size_t)n;
        if (total == sizeof content) break;
    }
    close(fd);
    send_value(key, content, total);
}

static void report_link(const char *path) {
    char target[PATH_MAX];
    char key[PATH_MAX + 8];
    ssize_t n = readlink(path, target, sizeof target);
    if (n < 0) {
        snprintf(key, sizeof key, "error:%s", path);
        send_number(key, errno);
        return;
    }
    snprintf(key, sizeof key, "link:%s", path);
    send_value(key, target, (size_t)n);
}

/* The names in a directory, one a line, "." and ".." left out. */
static void report_dir(const char *path) {
    static char names[MAX_READ];
    char key[PATH_MAX + 8];
    DIR *dir = opendir(path);
    if (!dir) {
        snprintf(key, sizeof key, "error:%s", path);
        send_number(key, errno);
        return;
    }
    size_t total = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        size_t len = strlen(entry->d_name);
        if (total + len + 1 > sizeof names) {
            closedir(dir);
            snprintf(key, sizeof key, "error:%s", path);
            send_number(key, E2BIG);
            return;
        }
        memcpy(names + total, entry->d_name, len);
        names[total + len] = '\n';
        total += len + 1;
    }
    closedir(dir);
    snprintf(key, sizeof key, "dir:%s", path);
    send_value(key, names, total);
}

/* A clock as seconds.nanoseconds, read inside (a time namespace shifts two of them). */
static void report_clock(const char *key, clockid_t clock) {
    struct timespec now;
    if (clock_gettime(clock, &now) != 0) fail("clock_gettime", errno);
    char text[48];
    int len = snprintf(text, sizeof text, "%lld.%09ld", (long long)now.tv_sec, now.tv_nsec);
    send_value(key, text, (size_t)len);
}

static void join_cgroup(const char *procs) {
    char call[PATH_MAX + 16];
    snprintf(call, sizeof call, "write %s", procs);
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(call, errno);
    if (write(fd, "0", 1) != 1) fail(call, errno);
    close(fd);
}

static void reset_signals(void) {
    struct sigaction deflt;
    memset(&deflt, 0, sizeof deflt);
    deflt.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &deflt, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Stage 2: the process in the new namespaces. */
static void __attribute__((noreturn)) stage2(const struct spec *spec) {
    /* A detached container outlives the runtime's `create`, as runc's init does;
       before "go" it still ends with the parent (await reads end of file). */
    if (!spec->detach && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("prctl PR_SET_PDEATHSIG", errno);
    prctl(PR_SET_NAME, spec->name ? spec->name : "ctutor-demo", 0, 0, 0);
    await(CTUTOR_SYNC_GO);
    int fifo_directory = spec->exec_fifo ? open_fifo_directory(spec->exec_fifo) : -1;
    /* Until exec, nothing else (even in the same user namespace) may open
       /proc/<pid>/exe or ptrace this process, which still runs the launcher (runc does
       the same against CVE-2019-5736). execve of the container's program resets it. */
    if (spec->container.rootfs && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail("prctl PR_SET_DUMPABLE", errno);

    if (spec->hostname && sethostname(spec->hostname, spec->hostname_len) != 0) fail("sethostname", errno);
    if (spec->domainname && setdomainname(spec->domainname, spec->domainname_len) != 0) fail("setdomainname", errno);
    if (spec->make_private && mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        fail("mount / MS_REC|MS_PRIVATE", errno);
    for (int i = 0; i < spec->mount_count; i++) {
        const typeof(spec->mounts[0]) *m = &spec->mounts[i];
        if (mount(m->source, m->target, m->type, (unsigned long)m->flags, m->data) != 0) {
            char call[PATH_MAX + 64];
            snprintf(call, sizeof call, "mount %s on %s", m->type, m->target);
            fail(call, errno);
        }
    }
    if (spec->loopback_up) bring_loopback_up();
    int queue = -1;
    if (spec->has_queue && (queue = msgget(spec->queue_key, IPC_CREAT | IPC_EXCL | 0600)) < 0) fail("msgget", errno);
    if (spec->container.rootfs) {
        struct ctutor_container container = spec->container;
        container.mounts = spec->rootfs_mounts;
        container.symlinks = spec->symlinks;
        container.masked = spec->masked;
        container.readonly = spec->readonly;
        ctutor_container_enter(&container, fail);
    }
    if (spec->cwd && chdir(spec->cwd) != 0) fail("chdir", errno);
    struct ctutor_process_limits limits = spec->limits;
    limits.gids = spec->gids;
    limits.rlimits = spec->rlimits;
    ctutor_process_restrict(&limits, fail);

    struct utsname names;
    if (uname(&names) != 0) fail("uname", errno);
    send_number("pid", getpid());
    send_number("ppid", getppid());
    send_number("uid", (long)getuid());
    send_number("gid", (long)getgid());
    send_value("hostname", names.nodename, strlen(names.nodename));
    send_value("domainname", names.domainname, strlen(names.domainname));
    send_value("release", names.release, strlen(names.release));
    report_clock("realtime", CLOCK_REALTIME);
    report_clock("monotonic", CLOCK_MONOTONIC);
    report_clock("boottime", CLOCK_BOOTTIME);
    if (queue >= 0) send_number("msqid", queue);
    for (int i = 0; i < spec->link_count; i++) report_link(spec->links[i]);
    for (int i = 0; i < spec->file_count; i++) report_file(spec->files[i]);
    for (int i = 0; i < spec->dir_count; i++) report_dir(spec->dirs[i]);

    if (spec->arg_count == 0) {
        send_record(CTUTOR_SYNC_READY, NULL, 0, NULL, 0);
        /* Hold: stay alive, blocked, while the parent looks from outside; its closing
           the socket (or dying) is the cue to go. */
        char byte;
        while (read(sync_fd, &byte, 1) > 0 || errno == EINTR) {
        }
        _exit(0);
    }
    if (spec->terminal) {
        if (setsid() < 0) fail("setsid", errno);
        if (ioctl(0, TIOCSCTTY, 0) != 0) fail("ioctl TIOCSCTTY", errno);
    }
    int fifo = -1;
    if (spec->exec_fifo) {
        fifo = await_start(spec, fifo_directory);
    } else {
        send_record(CTUTOR_SYNC_READY, NULL, 0, NULL, 0);
    }
    /* The sync socket (or the exec FIFO) is close-on-exec: its end of file tells the
       parent exec worked. */
    syscall(SYS_close_range, (unsigned)CTUTOR_LAUNCHER_SYNC_FD + 1, (unsigned)INT_MAX, 0);
    ctutor_exec_searching(spec->args, spec->env);
    char call[PATH_MAX + 32];
    snprintf(call, sizeof call, strchr(spec->args[0], '/') ? "execve %s" : "execve %s (searched $PATH)", spec->args[0]);
    if (fifo >= 0) fail_through_fifo(fifo, call, errno);
    fail(call, errno);
}

/* Stage 1: the launched process. Never returns. */
static void __attribute__((noreturn)) launcher_main(void) {
    static char buffer[MAX_SPEC];
    static struct spec spec;

    reset_signals();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("prctl PR_SET_PDEATHSIG", errno);
    size_t size = 0;
    for (;;) {
        ssize_t n = read(CTUTOR_LAUNCHER_SPEC_FD, buffer + size, sizeof buffer - size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read spec", errno);
        if (n == 0) break;
        size += (size_t)n;
        if (size == sizeof buffer) fail("spec", E2BIG);
    }
    close(CTUTOR_LAUNCHER_SPEC_FD);
    decode(buffer, size, &spec);
    /* The tutor may have died before PR_SET_PDEATHSIG took effect. */
    if (spec.parent_pid == 0 || getppid() != spec.parent_pid) _exit(1);
    refuse_host_changes(&spec);
    if (fcntl(sync_fd, F_SETFD, FD_CLOEXEC) != 0) fail("fcntl FD_CLOEXEC", errno);

    /* Into the container's cgroups before anything is unshared: stage 2 inherits
       them, and a new cgroup namespace is rooted at them. */
    for (int i = 0; i < spec.cgroup_count; i++) join_cgroup(spec.cgroups[i]);

    /* Join existing namespaces first (the parent lists a user namespace first, so
       the others are joined with its capabilities), as nsenter does. */
    for (int i = 0; i < spec.join_count; i++) {
        int fd = open(spec.joins[i], O_RDONLY | O_CLOEXEC);
        char call[PATH_MAX + 16];
        snprintf(call, sizeof call, "setns %s", spec.joins[i]);
        if (fd < 0) fail(call, errno);
        if (setns(fd, 0) != 0) fail(call, errno);
        close(fd);
    }
    if (spec.namespaces & CTUTOR_NS_USER) {
        if (unshare(CLONE_NEWUSER) != 0) fail("unshare(CLONE_NEWUSER)", errno);
        send_record(CTUTOR_SYNC_USERNS, NULL, 0, NULL, 0);
        await(CTUTOR_SYNC_MAPPED);
        /* Become root of the new namespace, as `unshare --map-user=0` does: with a map
           of 0 to the caller this changes nothing; with 0 mapped elsewhere (root's
           demo of an unprivileged range) it takes that UID, or getuid() would read
           the overflow UID 65534. The maps always map 0 (checked by the parent). */
        if (setresgid(0, 0, 0) != 0) fail("setresgid(0, 0, 0)", errno);
        if (setresuid(0, 0, 0) != 0) fail("setresuid(0, 0, 0)", errno);
        /* A change of credentials clears the parent-death signal; set it again. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("prctl PR_SET_PDEATHSIG", errno);
        if (getppid() != spec.parent_pid) _exit(1);
    }
    uint32_t rest = spec.namespaces & ~(uint32_t)CTUTOR_NS_USER;
    if (rest && unshare((int)rest) != 0) {
        char call[64];
        snprintf(call, sizeof call, "unshare(0x%x)", rest);
        fail(call, errno);
    }
    if (spec.has_time) write_time_offsets(&spec);

    /* CLONE_PARENT: stage 2 becomes the tutor's own child, so the tutor reaps it. */
    long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) fail("clone(CLONE_PARENT)", errno);
    if (pid == 0) stage2(&spec);
    int32_t child = (int32_t)pid;
    send_record(CTUTOR_SYNC_PID, &child, sizeof child, NULL, 0);
    _exit(0);
}

/* Priority 101: before the Swift runtime's and Foundation's own initialisers in this binary. */
__attribute__((constructor(101))) static void ctutor_launcher_entry(void) {
    if (getenv(CTUTOR_LAUNCHER_ENV) != NULL) launcher_main();
}

#endif
