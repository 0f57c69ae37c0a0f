#define _XOPEN_SOURCE 700 /* nftw */
#include "launch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Offline until the user says otherwise (SETCONF DisableNetwork=0): no dead
 * DirAuthority here, or going online could never work. The test suite and
 * `make run` add that backstop with --tor-option. */
static const char torrc_fmt[] =
	"# written by torsh --launch; removed when torsh exits\n"
	"DataDirectory %s\n"
	"DisableNetwork 1\n"
	"SocksPort 0\n"
	"ControlPort unix:%s\n"
	"CookieAuthentication 1\n"
	"CookieAuthFile %s/control_auth_cookie\n"
	"__OwningControllerProcess %ld\n"
	"Log notice file %s\n"
	"RunAsDaemon 0\n";

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_dir(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void log_tail(const char *path, struct buf *err)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	char *lines[8] = {0};
	size_t n = 0, cap = 0;
	char *line = NULL;
	while (getline(&line, &cap, f) > 0) {
		free(lines[n % 8]);
		lines[n % 8] = strdup(line);
		n++;
	}
	free(line);
	fclose(f);
	buf_printf(err, BUF_NOLIMIT, "  last lines of %s:\n", path);
	for (size_t i = n > 8 ? n - 8 : 0; i < n; i++) {
		buf_printf(err, BUF_NOLIMIT, "    %s", lines[i % 8] ? lines[i % 8] : "\n");
		free(lines[i % 8]);
		lines[i % 8] = NULL;
	}
}

static int can_connect(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int tor_option_check(const char *opt, struct buf *err)
{
	/* (argv cannot hold a NUL: a C string ends there) */
	if (opt[strcspn(opt, "\r\n")] != '\0') {
		buf_printf(err, BUF_NOLIMIT, "--tor-option: a line break (CR or LF) is not allowed\n");
		return -1;
	}
	/* A torrc key (+Key appends, /Key clears, as in tor's own syntax):
	 * never a tor command-line flag such as -f or --hash-password. */
	size_t klen = strcspn(opt, " \t");
	size_t start = opt[0] == '+' || opt[0] == '/';
	bool ok = klen > start;
	for (size_t i = start; i < klen && ok; i++)
		ok = isalnum((unsigned char)opt[i]) || opt[i] == '_';
	if (!ok) {
		/* only the key: the value may be a secret */
		buf_printf(err, BUF_NOLIMIT, "--tor-option: expected 'Key Value' as in a torrc; '%.*s' is no torrc key\n",
			   (int)klen, opt);
		return -1;
	}
	return 0;
}

/* tor's command line takes options as KEY VALUE pairs, which spares a
 * value the torrc's comment and line-continuation rules. */
static char **tor_argv(const char *tor, const char *torrc, const struct tor_options *opts)
{
	size_t n = 5 + 2 * opts->n + 1;
	char **argv = calloc(n, sizeof(char *));
	if (argv == NULL)
		return NULL;
	size_t i = 0;
	argv[i++] = strdup(tor);
	argv[i++] = strdup("-f");
	argv[i++] = strdup(torrc);
	argv[i++] = strdup("--defaults-torrc");
	argv[i++] = strdup("/dev/null");
	for (size_t k = 0; k < opts->n; k++) {
		const char *o = opts->v[k];
		size_t klen = strcspn(o, " \t");
		argv[i++] = strndup(o, klen);
		argv[i++] = strdup(o + klen + strspn(o + klen, " \t"));
	}
	bool complete = true;
	for (size_t k = 0; k < i; k++)
		complete = complete && argv[k] != NULL;
	if (!complete) {
		for (size_t k = 0; k < i; k++)
			free(argv[k]);
		free(argv);
		return NULL;
	}
	return argv;
}

/* tor's complaints before its Log line takes effect (an unknown
 * --tor-option, say) go to stdout: into the log, whose tail a failed start
 * shows. */
static pid_t spawn(char **argv, const char *log)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* Its own process group: a Ctrl-C meant for the shell must not kill it. */
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0)
		dup2(devnull, 0);
	int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (out < 0)
		out = devnull;
	if (out >= 0) {
		dup2(out, 1);
		dup2(out, 2);
	}
	execvp(argv[0], argv);
	_exit(127);
}

int tor_launch(const char *tor_path, const struct tor_options *opts, int timeout_ms, struct tor_proc *t,
	       struct buf *err)
{
	memset(t, 0, sizeof(*t));
	const char *tmp = getenv("TMPDIR");
	/* A Unix socket path must fit in 108 bytes. */
	if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 60)
		tmp = "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/torsh-XXXXXX", tmp);
	if (mkdtemp(t->dir) == NULL) {
		buf_printf(err, BUF_NOLIMIT, "cannot create a directory in %s: %s\n", tmp, strerror(errno));
		t->dir[0] = '\0';
		return -1;
	}
	snprintf(t->socket, sizeof(t->socket), "%s/control", t->dir);
	snprintf(t->log, sizeof(t->log), "%s/tor.log", t->dir);
	char torrc[300];
	snprintf(torrc, sizeof(torrc), "%s/torrc", t->dir);
	FILE *f = fopen(torrc, "w");
	if (f == NULL) {
		buf_printf(err, BUF_NOLIMIT, "cannot write %s: %s\n", torrc, strerror(errno));
		remove_dir(t->dir);
		return -1;
	}
	fprintf(f, torrc_fmt, t->dir, t->socket, t->dir, (long)getpid(), t->log);
	fclose(f);

	const char *tor = tor_path && *tor_path ? tor_path : "tor";
	char **argv = tor_argv(tor, torrc, opts);
	t->pid = argv ? spawn(argv, t->log) : -1;
	int spawn_errno = argv ? errno : ENOMEM;
	free_argv(argv);
	if (t->pid < 0) {
		errno = spawn_errno;
		buf_printf(err, BUF_NOLIMIT, "cannot start %s: %s\n", tor, strerror(errno));
		remove_dir(t->dir);
		return -1;
	}
	for (long waited = 0; waited < timeout_ms; waited += 50) {
		int status;
		pid_t r = waitpid(t->pid, &status, WNOHANG);
		if (r == t->pid) {
			t->pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
				buf_printf(err, BUF_NOLIMIT, "cannot run '%s' (not installed? try --tor PATH)\n", tor);
			else
				buf_printf(err, BUF_NOLIMIT, "tor exited during startup (%s %d)\n",
					   WIFEXITED(status) ? "exit status" : "signal",
					   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			log_tail(t->log, err);
			remove_dir(t->dir);
			return -1;
		}
		if (can_connect(t->socket))
			return 0;
		sleep_ms(50);
	}
	buf_printf(err, BUF_NOLIMIT, "tor did not open its control socket within %d s\n", timeout_ms / 1000);
	log_tail(t->log, err);
	tor_reap(t, 0);
	return -1;
}

static int wait_exit(pid_t pid, long ms)
{
	for (long waited = 0;; waited += 20) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 1;
		if (waited >= ms)
			return 0;
		sleep_ms(20);
	}
}

void tor_reap(struct tor_proc *t, int grace_ms)
{
	if (t->pid > 0 && !wait_exit(t->pid, grace_ms)) {
		kill(t->pid, SIGTERM);
		if (!wait_exit(t->pid, 3000)) {
			kill(t->pid, SIGKILL);
			wait_exit(t->pid, 3000);
		}
	}
	t->pid = 0;
	remove_dir(t->dir);
	t->dir[0] = '\0';
}
