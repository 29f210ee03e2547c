#define _GNU_SOURCE
#include "ctutor_cgroup_grace.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the comma-separated `list` (length `length`) has `word`. */
static int has_word(const char *list, size_t length, const char *word) {
    size_t wanted = strlen(word);
    const char *end = list + length;
    while (list < end) {
        const char *comma = memchr(list, ',', (size_t)(end - list));
        size_t part = comma ? (size_t)(comma - list) : (size_t)(end - list);
        if (part == wanted && memcmp(list, word, wanted) == 0) return 1;
        if (!comma) break;
        list = comma + 1;
    }
    return 0;
}

/* The cgroup path of the hierarchy whose controllers include `controller`, or of the
   v2 hierarchy (`controller` NULL), from /proc/self/cgroup; length in *length. */
static const char *cgroup_path(const char *cgroups, const char *controller, size_t *length) {
    for (const char *line = cgroups, *end; *line; line = *end ? end + 1 : end) {
        end = strchrnul(line, '\n');
        const char *first = memchr(line, ':', (size_t)(end - line));
        const char *second = first ? memchr(first + 1, ':', (size_t)(end - first - 1)) : NULL;
        if (!second) continue;
        int matches = controller ? has_word(first + 1, (size_t)(second - first - 1), controller)
                                 : (first - line == 1 && line[0] == '0' && second == first + 1);
        if (matches) {
            *length = (size_t)(end - second - 1);
            return second + 1;
        }
    }
    return NULL;
}

/* The mount point (octal escapes undone) of the first mount of `fstype` whose super
   options include `option` (any when NULL), into `out`; 0, or -1. */
static int mount_point(const char *mountinfo, const char *fstype, const char *option, char *out, size_t size) {
    for (const char *line = mountinfo, *end; *line; line = *end ? end + 1 : end) {
        end = strchrnul(line, '\n');
        /* Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions */
        const char *fields[5];
        const char *at = line;
        int count = 0;
        while (count < 5 && at < end) {
            fields[count++] = at;
            const char *space = memchr(at, ' ', (size_t)(end - at));
            if (!space) break;
            at = space + 1;
        }
        if (count < 5) continue;
        const char *dash = memmem(fields[4], (size_t)(end - fields[4]), " - ", 3);
        if (!dash) continue;
        const char *type = dash + 3;
        const char *type_end = memchr(type, ' ', (size_t)(end - type));
        if (!type_end || (size_t)(type_end - type) != strlen(fstype) || memcmp(type, fstype, strlen(fstype)) != 0) continue;
        const char *source_end = memchr(type_end + 1, ' ', (size_t)(end - type_end - 1));
        if (!source_end) continue;
        if (option && !has_word(source_end + 1, (size_t)(end - source_end - 1), option)) continue;
        const char *point = fields[4];
        const char *point_end = memchr(point, ' ', (size_t)(end - point));
        size_t used = 0;
        for (const char *c = point; c < point_end; c++) {
            char byte = *c;
            if (byte == '\\' && point_end - c >= 4) {
                byte = (char)((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0'));
                c += 3;
            }
            if (used + 1 >= size) return -1;
            out[used++] = byte;
        }
        out[used] = 0;
        return 0;
    }
    return -1;
}

int ctutor_cgroup_own_procs(const char *cgroups, const char *mountinfo, char *out, size_t size) {
    size_t length = 0;
    const char *path = cgroup_path(cgroups, "pids", &length);
    int found = path && mount_point(mountinfo, "cgroup", "pids", out, size) == 0;
    if (!found) {
        path = cgroup_path(cgroups, NULL, &length);
        found = path && mount_point(mountinfo, "cgroup2", NULL, out, size) == 0;
    }
    if (!found) return -1;
    size_t used = strlen(out);
    if (length == 1 && path[0] == '/') length = 0;
    int written = snprintf(out + used, size - used, "%.*s/cgroup.procs", (int)length, path);
    return written > 0 && (size_t)written < size - used ? 0 : -1;
}

/* The whole of a /proc file, NUL-ended, or NULL. */
static char *read_all(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t size = 0, capacity = 8192;
    char *text = malloc(capacity);
    while (text) {
        if (capacity - size < 4096) {
            char *bigger = realloc(text, capacity * 2);
            if (!bigger) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger;
            capacity *= 2;
        }
        ssize_t got = read(fd, text + size, capacity - size - 1);
        if (got <= 0) break;
        size += (size_t)got;
    }
    close(fd);
    if (text) text[size] = 0;
    return text;
}

static void *rewrite_own_cgroup(void *unused) {
    (void)unused;
    char *cgroups = read_all("/proc/self/cgroup");
    char *mountinfo = read_all("/proc/self/mountinfo");
    char procs[4096];
    if (cgroups && mountinfo && ctutor_cgroup_own_procs(cgroups, mountinfo, procs, sizeof procs) == 0) {
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            /* What the write returns does not matter: the wait has begun or passed. */
            ssize_t ignored = write(fd, "0", 1);
            (void)ignored;
            close(fd);
        }
    }
    free(cgroups);
    free(mountinfo);
    return NULL;
}

int ctutor_cgroup_grace_start(void) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    pthread_t thread;
    int result = pthread_create(&thread, &attributes, rewrite_own_cgroup, NULL);
    pthread_attr_destroy(&attributes);
    return result;
}
