/*
 * rss — run a command, then print its wall time, CPU time and peak RSS.
 *
 *   rss [-i IN] [-o OUT] [-e ERR] [-r RESULT] [-t] -- COMMAND [ARG...]
 *
 * The child reads IN (default /dev/null) and writes OUT (default /dev/null)
 * and ERR (default: this program's stderr). With -t its stdout is a
 * pseudo-terminal instead (raw mode, 200x50) whose output this program reads
 * as fast as it comes and writes to OUT: torsh colours only a terminal.
 * "-" for IN, OUT or ERR: inherited as it is. Prints one line on stdout
 * (or in RESULT):
 *   wall_s=0.123456 user_s=0.100000 sys_s=0.020000 rss_kib=4096 status=0
 * status is the exit status, or 128+N for signal N. GNU time may not be
 * installed; this needs nothing but libc.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct plan {
	const char *in, *out, *err, *result;
	int pty;
	char **argv;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int redirect(const char *path, int flags, int to)
{
	if (strcmp(path, "-") == 0) /* inherited */
		return 0;
	int fd = open(path, flags, 0644);
	if (fd < 0 || dup2(fd, to) < 0)
		return -1;
	if (fd != to)
		close(fd);
	return 0;
}

/* In the child: the terminal as stdout, raw, and as controlling tty. */
static int take_pty(int master)
{
	const char *name = ptsname(master);
	if (name == NULL || setsid() < 0)
		return -1;
	int s = open(name, O_RDWR);
	if (s < 0)
		return -1;
	struct termios t;
	struct winsize ws = {.ws_row = 50, .ws_col = 200};
	if (tcgetattr(s, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(s, TCSANOW, &t);
	}
	ioctl(s, TIOCSWINSZ, &ws);
	close(master);
	return dup2(s, STDOUT_FILENO) < 0 ? -1 : 0;
}

static void child(const struct plan *p, int master)
{
	if (redirect(p->in, O_RDONLY, STDIN_FILENO) < 0 ||
	    (master >= 0 ? take_pty(master) : redirect(p->out, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO)) < 0 ||
	    (p->err && redirect(p->err, O_WRONLY | O_CREAT | O_TRUNC, STDERR_FILENO) < 0)) {
		perror("rss: redirect");
		_exit(126);
	}
	execvp(p->argv[0], p->argv);
	perror(p->argv[0]);
	_exit(127);
}

/* Everything the terminal shows, to OUT, until no one holds its other end. */
static void drain_pty(int master, const char *out)
{
	int fd = strcmp(out, "-") == 0 ? dup(STDOUT_FILENO) : open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* EIO: the slave side is closed */
			break;
		if (fd >= 0 && write(fd, buf, (size_t)n) < 0)
			break;
	}
	if (fd >= 0)
		close(fd);
}

static int open_pty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return -1;
	return m;
}

static int parse(int argc, char **argv, struct plan *p)
{
	int ch;
	p->in = p->out = "/dev/null";
	while ((ch = getopt(argc, argv, "+i:o:e:r:t")) != -1) {
		switch (ch) {
		case 'i': p->in = optarg; break;
		case 'o': p->out = optarg; break;
		case 'e': p->err = optarg; break;
		case 'r': p->result = optarg; break;
		case 't': p->pty = 1; break;
		default: return -1;
		}
	}
	if (optind >= argc)
		return -1;
	p->argv = argv + optind;
	return 0;
}

int main(int argc, char **argv)
{
	struct plan p = {0};
	if (parse(argc, argv, &p) < 0) {
		fprintf(stderr, "usage: rss [-i IN] [-o OUT] [-e ERR] [-r RESULT] [-t] -- COMMAND [ARG...]\n");
		return 2;
	}
	int master = p.pty ? open_pty() : -1;
	if (p.pty && master < 0) {
		perror("rss: pty");
		return 1;
	}
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		perror("rss: fork");
		return 1;
	}
	if (pid == 0)
		child(&p, master);
	if (master >= 0)
		drain_pty(master, p.out);
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("rss: wait4");
			return 1;
		}
	double wall = now_s() - t0;
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	FILE *res = p.result ? fopen(p.result, "w") : stdout;
	if (res == NULL) {
		perror(p.result);
		return 1;
	}
	fprintf(res, "wall_s=%.6f user_s=%.6f sys_s=%.6f rss_kib=%ld status=%d\n", wall,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, status);
	return fclose(res) == 0 ? 0 : 1;
}
