#include "ctutor_layer_fs.h"

#include <errno.h>
#include <sys/stat.h>

#ifdef __linux__
#include <sys/sysmacros.h>
#include <sys/xattr.h>

int ctutor_mknodat(int dirfd, const char *name, mode_t mode, unsigned int major, unsigned int minor) {
    return mknodat(dirfd, name, mode, makedev(major, minor));
}

int ctutor_fsetxattr(int fd, const char *name, const void *value, size_t size) {
    return fsetxattr(fd, name, value, size, 0);
}

ssize_t ctutor_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}

unsigned int ctutor_device_major(dev_t device) { return major(device); }
unsigned int ctutor_device_minor(dev_t device) { return minor(device); }
#else
/* Image layers are extracted on Linux only. */
int ctutor_mknodat(int dirfd, const char *name, mode_t mode, unsigned int major, unsigned int minor) {
    (void)dirfd, (void)name, (void)mode, (void)major, (void)minor;
    errno = ENOSYS;
    return -1;
}

int ctutor_fsetxattr(int fd, const char *name, const void *value, size_t size) {
    (void)fd, (void)name, (void)value, (void)size;
    errno = ENOSYS;
    return -1;
}

ssize_t ctutor_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    (void)path, (void)name, (void)value, (void)size;
    errno = ENOSYS;
    return -1;
}

unsigned int ctutor_device_major(dev_t device) { return (unsigned int)(device >> 8); }
unsigned int ctutor_device_minor(dev_t device) { return (unsigned int)(device & 0xff); }
#endif
