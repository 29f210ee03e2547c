#ifndef CTUTOR_LAYER_FS_H
#define CTUTOR_LAYER_FS_H

#include <stddef.h>
#include <sys/types.h>

/* File operations for extracting image layers that Swift's Glibc module does not
   import: makedev is a macro and <sys/xattr.h> is not in the module map. */

/* mknodat(dirfd, name, mode, makedev(major, minor)): a device node, a fifo, or the
   character device 0:0 that overlayfs reads as a whiteout. 0, or -1 with errno. */
int ctutor_mknodat(int dirfd, const char *name, mode_t mode, unsigned int major, unsigned int minor);

/* fsetxattr(2) on an open file or directory. 0, or -1 with errno. */
int ctutor_fsetxattr(int fd, const char *name, const void *value, size_t size);

/* lgetxattr(2): the value's length, or -1 with errno. */
ssize_t ctutor_lgetxattr(const char *path, const char *name, void *value, size_t size);

/* major(st_rdev), minor(st_rdev). */
unsigned int ctutor_device_major(dev_t device);
unsigned int ctutor_device_minor(dev_t device);

#endif
