/* torsh's own commands (those starting with '/'), shared by the script
 * runner and the REPL. */
#ifndef TORSH_LOCAL_H
#define TORSH_LOCAL_H
#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "session.h"

enum local_result { LOCAL_DONE, LOCAL_SEND, LOCAL_QUIT, LOCAL_ERROR };

/* The table entry of a '/' line's command word, with *args where its
 * arguments start; NULL with err set (naming the closest command) when
 * there is none. */
const struct cmd_def *local_find(const char *line, size_t len, size_t *args, struct buf *err);

/* The torsh command of a '/' line; LC_NONE for a tor command or an unknown
 * '/' word. */
enum local_cmd local_which(const char *line, size_t len);

/* Runs a '/' command. LOCAL_SEND: not local after all (/raw), submit it as
 * usual. LOCAL_ERROR: err says why. */
enum local_result local_run(const char *line, size_t len, FILE *out, struct buf *err);

/* /help and /help COMMAND, from the command table. */
void help_list(FILE *out);
int help_command(FILE *out, const char *name, size_t len);
/* One name per line: what --list-commands prints (completions, man test). */
void list_commands(FILE *out);
#endif
