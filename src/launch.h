/* A throwaway tor for `torsh --launch`: offline (DisableNetwork 1), in a
 * private temporary directory, reachable on a Unix socket with cookie auth. */
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

/* Starts tor (PATH lookup when tor_path is NULL) and waits until its control
 * socket accepts connections. -1 with a reason (and tor's log tail) in err. */
int tor_launch(const char *tor_path, int timeout_ms, struct tor_proc *t, struct buf *err);
/* Waits for tor to exit by itself (it does once its owning controller
 * disconnects), then ends it by PID if it did not, and removes the directory. */
void tor_reap(struct tor_proc *t, int grace_ms);
#endif
