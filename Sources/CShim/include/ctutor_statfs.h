#ifndef CTUTOR_STATFS_H
#define CTUTOR_STATFS_H

/*
 * The filesystem type (f_type, e.g. 0x63677270 for cgroup2) of the filesystem
 * holding `path`. Returns 0 and sets *magic, or -1 with errno set.
 * (Swift's Glibc module does not import <sys/statfs.h>.)
 */
int ctutor_fs_magic(const char *path, unsigned long *magic);

#endif
