#ifndef CTUTOR_ROLE_SPAWN_H
#define CTUTOR_ROLE_SPAWN_H

#include <spawn.h>
#include <sys/types.h>

/*
 * Starts `path` (this binary, in another role: the shim, or a runtime command the
 * shim runs) with `argv` and `envp`: stdin_fd, stdout_fd, stderr_fd as descriptors
 * 0-2 (-1: /dev/null), passed_fd as descriptor 3 if >= 0, every other descriptor
 * closed, an empty signal mask and every signal at its default. With new_session, in
 * a session of its own (setsid): no terminal or process group of the caller reaches it.
 * Returns 0 and sets *pid, or an errno value.
 */
int ctutor_role_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd,
                      int passed_fd, int new_session, pid_t *pid);

/*
 * fork() for a step the calling (single-threaded) process runs as a child of its own,
 * without exec: the runtime's create, start, kill or delete, run by the shim. In the
 * child every descriptor from 3 up is made close-on-exec and SIGPIPE is back at its
 * default. Returns as fork() does.
 */
pid_t ctutor_fork_step(void);

/* posix_spawn_file_actions_addclosefrom_np (a GNU extension Swift does not see):
 * every descriptor from `lowest` up closed in the child. 0, or an errno value. */
int ctutor_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
