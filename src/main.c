/* torsh: command line, wiring, exit status. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <locale.h>
#include <openssl/crypto.h>

#include "auth.h"
#include "conn.h"
#include "escape.h"
#include "exitcode.h"
#include "launch.h"
#include "local.h"
#include "onion_cmd.h"
#include "repl.h"
#include "script.h"
#include "secret.h"
#include "session.h"

#define TORSH_VERSION "0.1.0"

/* The signal that asked torsh to stop (SIGTERM, SIGHUP, SIGINT), 0 if none. */
static volatile sig_atomic_t stop_requested;
static struct termios saved_tty;
static volatile sig_atomic_t tty_saved;

/* The first signal asks for an orderly end (QUIT to tor, a second at most);
 * a second one ends torsh at once, by that signal, the terminal's modes
 * restored (only async-signal-safe calls here). */
static void on_stop(int sig)
{
	if (stop_requested) {
		if (tty_saved)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(128 + sig);
	}
	stop_requested = sig;
}

struct options {
	const char *socket_path, *interface, *cookie, *password_file, *tor_path;
	char **commands;
	size_t ncommands;
	char *tor_opts[64];
	size_t ntor_opts;
	bool keep_going, launch, no_color, force_color, explain, verbose, yes, allow_plain_cookie;
	int fmt;                  /* -1: by whether stdout is a terminal */
	double linger_s, connect_timeout_s, timeout_s;
};

static void usage(FILE *f)
{
	fputs("usage: torsh [options]\n"
	      "Interactive shell for Tor's control protocol; scripts from a pipe or -c.\n\n"
	      "Connecting (default: $TOR_CONTROL_IPC_PATH, $TOR_CONTROL_HOST/$TOR_CONTROL_PORT,\n"
	      "            else /run/tor/control, /var/run/tor/control, 127.0.0.1:9051, 127.0.0.1:9151):\n"
	      "  -s, --socket PATH          control port on a Unix socket\n"
	      "  -i, --interface [ADDR:]PORT  control port over TCP (ADDR: IPv4, [IPv6] or a name)\n"
	      "      --launch               start a throwaway offline tor and connect to it\n"
	      "      --tor PATH             the tor binary --launch runs (default: tor from PATH)\n"
	      "      --tor-option 'KEY VALUE'\n"
	      "                             a torrc line for the tor --launch runs (repeatable)\n"
	      "      --connect-timeout S    give up connecting after S seconds (default 5)\n"
	      "      --timeout S            the longest a reply may take after its command was\n"
	      "                             sent, events or not (default 30; 0 waits forever)\n"
	      "Authenticating (the strongest method tor offers: SAFECOOKIE, password, none):\n"
	      "      --cookie FILE          cookie file (default: the one tor names)\n"
	      "      --allow-plain-cookie   send the cookie itself to a port that offers COOKIE\n"
	      "                             but not SAFECOOKIE (whoever listens there gets it)\n"
	      "      --password-file FILE   password for HashedControlPassword (else\n"
	      "                             $TOR_CONTROL_PASSWD, else a prompt on a terminal)\n"
	      "Running commands:\n"
	      "  -c, --command CMD          run CMD (repeatable), then exit\n"
	      "  -k, --keep-going           do not stop at the first error reply\n"
	      "  -y, --yes                  do not ask before dangerous commands (a terminal asks)\n"
	      "      --linger S             after the last reply, keep printing events S seconds\n"
	      "Output:\n"
	      "      --pretty               timestamps, colours, enum names (default on a terminal)\n"
	      "      --raw                  the text tor sent (default when not a terminal)\n"
	      "      --json                 one JSON object per reply or event (JSON Lines)\n"
	      "      --explain              follow enum values with their meaning (pretty)\n"
	      "      --color                colours also when stdout is not a terminal\n"
	      "                             (| less -R); --no-color and NO_COLOR win over it\n"
	      "      --no-color             no colours (also NO_COLOR)\n"
	      "  -v, --verbose              say where torsh connected and how it authenticated\n"
	      "      --list-commands        print every command name, one per line\n"
	      "  -h, --help                 this help\n"
	      "  -V, --version              version\n\n"
	      "Exit status: 0 all replies 2xx, 1 tor error reply, 2 usage error or refused\n"
	      "input, 3 cannot connect, 4 authentication failed or cancelled, 5 connection lost,\n"
	      "128+N ended by signal N.\n\n"
	      "More in torsh(1) (man torsh); at the prompt, /help lists tor's commands\n"
	      "and /help COMMAND explains one.\n", f);
}

