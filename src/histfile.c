#include "histfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p with mode 0700 for the components it creates. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

bool histfile_path(char *out, size_t n)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int k;
	if (x && x[0] == '/')
		k = snprintf(out, n, "%s/torsh", x);
	else if (home && home[0] == '/')
		k = snprintf(out, n, "%s/.local/state/torsh", home);
	else
		return false;
	if (k < 0 || (size_t)k + sizeof("/history") > n || make_dirs(out) < 0)
		return false;
	strcat(out, "/history");
	return true;
}

/* The file is only ever opened with mode 0600, and an existing one is set
 * back to 0600: a history of control commands is nobody else's business. */
static int histfile_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		(void)fchmod(fd, 0600);
	return fd;
}

/* The last HISTFILE_KEEP entries, as libedit's History keeps them with
 * H_SETSIZE and H_SETUNIQUE: a line equal to the newest is not entered. */
struct ring {
	char *line[HISTFILE_KEEP];
	size_t head, n;            /* oldest at head */
};

static const char *ring_at(const struct ring *g, size_t i)
{
	return g->line[(g->head + i) % HISTFILE_KEEP];
}

static void ring_enter(struct ring *g, const char *line)
{
	if (g->n > 0 && strcmp(ring_at(g, g->n - 1), line) == 0)
		return;
	char *copy = strdup(line);
	if (copy == NULL)
		return;
	if (g->n == HISTFILE_KEEP) {
		free(g->line[g->head]);
		g->line[g->head] = copy;
		g->head = (g->head + 1) % HISTFILE_KEEP;
	} else {
		g->line[(g->head + g->n++) % HISTFILE_KEEP] = copy;
	}
}

/* Replace the file with the entries kept, oldest first, through a new
 * file renamed over it. */
static void rewrite(const char *path, const struct ring *g)
{
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	(void)unlink(tmp);
	int fd = histfile_open(tmp, O_WRONLY | O_EXCL);
	FILE *w = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (w == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (size_t i = 0; i < g->n; i++)
		fprintf(w, "%s\n", ring_at(g, i));
	if (fclose(w) == 0)
		(void)rename(tmp, path);
}

void histfile_load(const char *path, void (*add)(void *ud, const char *line), void *ud)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	struct ring *g = calloc(1, sizeof(*g));
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	while (g && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[0]) {
			ring_enter(g, line);
			n++;
		}
	}
	free(line);
	fclose(f);
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		add(ud, ring_at(g, i));
	if (n > 2 * HISTFILE_KEEP)
		rewrite(path, g);
	for (size_t i = 0; i < g->n; i++)
		free(g->line[(g->head + i) % HISTFILE_KEEP]);
	free(g);
}

int histfile_add(const char *path, const char *line, size_t len)
{
	int fd = histfile_open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return 0; /* not this time; the next line tries again */
	int rc = write(fd, line, len) < 0 || write(fd, "\n", 1) < 0 ? -1 : 0;
	close(fd);
	return rc;
}
