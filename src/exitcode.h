/* torsh's documented exit statuses (README, torsh(1) EXIT STATUS). */
#ifndef TORSH_EXITCODE_H
#define TORSH_EXITCODE_H
enum exit_code {
	EXIT_ALL_OK = 0,       /* every reply was 2xx */
	EXIT_TOR_ERROR = 1,    /* tor answered a command with an error reply */
	EXIT_USAGE = 2,        /* bad command line or refused input */
	EXIT_CONNECT = 3,      /* no control port could be reached */
	EXIT_AUTH = 4,         /* authentication failed */
	EXIT_LOST = 5,         /* connection lost, protocol error or reply timeout */
};
#endif