/* libedit has no run-time version call: the Makefile passes the version
 * pkg-config reported at build time. OpenSSL names the one loaded. */
#ifndef TORSH_LIBEDIT_VERSION
#define TORSH_LIBEDIT_VERSION "(version unknown)"
#endif
static void version(FILE *f)
{
	fprintf(f, "torsh %s\nlibedit %s (built against)\n%s\n", TORSH_VERSION, TORSH_LIBEDIT_VERSION,
		OpenSSL_version(OPENSSL_VERSION));
}

static int parse_seconds(const char *opt, const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end != '\0' || d < 0 || d > 86400 * 365) {
		fprintf(stderr, "torsh: %s: expected a number of seconds, got '%s'\n", opt, v);
		return -1;
	}
	*out = d;
	return 0;
}

enum { OPT_COOKIE = 256, OPT_PWFILE, OPT_LINGER, OPT_LAUNCH, OPT_TOR, OPT_CTIMEOUT, OPT_TIMEOUT,
       OPT_RAW, OPT_NOCOLOR, OPT_COLOR, OPT_LIST, OPT_PRETTY, OPT_JSON, OPT_EXPLAIN, OPT_PLAIN_COOKIE,
       OPT_TOR_OPTION };

static int add_tor_option(struct options *o, char *opt)
{
	struct buf err = {0};
	if (tor_option_check(opt, &err) < 0) {
		fprintf(stderr, "torsh: %s", err.p);
		buf_free(&err);
		return -1;
	}
	if (o->ntor_opts == sizeof(o->tor_opts) / sizeof(o->tor_opts[0])) {
		fprintf(stderr, "torsh: at most %zu --tor-option\n", o->ntor_opts);
		return -1;
	}
	o->tor_opts[o->ntor_opts++] = opt;
	return 0;
}

static const struct option longopts[] = {
	{"socket", required_argument, NULL, 's'},
	{"interface", required_argument, NULL, 'i'},
	{"command", required_argument, NULL, 'c'},
	{"keep-going", no_argument, NULL, 'k'},
	{"yes", no_argument, NULL, 'y'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"cookie", required_argument, NULL, OPT_COOKIE},
	{"allow-plain-cookie", no_argument, NULL, OPT_PLAIN_COOKIE},
	{"password-file", required_argument, NULL, OPT_PWFILE},
	{"linger", required_argument, NULL, OPT_LINGER},
	{"launch", no_argument, NULL, OPT_LAUNCH},
	{"tor", required_argument, NULL, OPT_TOR},
	{"tor-option", required_argument, NULL, OPT_TOR_OPTION},
	{"connect-timeout", required_argument, NULL, OPT_CTIMEOUT},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"raw", no_argument, NULL, OPT_RAW},
	{"pretty", no_argument, NULL, OPT_PRETTY},
	{"json", no_argument, NULL, OPT_JSON},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"no-color", no_argument, NULL, OPT_NOCOLOR},
	{"color", no_argument, NULL, OPT_COLOR},
	{"list-commands", no_argument, NULL, OPT_LIST},
	{NULL, 0, NULL, 0},
};

