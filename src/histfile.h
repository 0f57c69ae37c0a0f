/* The history file: $XDG_STATE_HOME/torsh/history (by default
 * ~/.local/state/torsh/history), one line per entry, mode 0600 in a 0700
 * directory, the last HISTFILE_KEEP lines. Only the file: the lines recalled
 * with Up live in the line editor (editor.h, libedit's History), since
 * editor.c is the one file that includes <histedit.h>. Which lines may be
 * kept is the caller's decision: repl.c keeps secrets (secret.h) out of
 * both. Named histfile, not history: libedit's <history.h> sits on the
 * include path (pkg-config's -I/usr/include/editline). */
#ifndef TORSH_HISTFILE_H
#define TORSH_HISTFILE_H
#include <stdbool.h>
#include <stddef.h>

#define HISTFILE_KEEP 1000

/* Where the file is, its directories created (mode 0700): false when
 * there is no $XDG_STATE_HOME or $HOME, or the directories cannot be made. */
bool histfile_path(char *out, size_t n);

/* Give the last HISTFILE_KEEP lines of the file, oldest first, to `add`
 * (empty lines and a line repeating the one before skipped, as the editor
 * would). A file grown past twice that is rewritten with only those. */
void histfile_load(const char *path, void (*add)(void *ud, const char *line), void *ud);

/* Append one line (no newline in it), the file created 0600 if need be.
 * -1 when writing failed (a full disk): the caller stops trying, the
 * session goes on. A file that cannot be opened is skipped this once. */
int histfile_add(const char *path, const char *line, size_t len);
#endif
