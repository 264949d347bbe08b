#define _XOPEN_SOURCE 700
#include "kit_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int run_program(const char *const argv[], char *err, size_t n)
{
    const char *bin_dir = getenv("KIT_BIN");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", bin_dir ? bin_dir : "build/bin", argv[0]);

    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        close(pipefd[1]);
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(path, (char *const *)argv);
        fprintf(stderr, "cannot run %s\n", path);
        _exit(127);
    }
    close(pipefd[1]);
    size_t used = 0;
    char buf[256];
    ssize_t got;
    while ((got = read(pipefd[0], buf, sizeof buf)) > 0) {
        size_t take = (size_t)got;
        if (take > n - 1 - used)
            take = n - 1 - used;   /* keep the start, drain the rest */
        memcpy(err + used, buf, take);
        used += take;
    }
    err[used] = '\0';
    close(pipefd[0]);
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

void make_temp_dir(char *dir, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, n, "%s/kit-test-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        ck_abort_msg("cannot make a temporary directory under %s", tmp ? tmp : "/tmp");
}

void remove_temp_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

int files_equal(const char *dir1, const char *dir2, const char *name)
{
    char path1[4096], path2[4096];
    snprintf(path1, sizeof path1, "%s/%s", dir1, name);
    snprintf(path2, sizeof path2, "%s/%s", dir2, name);
    FILE *a = fopen(path1, "rb"), *b = fopen(path2, "rb");
    int same = a && b;
    while (same) {
        int ca = getc(a), cb = getc(b);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (a)
        fclose(a);
    if (b)
        fclose(b);
    return same;
}

void check_program_deterministic(const char *const args[], const char *const files[], int n)
{
    char dirs[2][256], err[2048];
    const char *argv[32];
    int argc = 0;
    while (args[argc] && argc < 28) {
        argv[argc] = args[argc];
        argc++;
    }
    for (int run = 0; run < 2; run++) {
        make_temp_dir(dirs[run], sizeof dirs[run]);
        argv[argc] = "--out";
        argv[argc + 1] = dirs[run];
        argv[argc + 2] = NULL;
        ck_assert_msg(run_program(argv, err, sizeof err) == 0, "%s failed: %s", args[0], err);
    }
    for (int i = 0; i < n; i++)
        ck_assert_msg(files_equal(dirs[0], dirs[1], files[i]), "%s differs between runs", files[i]);
    remove_temp_dir(dirs[0]);
    remove_temp_dir(dirs[1]);
}