/* One option as getopt_long returned it: 0, or -1 after saying why not. */
static int take_option(int c, char **argv, struct options *o)
{
	switch (c) {
	case 's': o->socket_path = optarg; break;
	case 'i': o->interface = optarg; break;
	case 'c':
		o->commands = realloc(o->commands, (o->ncommands + 1) * sizeof(char *));
		if (o->commands == NULL)
			return -1;
		o->commands[o->ncommands++] = optarg;
		break;
	case 'k': o->keep_going = true; break;
	case 'v': o->verbose = true; break;
	case 'h': usage(stdout); exit(EXIT_ALL_OK);
	case 'V': version(stdout); exit(EXIT_ALL_OK);
	case OPT_COOKIE: o->cookie = optarg; break;
	case OPT_PLAIN_COOKIE: o->allow_plain_cookie = true; break;
	case OPT_PWFILE: o->password_file = optarg; break;
	case OPT_LINGER: if (parse_seconds("--linger", optarg, &o->linger_s) < 0) return -1; break;
	case OPT_LAUNCH: o->launch = true; break;
	case OPT_TOR: o->tor_path = optarg; break;
	case OPT_TOR_OPTION:
		if (add_tor_option(o, optarg) < 0)
			return -1;
		break;
	case OPT_CTIMEOUT:
		if (parse_seconds("--connect-timeout", optarg, &o->connect_timeout_s) < 0)
			return -1;
		break;
	case OPT_TIMEOUT: if (parse_seconds("--timeout", optarg, &o->timeout_s) < 0) return -1; break;
	case OPT_RAW: o->fmt = FMT_RAW; break;
	case OPT_PRETTY: o->fmt = FMT_PRETTY; break;
	case OPT_JSON: o->fmt = FMT_JSON; break;
	case OPT_EXPLAIN: o->explain = true; break;
	case OPT_NOCOLOR: o->no_color = true; break;
	case OPT_COLOR: o->force_color = true; break;
	case 'y': o->yes = true; break;
	case OPT_LIST: list_commands(stdout); exit(EXIT_ALL_OK);
	case ':':
		fprintf(stderr, "torsh: option %s needs an argument\n", argv[optind - 1]);
		return -1;
	default:
		if (optopt)
			fprintf(stderr, "torsh: unknown option -%c (see torsh --help)\n", optopt);
		else
			fprintf(stderr, "torsh: unknown option %s (see torsh --help)\n", argv[optind - 1]);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:i:c:kyvhV", longopts, NULL)) != -1)
		if (take_option(c, argv, o) < 0)
			return -1;
	if (optind < argc) {
		fprintf(stderr, "torsh: unexpected argument '%s' (commands go in -c or on stdin; "
			"passwords never go on the command line)\n", argv[optind]);
		return -1;
	}
	int sources = (o->socket_path != NULL) + (o->interface != NULL) + o->launch;
	if (sources > 1) {
		fprintf(stderr, "torsh: --socket, --interface and --launch exclude each other\n");
		return -1;
	}
	if (o->ntor_opts > 0 && !o->launch) {
		fprintf(stderr, "torsh: --tor-option is for the tor --launch starts\n");
		return -1;
	}
	return 0;
}

static int read_password_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		buf_printf(out, BUF_NOLIMIT, "cannot read --password-file %s: %s\n", path, strerror(errno));
		return -1;
	}
	char chunk[512];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n, 65536);
	fclose(f);
	/* The conventional trailing newline of a text file is not part of it. */
	if (out->len && out->p[out->len - 1] == '\n')
		out->len--;
	if (out->len && out->p[out->len - 1] == '\r')
		out->len--;
	return 0;
}

static int prompt_password(struct buf *out)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct termios old, quiet;
	int have_tc = tcgetattr(fd, &old) == 0;
	if (have_tc) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	static const char ask[] = "tor control password: ";
	if (write(fd, ask, sizeof(ask) - 1) < 0) {
		/* nothing useful to do; the read below still works */
	}
	char c;
	ssize_t n;
	while ((n = read(fd, &c, 1)) == 1 && c != '\n')
		buf_putc(out, c, 65536);
	bool interrupted = n < 0 && errno == EINTR && stop_requested == SIGINT;
	if (have_tc)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	/* Ctrl-C (SIGINT interrupts the read) or Ctrl-D on an empty line:
	 * an answer to the question, not a request to end by the signal */
	if (interrupted || (n == 0 && out->len == 0)) {
		if (interrupted)
			stop_requested = 0;
		if (out->p)
			OPENSSL_cleanse(out->p, out->cap);
		buf_reset(out);
		return AUTH_PW_CANCELLED;
	}
	return n < 0 ? -1 : 0;
}

static int get_password(void *ud, struct buf *out)
{
	const struct options *o = ud;
	if (o->password_file)
		return read_password_file(o->password_file, out) < 0 ? -1 : 0;
	const char *env = getenv("TOR_CONTROL_PASSWD");
	if (env) {
		buf_append(out, env, strlen(env), 65536);
		return 0;
	}
	int rc = isatty(STDIN_FILENO) ? prompt_password(out) : -1;
	if (rc == 0 || rc == AUTH_PW_CANCELLED)
		return rc;
	buf_reset(out);
	buf_printf(out, BUF_NOLIMIT, "tor wants a password (HashedControlPassword): give it with "
		   "--password-file FILE or TOR_CONTROL_PASSWD\n");
	return -1;
}

