#ifndef CTUTOR_SUBREAPER_H
#define CTUTOR_SUBREAPER_H

/*
 * prctl(PR_SET_CHILD_SUBREAPER), as containerd-shim does: an orphaned descendant (a
 * container's init once `ctutor runtime create` has exited) becomes this process's
 * child instead of PID 1's, so this process reaps it and learns its exit status.
 * 0, or -1 with errno.
 */
int ctutor_set_child_subreaper(void);

/* 1 when this process is a child subreaper, 0 when not, -1 with errno. */
int ctutor_is_child_subreaper(void);

#endif
