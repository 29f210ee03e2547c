#define _GNU_SOURCE
#include "ctutor_launcher.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

int ctutor_launcher_spawn(const char *launcher, int spec_fd, int sync_fd, int stdin_fd, int stdout_fd, int stderr_fd,
                          pid_t *pid) {
    /* The descriptors to place are moved above 4 first, so that no dup2 below
       overwrites one that a later dup2 still needs. */
    int spec = fcntl(spec_fd, F_DUPFD_CLOEXEC, 10);
    int sync = fcntl(sync_fd, F_DUPFD_CLOEXEC, 10);
    if (spec < 0 || sync < 0) {
        int err = errno;
        if (spec >= 0) close(spec);
        if (sync >= 0) close(sync);
        return err;
    }
    int stdio[3] = {stdin_fd, stdout_fd, stderr_fd};
    int moved[3] = {-1, -1, -1};
    for (int i = 0; i < 3; i++)
        if (stdio[i] >= 0) moved[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 10);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int i = 0; i < 3; i++) {
        if (moved[i] >= 0)
            posix_spawn_file_actions_adddup2(&actions, moved[i], i);
        else
            posix_spawn_file_actions_addopen(&actions, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, spec, CTUTOR_LAUNCHER_SPEC_FD);
    posix_spawn_file_actions_adddup2(&actions, sync, CTUTOR_LAUNCHER_SYNC_FD);
    /* Nothing of the tutor's leaks into the namespaces (CVE-2024-21626 was a leaked fd). */
    posix_spawn_file_actions_addclosefrom_np(&actions, CTUTOR_LAUNCHER_SYNC_FD + 1);

    char *argv[] = {"ctutor-launcher", NULL};
    char *envp[] = {CTUTOR_LAUNCHER_ENV "=1", NULL};
    int result = posix_spawn(pid, launcher, &actions, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    close(spec);
    close(sync);
    for (int i = 0; i < 3; i++)
        if (moved[i] >= 0) close(moved[i]);
    return result;
}

#endif
