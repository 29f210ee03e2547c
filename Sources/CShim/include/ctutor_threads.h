#ifndef CTUTOR_THREADS_H
#define CTUTOR_THREADS_H

/* The thread calls with no Swift import: glibc declares them only under _GNU_SOURCE. */

/* pthread_setname_np on the calling thread: its /proc/<pid>/task/<tid>/comm.
   `name` is at most 15 bytes. Returns 0 or an error number (not errno). */
int ctutor_thread_set_name(const char *name);

/* The calling thread's TID (gettid(2)): its /proc/<pid>/task/<tid> directory. */
int ctutor_thread_id(void);

#endif
