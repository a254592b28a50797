/*
 * baton-confine: the one exec between posix_spawn and an isolated agent (see ConfineCommand.cs).
 *
 *   baton-confine [-j CGROUP_PROCS_FILE]... [-a AS_BYTES] [-n NPROC] [-p] [-t TMP_DIR] [-u UID -g GID] -- PROGRAM ARG...
 *
 * In this order, so no user code ever runs unconfined: join each cgroup (as root, before anything
 * else runs), set the rlimits, with -p give the agent a /proc of its own that shows only its user's
 * processes, with -t mount TMP_DIR over /tmp, /var/tmp and /dev/shm, drop to the workspace user (no supplementary groups, no way back through setuid
 * binaries), then exec PROGRAM with the same pid, so the engine's pid, start time and process group
 * stay the agent's. Statically linked: no dynamic loader, ~0.3 ms an exec here
 * against ~2 ms for sh + setpriv.
 *
 * Exit codes before PROGRAM runs: 125 confinement failed, 126 PROGRAM not executable, 127 not found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "baton-confine: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
    _exit(125);
}

static unsigned long long number(const char *text)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *text == '\0' || *end != '\0') { errno = EINVAL; die("bad number", text); }
    return value;
}

static void join(const char *procs)
{
    char pid[24];
    int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, (size_t)length) != length || close(fd) != 0) die("cannot join cgroup", procs);
}

static void limit(int resource, unsigned long long value, const char *name)
{
    struct rlimit rl = { value, value };
    if (setrlimit(resource, &rl) != 0) die("cannot set", name);
}

/*
 * Other workspaces' agents run as other users; their /proc/PID/cmdline (secrets passed as
 * arguments, `cli:` task text, workspace names and run ids in paths) is world-readable on the
 * host's /proc. So the agent gets a mount namespace of its own, whose mounts never propagate back
 * (MS_SLAVE: the host's later mounts still reach it), with a fresh /proc mounted hidepid=invisible:
 * only processes of the agent's own uid are listed. Per-mount proc options need Linux 5.8, where an
 * older kernel refuses "invisible" instead of changing the host's /proc (ProcessHiding.cs checks
 * the version before asking for -p). The pid stays the same: no PID namespace, so signals to the
 * process group, the engine's waitpid and cgroup kills work as without it.
 */
static void private_mount_namespace(void)
{
    if (unshare(CLONE_NEWNS) != 0) die("cannot make a mount namespace", NULL);
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) die("cannot stop mount propagation", "/");
}

static void hide_other_processes(void)
{
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible") != 0) die("cannot mount", "/proc hidepid=invisible");
}

/*
 * /tmp, /var/tmp and /dev/shm are shared by every user of the host: a file one workspace's agent
 * leaves there with the default umask is readable by every other workspace's agents. So the agent
 * sees its workspace's own tmp/ folder there instead (made by the engine, root's parent: the agent
 * cannot swap it for a link). Agents of one workspace share it, as they share its user. A target
 * that holds the data folder itself is left as it is (docs/security.md says why).
 */
static void private_tmp(const char *folder)
{
    static const char *const targets[] = { "/tmp", "/var/tmp", "/dev/shm" };
    // Held open and bound through /proc/self/fd: the folder's path may itself lie under /tmp (a data
    // folder in /tmp), which no longer leads to it once the first target is covered.
    int fd = open(folder, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) die("cannot open", folder);
    char source[64];
    snprintf(source, sizeof source, "/proc/self/fd/%d", fd);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
    {
        size_t length = strlen(targets[i]);
        // A data folder under /tmp itself: covering /tmp would hide the agent's own run folder from it.
        if (strncmp(folder, targets[i], length) == 0 && folder[length] == '/') continue;
        if (access(targets[i], F_OK) != 0) continue;
        if (mount(source, targets[i], NULL, MS_BIND, NULL) != 0) die("cannot mount a private", targets[i]);
    }
    close(fd);
}

int main(int argc, char **argv)
{
    long long uid = -1, gid = -1;
    int option, hide = 0;
    const char *tmp = NULL;
    while ((option = getopt(argc, argv, "+j:a:n:pt:u:g:")) != -1)
    {
        switch (option)
        {
        case 'j': join(optarg); break;
        case 'a': limit(RLIMIT_AS, number(optarg), "RLIMIT_AS"); break;
        case 'n': limit(RLIMIT_NPROC, number(optarg), "RLIMIT_NPROC"); break;
        case 'p': hide = 1; break;
        case 't': tmp = optarg; break;
        case 'u': uid = (long long)number(optarg); break;
        case 'g': gid = (long long)number(optarg); break;
        default: errno = EINVAL; die("usage:", "[-j FILE]... [-a BYTES] [-n COUNT] [-p] [-t DIR] [-u UID -g GID] -- PROGRAM ARG...");
        }
    }
    if (optind >= argc) { errno = EINVAL; die("no program to run", NULL); }
    if ((uid < 0) != (gid < 0)) { errno = EINVAL; die("-u and -g go together", NULL); }
    if (hide || tmp) private_mount_namespace();
    if (hide) hide_other_processes();
    if (tmp) private_tmp(tmp);
    if (uid >= 0)
    {
        // Groups first: once the uid is dropped, setgroups and setgid are no longer allowed.
        if (setgroups(0, NULL) != 0) die("cannot clear groups", NULL);
        if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) die("cannot set gid", NULL);
        if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) die("cannot set uid", NULL);
        if (uid != 0 && setuid(0) == 0) { errno = EPERM; die("still able to regain root", NULL); }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("cannot set no_new_privs", NULL);
    execv(argv[optind], argv + optind);
    int error = errno;
    fprintf(stderr, "baton-confine: cannot run %s: %s\n", argv[optind], strerror(error));
    return error == ENOENT ? 127 : 126;
}
