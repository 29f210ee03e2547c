#include "ctutor_statfs.h"

#include <errno.h>

#ifdef __linux__
#include <sys/vfs.h>

int ctutor_fs_magic(const char *path, unsigned long *magic) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    *magic = (unsigned long)info.f_type;
    return 0;
}
#else
/* Filesystem magic numbers are a Linux notion. */
int ctutor_fs_magic(const char *path, unsigned long *magic) {
    (void)path;
    (void)magic;
    errno = ENOSYS;
    return -1;
}
#endif
