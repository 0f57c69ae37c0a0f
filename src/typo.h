/* Words for what only tor can judge: "did you mean" for a GETINFO key or
 * an option name tor answered 552 for, and what its 513 for a well-formed
 * onion address means. Pure: the REPL and scripts print it. */
#ifndef TORSH_TYPO_H
#define TORSH_TYPO_H
#include <stdbool.h>
#include <stddef.h>

#include "cmd.h"
#include "complete.h"
#include "reply.h"

/* For tor's answer m to a command of def: what tor's 513 for an onion
 * address means when torsh found nothing wrong with it (a key that is no
 * ed25519 point); else "did you mean X?" appended to out
 * (escaped: safe to print) when m says a key or option is unknown and one close
 * to it is known: from c's info/names or config/names when they are there
 * (c may be NULL), else, for GETINFO keys, tor 0.4.9.11's own list. */
bool typo_reply_hint(const struct tc_msg *m, const struct cmd_def *def, const struct catalog *c, struct buf *out);
#endif