/* What a reconnect needs: where, and how to authenticate. A password typed
 * at the prompt is kept (in memory only) so tor restarting does not ask
 * again. */
struct reconnector {
	struct options *o;
	struct endpoint ep;
	struct buf password;
};

static void forget_password(struct buf *b)
{
	if (b->p)
		memset(b->p, 0, b->cap);
	buf_free(b);
}

static int cached_password(void *ud, struct buf *out)
{
	struct reconnector *rc = ud;
	if (rc->password.len > 0) {
		buf_append(out, rc->password.p, rc->password.len, 65536);
		return 0;
	}
	int got = get_password(rc->o, out);
	if (got < 0)
		return got;
	buf_reset(&rc->password);
	buf_append(&rc->password, out->p, out->len, 65536);
	return 0;
}

/* The same for the first connection and every reconnect: the cookie file
 * is read afresh each time, so a restarted tor's new cookie works. */
static struct auth_opts auth_opts_for(struct reconnector *rc)
{
	return (struct auth_opts){
		.cookie_path = rc->o->cookie ? rc->o->cookie : getenv("TOR_CONTROL_COOKIE_AUTH_FILE"),
		.allow_plain_cookie = rc->o->allow_plain_cookie,
		.get_password = cached_password,
		.password_ud = rc,
		.endpoint = rc->ep.display,
		.plain_cookie_hint = " (--allow-plain-cookie sends it anyway)",
		.cookie_path_hint = " (use --cookie FILE)",
	};
}

/* auth.c's outcome as torsh's exit status: a lost connection is EXIT_LOST,
 * every other failure EXIT_AUTH. */
static enum exit_code auth_exit(enum auth_status st)
{
	switch (st) {
	case AUTH_OK:
		return EXIT_ALL_OK;
	case AUTH_LOST:
		return EXIT_LOST;
	case AUTH_REFUSED:
	case AUTH_UNUSABLE:
	case AUTH_BAD_PEER:
	case AUTH_CANCELLED:
		break;
	}
	return EXIT_AUTH;
}

static int reconnect(void *ud, struct session *s, struct buf *why)
{
	struct reconnector *rc = ud;
	char err[300];
	int fd = conn_open(&rc->ep, (int)(rc->o->connect_timeout_s * 1000), err, sizeof(err));
	if (fd < 0) {
		buf_printf(why, BUF_NOLIMIT, "%s", err);
		return -1;
	}
	session_reset(s, fd);
	struct auth_result ar;
	struct auth_opts ao = auth_opts_for(rc);
	int r = auth_run(&s->ctl, &ao, &ar) == AUTH_OK ? 0 : -1;
	if (r < 0)
		buf_printf(why, BUF_NOLIMIT, "%s", ar.msg.p ? ar.msg.p : "authentication failed");
	auth_result_free(&ar);
	return r;
}

/* A string as torsh shows it on a terminal, "?" when empty. tor's version
 * (banner, -v, prompt) is whatever answered PROTOCOLINFO chose to send;
 * in the prompt even the user's own endpoint name is escaped, as libedit
 * crashes on a prompt that is not valid UTF-8. */
static void shown(const char *raw, char *out, size_t n)
{
	struct buf b = {0};
	term_safe_append(&b, raw, strlen(raw), BUF_NOLIMIT);
	snprintf(out, n, "%s", b.p && b.len ? b.p : "?");
	buf_free(&b);
}

static int connect_endpoint(const struct options *o, const struct tor_proc *launched, struct endpoint *used)
{
	struct candidates cand = {0};
	char err[300];
	int rc = 0;
	if (launched)
		rc = endpoint_unix(launched->socket, &cand.ep[cand.n++], err, sizeof(err));
	else if (o->socket_path)
		rc = endpoint_unix(o->socket_path, &cand.ep[cand.n++], err, sizeof(err));
	else if (o->interface)
		rc = endpoint_parse_tcp(o->interface, &cand.ep[cand.n++], err, sizeof(err));
	else
		rc = candidates_default(&cand, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "torsh: %s\n", err);
		return -EXIT_USAGE;
	}
	struct buf report = {0};
	size_t idx = 0;
	int fd = conn_open_any(&cand, (int)(o->connect_timeout_s * 1000), &idx, &report);
	if (fd < 0) {
		fprintf(stderr, "torsh: cannot connect to tor; tried:\n%s", report.p ? report.p : "");
		if (!o->socket_path && !o->interface && !launched)
			fprintf(stderr, "torsh: name the control port with -s PATH or -i [ADDR:]PORT, "
				"or start a private tor with --launch\n");
		buf_free(&report);
		return -EXIT_CONNECT;
	}
	buf_free(&report);
	*used = cand.ep[idx];
	return fd;
}

