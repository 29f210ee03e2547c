#define _GNU_SOURCE
#include "ctutor_role_spawn.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

int ctutor_role_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd,
                      int passed_fd, int new_session, pid_t *pid) {
    /* Moved above 9 first, so that no dup2 below overwrites one a later dup2 needs. */
    int given[4] = {stdin_fd, stdout_fd, stderr_fd, passed_fd};
    int moved[4] = {-1, -1, -1, -1};
    int result = 0;
    for (int i = 0; i < 4; i++) {
        if (given[i] < 0) continue;
        moved[i] = fcntl(given[i], F_DUPFD_CLOEXEC, 10);
        if (moved[i] < 0) result = errno;
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    if (result == 0) {
        for (int i = 0; i < 3; i++) {
            if (moved[i] >= 0)
                posix_spawn_file_actions_adddup2(&actions, moved[i], i);
            else
                posix_spawn_file_actions_addopen(&actions, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
        }
        if (moved[3] >= 0) posix_spawn_file_actions_adddup2(&actions, moved[3], 3);
        posix_spawn_file_actions_addclosefrom_np(&actions, moved[3] >= 0 ? 4 : 3);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setsigdefault(&attributes, &all);
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        if (new_session) flags |= POSIX_SPAWN_SETSID;
        posix_spawnattr_setflags(&attributes, flags);
        result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    for (int i = 0; i < 4; i++)
        if (moved[i] >= 0) close(moved[i]);
    return result;
}

int ctutor_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

pid_t ctutor_fork_step(void) {
    pid_t pid = fork();
    if (pid == 0) {
        /* Nothing the caller holds (a socket, a pipe to whoever started it) reaches a
           program the step execs; the step's own writes are unaffected. */
        syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
        signal(SIGPIPE, SIG_DFL);
    }
    return pid;
}

#endif
