#ifndef CTUTOR_NETNS_H
#define CTUTOR_NETNS_H

/*
 * setns(fd, CLONE_NEWNET): moves only the calling thread into the network
 * namespace `fd` refers to (an open /proc/<pid>/ns/net). Network namespaces are
 * per thread, so the rest of the process stays where it was. 0, or -1 + errno.
 * (Swift's Glibc module imports neither setns nor CLONE_NEWNET.)
 */
int ctutor_setns_network(int fd);

#endif
