/* A descriptor captured from the private network (tests/unit/vectors)
 * decoded with and without its client key, and the SOCKS5 client of
 * /onion check against a scripted SOCKS server on a socketpair. */
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "onion.h"
#include "socks.h"
#include "tap.h"

static const char vec_addr[] = "bssl4tlb6lhguiypvieiqfeaczrcxzr66flkv56l4iwmaqr7ayfrlyad";
static const char vec_priv[] = "x25519:mEmmaDhY0EwqbCjEEzM+XzFWdh1VTPYS9Q980+wow2U=";

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = f ? malloc(60000) : NULL;
	*n = p ? fread(p, 1, 59999, f) : 0;
	if (p)
		p[*n] = '\0';
	if (f)
		fclose(f);
	return p;
}

static void captured(void)
{
	const char *dir = getenv("TORSH_UNIT_VECTORS");
	char path[512], msg[300], ls[300];
	uint8_t pk[32], key[1][32], wrong[1][32];
	size_t n;
	snprintf(path, sizeof(path), "%s/desc-clientauth.txt", dir ? dir : "tests/unit/vectors");
	char *text = slurp(path, &n);
	if (text == NULL) {
		SKIP("%s not found (run from the source tree)", path);
		return;
	}
	struct onion_desc *d = calloc(1, sizeof(*d));
	CHECK(onion_addr_parse(vec_addr, strlen(vec_addr), pk, msg, sizeof(msg)) == 0, "vector address valid");
	CHECK(onion_x25519_read(vec_priv, strlen(vec_priv), key[0], NULL, msg, sizeof(msg)) == 0, "vector key reads");
	CHECK(onion_desc_decode(text, n, pk, NULL, 0, d, msg, sizeof(msg)) == ONION_DESC_OK, "outer and middle layers: %s", msg);
	CHECK(d->lifetime == 180 && d->revision == 7200336, "lifetime %u, revision %llu", d->lifetime,
	      (unsigned long long)d->revision);
	CHECK(d->sig_ok, "signature and signing-key cert valid");
	CHECK(d->inner == ONION_INNER_AUTH_NEEDED, "without a key: client authorization needed");
	memset(wrong[0], 0x42, 32);
	CHECK(onion_desc_decode(text, n, pk, (const uint8_t(*)[32])wrong, 1, d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d->inner == ONION_INNER_AUTH_WRONG, "a wrong key: not among the authorized clients");
	CHECK(onion_desc_decode(text, n, pk, (const uint8_t(*)[32])key, 1, d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d->inner == ONION_INNER_OK && d->auth_used, "with the client key: the inner layer opens");
	CHECK(d->nintro == 3, "3 intro points (%zu)", d->nintro);
	onion_lspec_format(&d->intro[0].ls[0], ls, sizeof(ls));
	CHECK_STR(ls, "IPv4 127.0.0.1:51579", "intro point 1, first link specifier");
	onion_lspec_format(&d->intro[2].ls[1], ls, sizeof(ls));
	CHECK_STR(ls, "legacy-id $74319EF52711434B0300A47CE0C52C43A38FE68D", "intro point 3: auth1's fingerprint");
	/* another address's key cannot open it: the layer 1 MAC fails */
	onion_addr_parse("aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead", 56, pk, msg, sizeof(msg));
	CHECK(onion_desc_decode(text, n, pk, NULL, 0, d, msg, sizeof(msg)) != ONION_DESC_OK, "other address: %s", msg);
	free(d);
	free(text);
}

/* Runs the client against a server that answers `reply` after reading the
 * greeting and the request. */
static int socks_against(const uint8_t *reply, size_t rlen, struct socks *k, uint8_t *req, size_t *reqlen)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -9;
	memset(k, 0, sizeof(*k));
	k->fd = sv[0];
	k->reply = -1;
	k->state = SOCKS_GREETING;
	snprintf(k->host, sizeof(k->host), "%s.onion", vec_addr);
	k->port = 80;
	memcpy(k->out, "\x05\x01\x00", 3);
	k->olen = 3;
	int r = 0;
	bool greeted = false;
	for (int i = 0; i < 40 && r == 0; i++) {
		struct pollfd p = {.fd = k->fd, .events = socks_events(k)};
		poll(&p, 1, 100);
		r = socks_step(k, p.revents);
		if (!greeted && k->state == SOCKS_GREETING && k->osent == 3) {
			uint8_t g[3];
			greeted = read(sv[1], g, 3) == 3 && write(sv[1], "\x05\x00", 2) == 2;
		}
		if (k->state == SOCKS_REQUEST && k->osent == k->olen && k->olen > 3 && *reqlen == 0) {
			*reqlen = (size_t)read(sv[1], req, 300);
			if (write(sv[1], reply, rlen) != (ssize_t)rlen)
				break;
		}
	}
	close(sv[1]);
	socks_close(k);
	return r;
}

static void socks(void)
{
	struct socks k;
	uint8_t req[300];
	size_t reqlen = 0;
	static const uint8_t f0[] = {5, 0xF0, 0, 1, 0, 0, 0, 0, 0, 0};
	CHECK(socks_against(f0, sizeof(f0), &k, req, &reqlen) == -1 && k.reply == 0xF0, "F0 read as tor's extended code");
	CHECK_STR(socks_reply_text(k.reply), "F0 onion service descriptor not found", "F0's meaning");
	CHECK(reqlen == 7 + 62 && req[3] == 3 && req[4] == 62 && memcmp(req + 5, vec_addr, 56) == 0 && req[67] == 0 &&
		      req[68] == 80, "CONNECT with the onion name (type 3) and the port");
	static const uint8_t ok[] = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	reqlen = 0;
	CHECK(socks_against(ok, sizeof(ok), &k, req, &reqlen) == 1 && k.reply == 0, "00: connected");
	static const uint8_t f4[] = {5, 0xF4, 0, 1, 0, 0, 0, 0, 0, 0};
	reqlen = 0;
	CHECK(socks_against(f4, sizeof(f4), &k, req, &reqlen) == -1 && k.reply == 0xF4 &&
		      strstr(k.err, "client authorization missing"), "F4: %s", k.err);
	char l[100];
	CHECK(socks_first_listener("\"127.0.0.1:9050\" \"unix:/x\"", 26, l, sizeof(l)) == 0 && strcmp(l, "127.0.0.1:9050") == 0,
	      "first listener, unquoted");
	CHECK(socks_first_listener("", 0, l, sizeof(l)) < 0, "no listener");
	CHECK(socks_start(&k, "localhost:9050", 14, "x.onion", 80) < 0, "a listener must be an address");
	socks_close(&k);
}

int main(void)
{
	captured();
	socks();
	return tap_done();
}