/* Makes the launched tor exit with this control connection, as stem does:
 * ownership by connection, not by a PID that tor polls. */
static void take_ownership(struct session *s)
{
	static const char *const cmds[] = {"TAKEOWNERSHIP\r\n", "RESETCONF __OwningControllerProcess\r\n"};
	for (size_t i = 0; i < 2; i++) {
		struct tc_msg *m;
		if (ctl_request(&s->ctl, cmds[i], strlen(cmds[i]), &m, NULL, NULL) < 0 || !msg_ok(m))
			fprintf(stderr, "torsh: warning: %.*s failed; the launched tor is stopped by PID at exit\n",
				(int)strcspn(cmds[i], "\r"), cmds[i]);
	}
}

/* Every -c command a /help: answered without a tor, as the exit status;
 * -1 when some command needs tor. */
static int only_help(const struct options *o)
{
	bool only = o->ncommands > 0;
	for (size_t i = 0; i < o->ncommands && only; i++)
		only = local_needs_no_tor(o->commands[i], strlen(o->commands[i]));
	if (!only)
		return -1;
	int hrc = EXIT_ALL_OK;
	for (size_t i = 0; i < o->ncommands; i++) {
		struct buf err = {0};
		if (local_run_json(o->commands[i], strlen(o->commands[i]), stdout, &err, o->fmt == FMT_JSON) < 0) {
			fprintf(stderr, "torsh: %s\n", err.p);
			hrc = EXIT_USAGE;
		}
		buf_free(&err);
	}
	return hrc;
}

