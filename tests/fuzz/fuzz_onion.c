/* libFuzzer target: the descriptor decoder on hostile input, at each
 * layer. A MAC stands before each inner layer, which random bytes never
 * pass: so the first byte picks where the input goes, and the layers
 * around it are encrypted here with the right keys (rend-spec-v3, as
 * onion.c decrypts them):
 *   0: the whole descriptor text (outer parser, certificate)
 *   1: the middle layer's plaintext (auth-client lines, ephemeral key)
 *   2: the inner layer's plaintext (intro points, link specifiers)
 *   3: the key and address readers and the upload state machine
 * Never a crash, a leak or an out-of-bounds read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pk[32], blinded[32], subcred[32], client[32];

static void setup(void)
{
	static int done;
	if (done++)
		return;
	uint8_t seed[32], esk[64];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i, client[i] = (uint8_t)(0x20 + i);
	onion_ed25519_expand_seed(seed, esk);
	onion_ed25519_public_from_expanded(esk, pk);
	onion_blind_pubkey(pk, 20089, 1440, blinded);
	onion_subcredential(pk, blinded, subcred);
}

static size_t object(char *out, size_t cap, const char *tag, const uint8_t *p, size_t n)
{
	size_t bcap = n * 4 / 3 + 8, o = 0;
	char *b = malloc(bcap);
	size_t bl = onion_b64_encode(p, n, true, b, bcap);
	o += (size_t)snprintf(out + o, cap - o, "-----BEGIN %s-----\n", tag);
	for (size_t i = 0; i < bl && o < cap; i += 64)
		o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)(bl - i < 64 ? bl - i : 64), b + i);
	if (o < cap)
		o += (size_t)snprintf(out + o, cap - o, "-----END %s-----\n", tag);
	free(b);
	return o < cap ? o : cap;
}

/* middle plaintext -> the whole descriptor */
static char *wrap_middle(const uint8_t *mid, size_t n, size_t *len)
{
	uint8_t cert[140] = {1, 8, 0, 0, 0x1d, 0x4c, 1}, salt[16] = {0}, *blob;
	size_t blen, cap = n * 2 + 4096, o;
	cert[39] = 1, cert[41] = 32, cert[42] = 4;
	memcpy(cert + 44, blinded, 32);
	if (onion_layer_encrypt(blinded, 32, subcred, 1, salt, mid, n, "hsdir-superencrypted-data", &blob, &blen) < 0)
		return NULL;
	char *d = malloc(cap);
	o = (size_t)snprintf(d, cap, "hs-descriptor 3\ndescriptor-lifetime 180\ndescriptor-signing-key-cert\n");
	o += object(d + o, cap - o, "ED25519 CERT", cert, sizeof(cert));
	o += (size_t)snprintf(d + o, cap - o, "revision-counter 1\nsuperencrypted\n");
	o += object(d + o, cap - o, "MESSAGE", blob, blen);
	free(blob);
	*len = o;
	return d;
}

/* inner plaintext -> middle plaintext, without client authorization */
static char *wrap_inner(const uint8_t *in, size_t n, size_t *len)
{
	uint8_t salt[16] = {1}, *blob;
	size_t blen, cap = n * 2 + 4096, o;
	if (onion_layer_encrypt(blinded, 32, subcred, 1, salt, in, n, "hsdir-encrypted-data", &blob, &blen) < 0)
		return NULL;
	char *m = malloc(cap);
	o = (size_t)snprintf(m, cap, "desc-auth-type x25519\ndesc-auth-ephemeral-key "
			     "OS0XSjizsb6vrx/oJIcIQcX6UxvG6v22QCwSRmRIjBw=\nencrypted\n");
	o += object(m + o, cap - o, "MESSAGE", blob, blen);
	free(blob);
	*len = o;
	return m;
}

static void decode(const char *t, size_t n)
{
	static struct onion_desc d;
	char msg[300];
	onion_desc_decode(t, n, pk, (const uint8_t(*)[32])client, 1, &d, msg, sizeof(msg));
	for (size_t i = 0; i < d.nintro; i++)
		for (size_t k = 0; k < d.intro[i].nls; k++)
			onion_lspec_format(&d.intro[i].ls[k], msg, sizeof(msg));
}

static void readers(const uint8_t *p, size_t n)
{
	char msg[300], addr[ONION_ADDR_LEN + 1];
	uint8_t k[32];
	struct onion_key key;
	struct onion_upload u;
	onion_addr_parse((const char *)p, n, k, msg, sizeof(msg));
	onion_key_read(p, n, &key, msg, sizeof(msg));
	onion_x25519_read((const char *)p, n, k, addr, msg, sizeof(msg));
	onion_upload_init(&u, "aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead");
	onion_upload_feed(&u, (const char *)p, n);
	onion_upload_summary(&u, msg, sizeof(msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 60000)
		return 0;
	setup();
	const uint8_t *p = data + 1;
	size_t n = size - 1, ml, dl;
	char *mid = NULL, *desc = NULL;
	switch (data[0] % 4) {
	case 0:
		decode((const char *)p, n);
		break;
	case 1:
		if ((desc = wrap_middle(p, n, &dl)) != NULL)
			decode(desc, dl);
		break;
	case 2:
		if ((mid = wrap_inner(p, n, &ml)) != NULL && (desc = wrap_middle((const uint8_t *)mid, ml, &dl)) != NULL)
			decode(desc, dl);
		break;
	default:
		readers(p, n);
	}
	free(mid);
	free(desc);
	return 0;
}
