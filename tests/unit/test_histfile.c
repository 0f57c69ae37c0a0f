/* The history file (history.c): where it is, its modes, what a load gives
 * the editor and how a grown file is cut back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "histfile.h"
#include "tap.h"

static void collect(void *ud, const char *line)
{
	struct buf *b = ud;
	buf_append(b, line, strlen(line), BUF_NOLIMIT);
	buf_putc(b, '|', BUF_NOLIMIT);
}

static unsigned mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0u;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

static size_t count_lines(const char *path, char *first, size_t n)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	char line[64];
	size_t k = 0;
	while (fgets(line, sizeof(line), f)) {
		if (k++ == 0)
			snprintf(first, n, "%s", line);
	}
	fclose(f);
	return k;
}

static void test_path(const char *dir)
{
	char want[512], got[512];
	snprintf(want, sizeof(want), "%s/state/a", dir);
	setenv("XDG_STATE_HOME", want, 1);
	CHECK(histfile_path(got, sizeof(got)), "$XDG_STATE_HOME: a path");
	snprintf(want, sizeof(want), "%s/state/a/torsh/history", dir);
	CHECK_STR(got, want, "$XDG_STATE_HOME/torsh/history");
	snprintf(want, sizeof(want), "%s/state/a/torsh", dir);
	CHECK(mode_of(want) == 0700, "its directory is made 0700 (%o)", mode_of(want));
	snprintf(want, sizeof(want), "%s/state/a", dir);
	CHECK(mode_of(want) == 0700, "and so are the directories above it (%o)", mode_of(want));

	setenv("XDG_STATE_HOME", "relative/dir", 1);
	snprintf(want, sizeof(want), "%s/home", dir);
	setenv("HOME", want, 1);
	CHECK(histfile_path(got, sizeof(got)), "$HOME: a path");
	snprintf(want, sizeof(want), "%s/home/.local/state/torsh/history", dir);
	CHECK_STR(got, want, "a relative $XDG_STATE_HOME is ignored: ~/.local/state/torsh/history");
	CHECK(!histfile_path(got, 10), "a path that does not fit: none");
	unsetenv("HOME");
	CHECK(!histfile_path(got, sizeof(got)), "no $HOME, no $XDG_STATE_HOME: no file");
}

static void test_add(const char *dir)
{
	char path[512], first[64];
	snprintf(path, sizeof(path), "%s/h1", dir);
	CHECK(histfile_add(path, "GETINFO version", 15) == 0, "add: written");
	CHECK(mode_of(path) == 0600, "add: the file is created 0600 (%o)", mode_of(path));
	CHECK(histfile_add(path, "SIGNAL NEWNYM", 13) == 0 && count_lines(path, first, sizeof(first)) == 2,
	      "add: appended, one line each");
	chmod(path, 0644);
	histfile_add(path, "GETCONF SocksPort", 17);
	CHECK(mode_of(path) == 0600, "add: an existing file is set back to 0600 (%o)", mode_of(path));

	char link[512];
	snprintf(link, sizeof(link), "%s/h1-link", dir);
	CHECK(symlink(path, link) == 0, "a symbolic link in place of the file");
	histfile_add(link, "GETINFO x", 9);
	CHECK(count_lines(path, first, sizeof(first)) == 3, "add: nothing written through a symbolic link");
}

static void test_load(const char *dir)
{
	char path[512], first[64];
	struct buf got = {0};
	snprintf(path, sizeof(path), "%s/h2", dir);
	histfile_load(path, collect, &got);
	CHECK(got.len == 0, "load: no file, nothing");
	write_file(path, "a\n\nb\nb\na\nc", 0600);
	histfile_load(path, collect, &got);
	CHECK_STR(got.p, "a|b|a|c|", "load: oldest first, empty lines and repeats of the line before skipped");

	/* 2500 lines: past twice what is kept, so cut back to the last 1000 */
	struct buf text = {0};
	for (int i = 1; i <= 2500; i++)
		buf_printf(&text, BUF_NOLIMIT, "GETINFO n%d\n", i);
	write_file(path, text.p, 0644);
	buf_reset(&got);
	histfile_load(path, collect, &got);
	CHECK(strncmp(got.p, "GETINFO n1501|", 14) == 0 && strstr(got.p, "|GETINFO n2500|"),
	      "load: the last %d lines", HISTFILE_KEEP);
	CHECK(count_lines(path, first, sizeof(first)) == HISTFILE_KEEP && strcmp(first, "GETINFO n1501\n") == 0,
	      "load: a file past twice that is rewritten with them");
	CHECK(mode_of(path) == 0600, "load: the rewritten file is 0600 (%o)", mode_of(path));

	/* 1500 lines: kept as they are */
	buf_reset(&text);
	for (int i = 1; i <= 1500; i++)
		buf_printf(&text, BUF_NOLIMIT, "GETINFO n%d\n", i);
	write_file(path, text.p, 0600);
	buf_reset(&got);
	histfile_load(path, collect, &got);
	CHECK(strncmp(got.p, "GETINFO n501|", 13) == 0, "load: 1500 lines give the last %d", HISTFILE_KEEP);
	CHECK(count_lines(path, first, sizeof(first)) == 1500, "load: a file under twice that stays whole");
	buf_free(&text);
	buf_free(&got);
}

int main(void)
{
	char dir[] = "/tmp/torsh-history-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_path(dir);
	test_add(dir);
	test_load(dir);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
