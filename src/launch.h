/* A throwaway tor for `torsh --launch`: offline (DisableNetwork 1) until the
 * user says otherwise, in a private temporary directory, reachable on a Unix
 * socket with cookie auth. */
#ifndef TORSH_LAUNCH_H
#define TORSH_LAUNCH_H
#include <sys/types.h>

#include "buf.h"

struct tor_proc {
	pid_t pid;
	char dir[256];
	char socket[300];
	char log[300];
};

/* Extra torrc lines, "Key Value" each (--tor-option), given to tor on its
 * command line after the torrc torsh writes; the caller owns them. */
struct tor_options {
	char *const *v;
	size_t n;
};

/* 0 when opt is a "Key Value" line tor may be given: a torrc key, no CR or
 * LF; else -1 and why in err. */
int tor_option_check(const char *opt, struct buf *err);
/* Starts tor (PATH lookup when tor_path is NULL) with opts and waits until
 * its control socket accepts connections. -1 with a reason (and tor's log
 * tail) in err. */
int tor_launch(const char *tor_path, const struct tor_options *opts, int timeout_ms, struct tor_proc *t,
	       struct buf *err);
/* Waits for tor to exit by itself (it does once its owning controller
 * disconnects), then ends it by PID if it did not, and removes the directory. */
void tor_reap(struct tor_proc *t, int grace_ms);
#endif