static void catch_stop_signals(void)
{
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* The interactive shell: banner, then the REPL under a prompt naming tor. */
static int run_shell(struct options *o, struct session *s, struct reconnector *recon, const struct auth_result *ar,
		     const char *version, const struct render_opts *ro)
{
	char display[6 * sizeof(recon->ep.display)], prompt[6 * sizeof(ar->pi.version) + sizeof(display) + 8];
	char place[sizeof(recon->ep.display)], place_shown[sizeof(display)];
	shown(recon->ep.display, display, sizeof(display));
	endpoint_short_name(&recon->ep, getenv("HOME"), place, sizeof(place));
	shown(o->launch ? "(launched)" : place, place_shown, sizeof(place_shown));
	snprintf(prompt, sizeof(prompt), "tor %s %s> ", version, place_shown);
	printf("torsh %s: connected to tor %s at %s (%s)%s\n", TORSH_VERSION, version, display,
	       auth_method_name(ar->used), o->launch ? ", a throwaway offline tor (DisableNetwork 1)" : "");
	printf("Type control commands (e.g. GETINFO version), /help for a list; Ctrl-D or QUIT leaves.\n");
	struct repl_opts ropt = {.render = *ro, .prompt = prompt, .yes = o->yes,
				 .reconnect = o->launch ? NULL : reconnect, .reconnect_ud = recon};
	return repl_run(s, &ropt, &stop_requested);
}

/* Authenticated: the shell on a terminal, else the script (-c or stdin). */
static int run_session(struct options *o, struct session *s, struct reconnector *recon,
		       const struct auth_result *ar, bool interactive)
{
	/* 64 bytes of version escape to at most 6 bytes each */
	char version[6 * sizeof(ar->pi.version)];
	shown(ar->pi.version, version, sizeof(version));
	if (o->verbose)
		fprintf(stderr, "torsh: connected to %s (tor %s), authenticated with %s\n", recon->ep.display,
			version, auth_method_name(ar->used));
	if (o->launch)
		take_ownership(s);
	bool out_tty = isatty(STDOUT_FILENO);
	struct render_opts ro = {
		.fmt = o->fmt >= 0 ? (enum out_format)o->fmt : out_tty ? FMT_PRETTY : FMT_RAW,
		.safe = out_tty,
		/* --color only widens where colour goes; saying no, by flag or
		 * by NO_COLOR, is never overridden */
		.color = (out_tty || o->force_color) && !o->no_color &&
			 (getenv("NO_COLOR") == NULL || getenv("NO_COLOR")[0] == '\0'),
		.explain = o->explain,
	};
	if (interactive)
		return run_shell(o, s, recon, ar, version, &ro);
	struct script_opts so = {
		.commands = o->commands, .ncommands = o->ncommands,
		.keep_going = o->keep_going, .linger_s = o->linger_s, .render = ro,
	};
	return script_run(s, &so, &stop_requested);
}

/* Connect (to the launched tor if there is one), authenticate, run. */
static int connect_and_run(struct options *o, const struct tor_proc *launched, bool interactive)
{
	struct endpoint ep;
	int fd = connect_endpoint(o, launched, &ep);
	if (fd < 0)
		return -fd;
	struct session s;
	ctl_init(&s.ctl, fd, CTL_DEFAULT_LIMIT, o->timeout_s * 1000 >= INT_MAX ? INT_MAX : (int)(o->timeout_s * 1000));
	s.ctl.stop = &stop_requested;
	session_init(&s, NULL, NULL, NULL);
	onion_watch_install(&s);

	struct reconnector recon = {.o = o, .ep = ep};
	struct auth_result ar;
	struct auth_opts ao = auth_opts_for(&recon);
	enum auth_status st = auth_run(&s.ctl, &ao, &ar);
	int rc = auth_exit(st);
	if (st == AUTH_CANCELLED)
		fputs("torsh: cancelled\n", stderr);
	else if (rc != EXIT_ALL_OK)
		fprintf(stderr, "torsh: %s: %s", ep.display, ar.msg.p ? ar.msg.p : "authentication failed\n");
	if (rc != EXIT_ALL_OK && o->verbose && ar.tor_said.len > 0)
		fprintf(stderr, "torsh: tor said: %s", ar.tor_said.p);
	if (rc == EXIT_ALL_OK)
		rc = run_session(o, &s, &recon, &ar, interactive);
	auth_result_free(&ar);
	session_free(&s);
	forget_password(&recon.password);
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "");
	struct options o = {.fmt = -1, .connect_timeout_s = 5, .timeout_s = 30};
	if (parse_args(argc, argv, &o) < 0) {
		free(o.commands);
		return EXIT_USAGE;
	}
	(void)secret_warn_exposed(o.commands, o.ncommands, o.password_file, stderr);
	/* /help needs no tor: answer it without connecting. */
	int rc = only_help(&o);
	if (rc < 0 && o.ncommands > 0) {
		struct script_opts pre = {.commands = o.commands, .ncommands = o.ncommands};
		if (script_precheck(&pre) != EXIT_ALL_OK)
			rc = EXIT_USAGE;
	}
	if (rc >= 0) {
		free(o.commands);
		return rc;
	}
	catch_stop_signals();

	const char *term = getenv("TERM");
	bool interactive = o.ncommands == 0 && isatty(STDIN_FILENO) && !(term && strcmp(term, "dumb") == 0);
	if (interactive && tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	/* A script's output in large writes, even to a terminal (where stdio
	 * would write each line): the script flushes whenever it waits for
	 * tor, so nothing shown is held back while more is not coming. */
	if (!interactive)
		setvbuf(stdout, NULL, _IOFBF, (size_t)64 << 10);

	struct tor_proc tor = {0};
	if (o.launch) {
		struct buf err = {0};
		struct tor_options topts = {.v = o.tor_opts, .n = o.ntor_opts};
		if (tor_launch(o.tor_path, &topts, 60000, &tor, &err) < 0) {
			fprintf(stderr, "torsh: --launch: %s", err.p ? err.p : "failed\n");
			buf_free(&err);
			free(o.commands);
			return EXIT_CONNECT;
		}
		buf_free(&err);
	}
	rc = connect_and_run(&o, o.launch ? &tor : NULL, interactive);
	if (o.launch)
		tor_reap(&tor, 5000);
	free(o.commands);
	if (stop_requested) {
		/* end as the signal would have: a shell loop sees it */
		signal(stop_requested, SIG_DFL);
		raise(stop_requested);
	}
	return rc;
}
