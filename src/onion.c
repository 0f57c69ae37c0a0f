#include "onion.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* ---------------------------------------------------------------- encodings */

static const char b32_alpha[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t onion_b32_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
	size_t need = (n * 8 + 4) / 5;
	if (cap == 0 || need + 1 > cap)
		return 0;
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alpha[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32_alpha[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return o;
}

static int b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int onion_b32_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b32_value(s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	*outlen = o;
	return 0;
}

size_t onion_b64_encode(const uint8_t *in, size_t n, bool pad, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		size_t chars = left >= 3 ? 4 : left + 1;
		if (o + 4 + 1 > cap)
			return 0;
		for (size_t k = 0; k < chars; k++)
			out[o++] = b64_alpha[(v >> (18 - 6 * k)) & 63];
		for (size_t k = chars; pad && k < 4; k++)
			out[o++] = '=';
	}
	if (o + 1 > cap)
		return 0;
	out[o] = '\0';
	return o;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alpha, c) : NULL;
	return p ? (int)(p - b64_alpha) : -1;
}

int onion_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, chars = 0;
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		int v = b64_value(s[i]);
		if (v < 0)
			return -1;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (chars % 4 == 1)
		return -1;
	*outlen = o;
	return 0;
}

/* ------------------------------------------------------------------- hashes */

void onion_sha3_256(uint8_t out[32], const void *p, size_t n)
{
	unsigned int len = 32;
	EVP_Digest(p, n, out, &len, EVP_sha3_256(), NULL);
}

void onion_shake256(uint8_t *out, size_t outlen, const void *const *parts, const size_t *lens, size_t nparts)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_shake256(), NULL);
	for (size_t i = 0; i < nparts; i++)
		EVP_DigestUpdate(c, parts[i], lens[i]);
	EVP_DigestFinalXOF(c, out, outlen);
	EVP_MD_CTX_free(c);
}

static void sha3_parts(uint8_t out[32], const void *const *parts, const size_t *lens, size_t nparts)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int len = 32;
	EVP_DigestInit_ex(c, EVP_sha3_256(), NULL);
	for (size_t i = 0; i < nparts; i++)
		EVP_DigestUpdate(c, parts[i], lens[i]);
	EVP_DigestFinal_ex(c, out, &len);
	EVP_MD_CTX_free(c);
}

static void be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* ---------------------------------------------------------------- addresses */

static void addr_checksum(const uint8_t pk[32], uint8_t version, uint8_t out[2])
{
	uint8_t buf[15 + 32 + 1], md[32];
	memcpy(buf, ".onion checksum", 15);
	memcpy(buf + 15, pk, 32);
	buf[47] = version;
	onion_sha3_256(md, buf, sizeof(buf));
	out[0] = md[0];
	out[1] = md[1];
}

void onion_addr_from_pubkey(const uint8_t pk[32], char out[ONION_ADDR_LEN + 1])
{
	uint8_t raw[35];
	memcpy(raw, pk, 32);
	addr_checksum(pk, 3, raw + 32);
	raw[34] = 3;
	onion_b32_encode(raw, sizeof(raw), out, ONION_ADDR_LEN + 1);
}

/* 1 when the 56 characters are a valid v3 address (pk set), 0 when they
 * are base32 but not one, -1 when they are not base32. The checksum is
 * taken over the version byte as written, as tor does: a typo in the last
 * character changes only that byte and must read as a checksum mismatch. */
static int addr_check(const char *s, uint8_t pk[32])
{
	uint8_t raw[35], sum[2];
	size_t rl;
	if (onion_b32_decode(s, ONION_ADDR_LEN, raw, sizeof(raw), &rl) < 0 || rl != 35)
		return -1;
	addr_checksum(raw, raw[34], sum);
	if (sum[0] != raw[32] || sum[1] != raw[33] || raw[34] != 3)
		return 0;
	if (pk)
		memcpy(pk, raw, 32);
	return 1;
}

/* The one substitution that makes s valid: its position, or -1 for none
 * or several (a 16-bit checksum lets a few wrong ones through: only a
 * unique fix is worth suggesting). Positions: all, or only `only`. */
static int addr_fix(const char *s, int only, char *fixed)
{
	char t[ONION_ADDR_LEN + 1];
	int found = -1, count = 0;
	for (int i = 0; i < ONION_ADDR_LEN; i++) {
		if (only >= 0 && i != only)
			continue;
		for (int a = 0; a < 32; a++) {
			if (b32_alpha[a] == tolower((unsigned char)s[i]))
				continue;
			memcpy(t, s, ONION_ADDR_LEN);
			t[ONION_ADDR_LEN] = '\0';
			t[i] = b32_alpha[a];
			if (addr_check(t, NULL) == 1) {
				if (count++ == 0) {
					found = i;
					*fixed = b32_alpha[a];
				}
			}
		}
	}
	return count == 1 ? found : -1;
}

int onion_addr_bare(const char *s, size_t n, char out[ONION_ADDR_LEN + 1])
{
	if (n >= 7 && strncasecmp(s, "http://", 7) == 0) {
		s += 7;
		n -= 7;
	}
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (n >= 6 && strncasecmp(s + n - 6, ".onion", 6) == 0)
		n -= 6;
	/* a subdomain label, as tor's SOCKS strips it */
	if (n > ONION_ADDR_LEN && s[n - ONION_ADDR_LEN - 1] == '.') {
		s += n - ONION_ADDR_LEN;
		n = ONION_ADDR_LEN;
	}
	if (n != ONION_ADDR_LEN)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return 0;
}

static void addr_typo(const char *a, int only, char *msg, size_t cap, const char *what)
{
	char c;
	int at = addr_fix(a, only, &c);
	if (at < 0) {
		snprintf(msg, cap, "%s", what);
		return;
	}
	char fixed[ONION_ADDR_LEN + 1];
	memcpy(fixed, a, sizeof(fixed));
	fixed[at] = c;
	snprintf(msg, cap, "%s (character %d '%c' should probably be '%c': did you mean %s?)", what, at + 1, a[at], c,
		 fixed);
}

int onion_addr_parse(const char *s, size_t n, uint8_t pk[32], char *msg, size_t cap)
{
	char a[ONION_ADDR_LEN + 1];
	if (onion_addr_bare(s, n, a) < 0) {
		size_t core = n >= 6 && strncasecmp(s + n - 6, ".onion", 6) == 0 ? n - 6 : n;
		if (core == 16)
			snprintf(msg, cap, "a v2 address (16 characters): v2 onion services were removed in tor 0.4.6");
		else
			snprintf(msg, cap, "expected a v3 onion address (56 base32 characters), got %zu characters%s",
				 core, core == 55 ? " (one missing?)" : core == 57 ? " (one too many?)" : "");
		return -1;
	}
	int bad = -1, nbad = 0;
	for (int i = 0; i < ONION_ADDR_LEN; i++)
		if (b32_value(a[i]) < 0 && nbad++ == 0)
			bad = i;
	if (nbad > 0) {
		char what[120];
		snprintf(what, sizeof(what), "not base32 (a-z, 2-7): character %d is '%c'%s", bad + 1,
			 isprint((unsigned char)a[bad]) ? a[bad] : '?', nbad > 1 ? " (and others)" : "");
		if (nbad == 1)
			addr_typo(a, bad, msg, cap, what);
		else
			snprintf(msg, cap, "%s", what);
		return -1;
	}
	if (addr_check(a, pk) == 1)
		return 0;
	uint8_t raw[35], sum[2];
	size_t rl;
	onion_b32_decode(a, ONION_ADDR_LEN, raw, sizeof(raw), &rl);
	addr_checksum(raw, raw[34], sum);
	char what[160];
	if (sum[0] != raw[32] || sum[1] != raw[33])
		snprintf(what, sizeof(what), "checksum mismatch: probably a typo in '%s'", a);
	else
		snprintf(what, sizeof(what), "onion address version byte is %u, expected 3: probably a typo in '%s'",
			 raw[34], a);
	addr_typo(a, -1, msg, cap, what);
	return -1;
}

/* ------------------------------------------------------------------ ed25519 */

struct ed {
	BN_CTX *bn;
	BIGNUM *p, *d;
};
struct pt {
	BIGNUM *x, *y;
};

static int ed_init(struct ed *e)
{
	e->bn = BN_CTX_new();
	e->p = BN_new();
	e->d = BN_new();
	BIGNUM *t = BN_new();
	int ok = e->bn && e->p && e->d && t && BN_set_bit(e->p, 255) && BN_sub_word(e->p, 19) &&
		 BN_set_word(t, 121666) && BN_mod_inverse(t, t, e->p, e->bn) && BN_set_word(e->d, 121665) &&
		 BN_mod_mul(e->d, e->d, t, e->p, e->bn) && BN_sub(e->d, e->p, e->d);
	BN_free(t);
	return ok ? 0 : -1;
}

static void ed_free(struct ed *e)
{
	BN_CTX_free(e->bn);
	BN_free(e->p);
	BN_free(e->d);
}

static int pt_new(struct pt *q)
{
	q->x = BN_new();
	q->y = BN_new();
	return q->x && q->y ? 0 : -1;
}

static void pt_free(struct pt *q)
{
	BN_clear_free(q->x);
	BN_clear_free(q->y);
}

/* r = a + b (twisted Edwards, a = -1, affine); r may be a or b */
static int pt_add(struct ed *e, struct pt *r, const struct pt *a, const struct pt *b)
{
	BN_CTX_start(e->bn);
	BIGNUM *t = BN_CTX_get(e->bn), *u = BN_CTX_get(e->bn), *x = BN_CTX_get(e->bn);
	BIGNUM *y = BN_CTX_get(e->bn), *den = BN_CTX_get(e->bn);
	BIGNUM *one = BN_CTX_get(e->bn);
	int ok = den && BN_one(one) && BN_mod_mul(t, a->x, b->x, e->p, e->bn) && BN_mod_mul(u, a->y, b->y, e->p, e->bn) &&
		 /* y = (y1y2 + x1x2) / (1 - d x1x2y1y2) */
		 BN_mod_add(y, u, t, e->p, e->bn) && BN_mod_mul(t, t, u, e->p, e->bn) &&
		 BN_mod_mul(t, t, e->d, e->p, e->bn) && BN_mod_sub(den, one, t, e->p, e->bn) &&
		 BN_mod_inverse(den, den, e->p, e->bn) && BN_mod_mul(y, y, den, e->p, e->bn) &&
		 /* x = (x1y2 + x2y1) / (1 + d x1x2y1y2) */
		 BN_mod_mul(u, a->x, b->y, e->p, e->bn) && BN_mod_mul(x, b->x, a->y, e->p, e->bn) &&
		 BN_mod_add(x, x, u, e->p, e->bn) && BN_mod_add(den, one, t, e->p, e->bn) &&
		 BN_mod_inverse(den, den, e->p, e->bn) && BN_mod_mul(x, x, den, e->p, e->bn) && BN_copy(r->x, x) &&
		 BN_copy(r->y, y);
	BN_CTX_end(e->bn);
	return ok ? 0 : -1;
}

static int pt_decode(struct ed *e, const uint8_t in[32], struct pt *q)
{
	uint8_t b[32];
	memcpy(b, in, 32);
	int sign = b[31] >> 7;
	b[31] &= 0x7f;
	BN_CTX_start(e->bn);
	BIGNUM *u = BN_CTX_get(e->bn), *v = BN_CTX_get(e->bn);
	int ok = v && BN_lebin2bn(b, 32, q->y) && BN_cmp(q->y, e->p) < 0 && BN_mod_sqr(u, q->y, e->p, e->bn) &&
		 BN_mod_mul(v, u, e->d, e->p, e->bn) && BN_add_word(v, 1) && BN_mod(v, v, e->p, e->bn) &&
		 BN_mod_sub(u, u, BN_value_one(), e->p, e->bn) && BN_mod_inverse(v, v, e->p, e->bn) &&
		 BN_mod_mul(u, u, v, e->p, e->bn) && BN_mod_sqrt(q->x, u, e->p, e->bn) != NULL;
	if (ok && BN_is_zero(q->x) && sign)
		ok = 0;
	if (ok && BN_is_odd(q->x) != sign)
		ok = BN_sub(q->x, e->p, q->x);
	BN_CTX_end(e->bn);
	return ok ? 0 : -1;
}

static int pt_encode(const struct pt *q, uint8_t out[32])
{
	if (BN_bn2lebinpad(q->y, out, 32) != 32)
		return -1;
	if (BN_is_odd(q->x))
		out[31] |= 0x80;
	return 0;
}

/* r = k·a, double and add from the top bit */
static int pt_mult(struct ed *e, const uint8_t k[32], const struct pt *a, struct pt *r)
{
	BN_zero(r->x);
	if (!BN_one(r->y))
		return -1;
	for (int i = 255; i >= 0; i--) {
		if (pt_add(e, r, r, r) < 0)
			return -1;
		if (((k[i / 8] >> (i % 8)) & 1) && pt_add(e, r, r, a) < 0)
			return -1;
	}
	return 0;
}

int onion_ed25519_mult(const uint8_t scalar[32], const uint8_t point[32], uint8_t out[32])
{
	struct ed e;
	struct pt a = {0}, r = {0};
	int rc = -1;
	if (ed_init(&e) == 0 && pt_new(&a) == 0 && pt_new(&r) == 0 && pt_decode(&e, point, &a) == 0 &&
	    pt_mult(&e, scalar, &a, &r) == 0)
		rc = pt_encode(&r, out);
	pt_free(&a);
	pt_free(&r);
	ed_free(&e);
	return rc;
}

int onion_ed25519_public_from_expanded(const uint8_t esk[64], uint8_t pk[32])
{
	uint8_t base[32];
	memset(base, 0x66, sizeof(base));
	base[0] = 0x58;
	return onion_ed25519_mult(esk, base, pk);
}

void onion_ed25519_expand_seed(const uint8_t seed[32], uint8_t esk[64])
{
	unsigned int len = 64;
	EVP_Digest(seed, 32, esk, &len, EVP_sha512(), NULL);
	esk[0] &= 0xf8;
	esk[31] &= 0x3f;
	esk[31] |= 0x40;
}

uint64_t onion_time_period(uint64_t t, uint64_t len_min, uint64_t offset_min)
{
	uint64_t m = t / 60;
	return len_min == 0 || m < offset_min ? 0 : (m - offset_min) / len_min;
}

int onion_blind_pubkey(const uint8_t pk[32], uint64_t period, uint64_t period_len, uint8_t out[32])
{
	static const char str[] = "Derive temporary signing key";
	static const char basepoint[] =
		"(15112221349535400772501151409588531511454012693041857206046113283949847762202, "
		"46316835694926478169428394003475163141307993866256225615783033603165251855960)";
	uint8_t nums[16], h[32];
	be64(nums, period);
	be64(nums + 8, period_len);
	const void *parts[] = {str, pk, basepoint, "key-blind", nums};
	const size_t lens[] = {sizeof(str), 32, sizeof(basepoint) - 1, 9, 16};
	sha3_parts(h, parts, lens, 5);
	h[0] &= 248;
	h[31] &= 63;
	h[31] |= 64;
	return onion_ed25519_mult(h, pk, out);
}

void onion_subcredential(const uint8_t pk[32], const uint8_t blinded[32], uint8_t out[32])
{
	uint8_t cred[32];
	const void *p1[] = {"credential", pk};
	const size_t l1[] = {10, 32};
	sha3_parts(cred, p1, l1, 2);
	const void *p2[] = {"subcredential", cred, blinded};
	const size_t l2[] = {13, 32, 32};
	sha3_parts(out, p2, l2, 3);
}

/* ---------------------------------------------------------- key files, forms */

static const char secret_tag[] = "== ed25519v1-secret: type0 ==";
static const char public_tag[] = "== ed25519v1-public: type0 ==";

/* tor's 32-byte header: the tag, then NULs */
static bool has_header(const uint8_t *p, size_t n, const char *tag, size_t keylen)
{
	size_t t = strlen(tag);
	if (n != 32 + keylen || memcmp(p, tag, t) != 0)
		return false;
	for (size_t i = t; i < 32; i++)
		if (p[i] != 0)
			return false;
	return true;
}

void onion_key_secret_file(const uint8_t esk[64], uint8_t out[96])
{
	memset(out, 0, 32);
	memcpy(out, secret_tag, strlen(secret_tag));
	memcpy(out + 32, esk, 64);
}

void onion_key_public_file(const uint8_t pk[32], uint8_t out[64])
{
	memset(out, 0, 32);
	memcpy(out, public_tag, strlen(public_tag));
	memcpy(out + 32, pk, 32);
}

void onion_key_add_onion_form(const uint8_t esk[64], char out[100])
{
	memcpy(out, "ED25519-V3:", 11);
	onion_b64_encode(esk, 64, true, out + 11, 89);
}

void onion_key_wipe(struct onion_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

static int key_secret(const uint8_t esk[64], struct onion_key *k, char *msg, size_t cap)
{
	k->kind = ONION_KEY_SECRET;
	memcpy(k->esk, esk, 64);
	if (onion_ed25519_public_from_expanded(esk, k->pk) < 0) {
		snprintf(msg, cap, "the secret key gives no public key");
		return -1;
	}
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A key given as text: ED25519-V3:, an address, base32 or base64. */
static int key_text(const char *s, size_t n, struct onion_key *k, char *msg, size_t cap)
{
	uint8_t raw[80];
	size_t rl;
	int rc = -1;
	trim(&s, &n);
	if (n > 11 && strncasecmp(s, "ED25519-V3:", 11) == 0) {
		if (onion_b64_decode(s + 11, n - 11, raw, sizeof(raw), &rl) < 0 || rl != 64)
			snprintf(msg, cap, "ED25519-V3: expected base64 of the 64-byte expanded key");
		else
			rc = key_secret(raw, k, msg, cap);
	} else if (onion_addr_bare(s, n, (char[ONION_ADDR_LEN + 1]){0}) == 0) {
		k->kind = ONION_KEY_PUBLIC;
		rc = onion_addr_parse(s, n, k->pk, msg, cap);
	} else if (n == ONION_B32_KEY_LEN && onion_b32_decode(s, n, raw, sizeof(raw), &rl) == 0 && rl == 32) {
		k->kind = ONION_KEY_PUBLIC;
		memcpy(k->pk, raw, 32);
		rc = 0;
	} else if (onion_b64_decode(s, n, raw, sizeof(raw), &rl) == 0 && (rl == 32 || rl == 64)) {
		if (rl == 64)
			rc = key_secret(raw, k, msg, cap);
		else {
			k->kind = ONION_KEY_PUBLIC;
			memcpy(k->pk, raw, 32);
			rc = 0;
		}
	} else {
		snprintf(msg, cap, "not a key: expected tor's hs_ed25519_public_key or hs_ed25519_secret_key file, "
			 "ED25519-V3:<base64>, an onion address, or a public key in base32 (52) or base64 (43/44)");
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	return rc;
}

int onion_key_read(const uint8_t *p, size_t n, struct onion_key *k, char *msg, size_t cap)
{
	memset(k, 0, sizeof(*k));
	if (has_header(p, n, secret_tag, 64))
		return key_secret(p + 32, k, msg, cap);
	if (has_header(p, n, public_tag, 32)) {
		k->kind = ONION_KEY_PUBLIC;
		memcpy(k->pk, p + 32, 32);
		return 0;
	}
	if (n >= 3 && memcmp(p, "== ", 3) == 0) {
		snprintf(msg, cap, "a tor key file, but not an ed25519v1 type0 key of the right size");
		return -1;
	}
	if (memchr(p, 0, n) != NULL || n > 4096) {
		snprintf(msg, cap, "not a key: binary data that is not a tor key file");
		return -1;
	}
	int rc = key_text((const char *)p, n, k, msg, cap);
	if (rc < 0)
		k->kind = ONION_KEY_NONE;
	return rc;
}

/* ------------------------------------------------------------------- x25519 */

int onion_x25519_public(const uint8_t priv[32], uint8_t pub[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	size_t len = 32;
	int rc = k && EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == 32 ? 0 : -1;
	EVP_PKEY_free(k);
	return rc;
}

int onion_x25519_generate(struct onion_x25519 *k)
{
	if (RAND_bytes(k->priv, 32) != 1)
		return -1;
	k->priv[0] &= 248;
	k->priv[31] &= 127;
	k->priv[31] |= 64;
	return onion_x25519_public(k->priv, k->pub);
}

int onion_x25519_shared(const uint8_t priv[32], const uint8_t peer[32], uint8_t out[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, 32);
	EVP_PKEY_CTX *c = k && pk ? EVP_PKEY_CTX_new(k, NULL) : NULL;
	size_t len = 32;
	int rc = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, pk) == 1 &&
				 EVP_PKEY_derive(c, out, &len) == 1 && len == 32
			 ? 0
			 : -1;
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(k);
	EVP_PKEY_free(pk);
	return rc;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && strncasecmp(s, p, k) == 0;
}

static int x25519_bytes(const char *s, size_t n, bool b32, uint8_t key[32], char *msg, size_t cap)
{
	uint8_t raw[64];
	size_t rl;
	int rc = b32 ? onion_b32_decode(s, n, raw, sizeof(raw), &rl) : onion_b64_decode(s, n, raw, sizeof(raw), &rl);
	if (rc < 0 || rl != 32 || (b32 && n != ONION_B32_KEY_LEN)) {
		snprintf(msg, cap, "expected a 32-byte x25519 key in %s", b32 ? "base32 (52 characters)" : "base64 (43 or 44 characters)");
		rc = -1;
	} else {
		memcpy(key, raw, 32);
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	return rc;
}

int onion_x25519_read(const char *s, size_t n, uint8_t key[32], char addr[ONION_ADDR_LEN + 1], char *msg, size_t cap)
{
	static const char desc[] = "descriptor:x25519:";
	if (addr)
		addr[0] = '\0';
	trim(&s, &n);
	const char *colon = memchr(s, ':', n);
	if (colon && (size_t)(colon - s) >= ONION_ADDR_LEN && prefix_ci(colon + 1, n - (size_t)(colon - s) - 1, desc)) {
		size_t al = (size_t)(colon - s);
		if (onion_addr_parse(s, al, NULL, msg, cap) < 0)
			return -1;
		if (addr)
			onion_addr_bare(s, al, addr);
		n -= al + 1;
		s = colon + 1;
	}
	if (prefix_ci(s, n, desc))
		return x25519_bytes(s + strlen(desc), n - strlen(desc), true, key, msg, cap);
	if (prefix_ci(s, n, "x25519:"))
		return x25519_bytes(s + 7, n - 7, false, key, msg, cap);
	if (n == ONION_B32_KEY_LEN)
		return x25519_bytes(s, n, true, key, msg, cap);
	if (n == 43 || n == 44)
		return x25519_bytes(s, n, false, key, msg, cap);
	snprintf(msg, cap, "expected an x25519 key: x25519:<base64>, base64 (43/44 characters), base32 (52), "
		 "descriptor:x25519:<base32> or an .auth_private line; got %zu characters", n);
	return -1;
}

/* ------------------------------------------------------------ layer crypto */

static int aes_ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in, size_t n, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, rc = -1;
	if (n > (size_t)INT32_MAX)
		n = 0;
	if (c && EVP_EncryptInit_ex(c, EVP_aes_256_ctr(), NULL, key, iv) == 1 &&
	    (n == 0 || EVP_EncryptUpdate(c, out, &len, in, (int)n) == 1))
		rc = 0;
	EVP_CIPHER_CTX_free(c);
	return rc;
}

static void layer_keys(const uint8_t *secret, size_t slen, const uint8_t subcred[32], uint64_t revision,
		       const uint8_t salt[16], const char *constant, uint8_t keys[80])
{
	uint8_t rev[8];
	be64(rev, revision);
	const void *parts[] = {secret, subcred, rev, salt, constant};
	const size_t lens[] = {slen, 32, 8, 16, strlen(constant)};
	onion_shake256(keys, 80, parts, lens, 5);
}

static void layer_mac(const uint8_t mac_key[32], const uint8_t salt[16], const uint8_t *ct, size_t n, uint8_t out[32])
{
	uint8_t l32[8], l16[8];
	be64(l32, 32);
	be64(l16, 16);
	const void *parts[] = {l32, mac_key, l16, salt, ct};
	const size_t lens[] = {8, 32, 8, 16, n};
	sha3_parts(out, parts, lens, 5);
}

int onion_layer_decrypt(const uint8_t *secret, size_t slen, const uint8_t subcred[32], uint64_t revision,
			const uint8_t *blob, size_t blen, const char *constant, char **pt, size_t *ptlen)
{
	uint8_t keys[80], mac[32];
	*pt = NULL;
	*ptlen = 0;
	if (blen <= 48)
		return -1;
	size_t n = blen - 48;
	const uint8_t *salt = blob, *ct = blob + 16, *want = blob + blen - 32;
	layer_keys(secret, slen, subcred, revision, salt, constant, keys);
	layer_mac(keys + 48, salt, ct, n, mac);
	if (CRYPTO_memcmp(mac, want, 32) != 0) {
		OPENSSL_cleanse(keys, sizeof(keys));
		return -2;
	}
	char *out = malloc(n + 1);
	int rc = out && aes_ctr(keys, keys + 32, ct, n, (uint8_t *)out) == 0 ? 0 : -1;
	OPENSSL_cleanse(keys, sizeof(keys));
	if (rc < 0) {
		free(out);
		return -1;
	}
	out[n] = '\0';
	*ptlen = strlen(out);
	if (*ptlen == 0) {
		free(out);
		return -1;
	}
	*pt = out;
	return 0;
}

int onion_layer_encrypt(const uint8_t *secret, size_t slen, const uint8_t subcred[32], uint64_t revision,
			const uint8_t salt[16], const uint8_t *pt, size_t ptlen, const char *constant, uint8_t **blob,
			size_t *blen)
{
	uint8_t keys[80];
	uint8_t *out = malloc(ptlen + 48);
	if (out == NULL)
		return -1;
	memcpy(out, salt, 16);
	layer_keys(secret, slen, subcred, revision, salt, constant, keys);
	int rc = aes_ctr(keys, keys + 32, pt, ptlen, out + 16);
	layer_mac(keys + 48, salt, out + 16, ptlen, out + 16 + ptlen);
	OPENSSL_cleanse(keys, sizeof(keys));
	if (rc < 0) {
		free(out);
		return -1;
	}
	*blob = out;
	*blen = ptlen + 48;
	return 0;
}

/* --------------------------------------------------------- link specifiers */

int onion_lspec_parse(const uint8_t *p, size_t n, struct onion_lspec *ls, size_t max, size_t *nls)
{
	*nls = 0;
	if (n < 1)
		return -1;
	size_t count = p[0], at = 1;
	for (size_t i = 0; i < count; i++) {
		if (at + 2 > n || at + 2 + p[at + 1] > n || i >= max)
			return -1;
		ls[i].type = p[at];
		ls[i].len = p[at + 1];
		memcpy(ls[i].data, p + at + 2, ls[i].len);
		at += 2 + (size_t)ls[i].len;
		*nls = i + 1;
	}
	return 0;
}

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
	static const char d[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < n && o + 3 <= cap; i++) {
		out[o++] = d[p[i] >> 4];
		out[o++] = d[p[i] & 15];
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
}

void onion_lspec_format(const struct onion_lspec *l, char *out, size_t cap)
{
	const uint8_t *d = l->data;
	char h[520];
	if (l->type == 0 && l->len == 6) {
		snprintf(out, cap, "IPv4 %u.%u.%u.%u:%u", d[0], d[1], d[2], d[3], (unsigned)(d[4] << 8 | d[5]));
	} else if (l->type == 1 && l->len == 18) {
		char a[INET6_ADDRSTRLEN];
		if (inet_ntop(AF_INET6, d, a, sizeof(a)) == NULL)
			snprintf(a, sizeof(a), "?");
		snprintf(out, cap, "IPv6 [%s]:%u", a, (unsigned)(d[16] << 8 | d[17]));
	} else if (l->type == 2 && l->len == 20) {
		hex(d, 20, h, sizeof(h));
		snprintf(out, cap, "legacy-id $%s", h);
	} else if (l->type == 3 && l->len == 32) {
		onion_b64_encode(d, 32, false, h, sizeof(h));
		snprintf(out, cap, "ed25519-id %s", h);
	} else {
		hex(d, l->len, h, sizeof(h));
		snprintf(out, cap, "type %u (%u bytes) %s", l->type, l->len, h);
	}
}

/* -------------------------------------------------------------- documents */

/* One keyword line and the object after it, if any. */
struct item {
	const char *kw, *args, *obj; /* obj: the base64 between BEGIN and END */
	size_t kwlen, alen, olen;
	const char *line;            /* where the keyword line starts */
};

static bool next_line(const char **pos, const char *end, const char **l, size_t *n)
{
	if (*pos >= end)
		return false;
	const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
	*l = *pos;
	*n = nl ? (size_t)(nl - *pos) : (size_t)(end - *pos);
	*pos = nl ? nl + 1 : end;
	return true;
}

/* 1 with an item, 0 at the end, -1 an object without its END line */
static int next_item(const char **pos, const char *end, struct item *it)
{
	const char *l;
	size_t n;
	memset(it, 0, sizeof(*it));
	do {
		if (!next_line(pos, end, &l, &n))
			return 0;
	} while (n == 0);
	it->line = l;
	size_t k = 0;
	while (k < n && l[k] != ' ')
		k++;
	it->kw = l;
	it->kwlen = k;
	it->args = k < n ? l + k + 1 : l + n;
	it->alen = k < n ? n - k - 1 : 0;
	const char *save = *pos;
	if (!next_line(pos, end, &l, &n) || n < 11 || memcmp(l, "-----BEGIN ", 11) != 0) {
		*pos = save;
		return 1;
	}
	it->obj = *pos;
	while (next_line(pos, end, &l, &n)) {
		if (n >= 9 && memcmp(l, "-----END ", 9) == 0) {
			it->olen = (size_t)(l - it->obj);
			return 1;
		}
	}
	return -1;
}

static bool kw_is(const struct item *it, const char *kw)
{
	return it->kwlen == strlen(kw) && memcmp(it->kw, kw, it->kwlen) == 0;
}

/* The n-th (0-based) space-separated argument. */
static bool arg_at(const struct item *it, size_t idx, const char **a, size_t *n)
{
	const char *p = it->args, *end = it->args + it->alen;
	for (size_t i = 0;; i++) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return false;
		const char *s = p;
		while (p < end && *p != ' ')
			p++;
		if (i == idx) {
			*a = s;
			*n = (size_t)(p - s);
			return true;
		}
	}
}

static bool arg_u64(const struct item *it, size_t idx, uint64_t *v)
{
	const char *a;
	size_t n;
	if (!arg_at(it, idx, &a, &n) || n == 0 || n > 20)
		return false;
	uint64_t r = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)a[i]) || r > (UINT64_MAX - 9) / 10)
			return false;
		r = r * 10 + (uint64_t)(a[i] - '0');
	}
	*v = r;
	return true;
}

static bool arg_b64(const struct item *it, size_t idx, uint8_t *out, size_t want)
{
	const char *a;
	size_t n, got;
	uint8_t tmp[64];
	if (!arg_at(it, idx, &a, &n) || want > sizeof(tmp) || onion_b64_decode(a, n, tmp, sizeof(tmp), &got) < 0 ||
	    got != want)
		return false;
	memcpy(out, tmp, want);
	return true;
}

static void arg_copy(const struct item *it, char *out, size_t cap)
{
	size_t n = it->alen < cap - 1 ? it->alen : cap - 1;
	memcpy(out, it->args, n);
	out[n] = '\0';
}

/* The object's bytes, malloc'd. */
static uint8_t *obj_bytes(const struct item *it, size_t *n)
{
	uint8_t *b = it->obj ? malloc(it->olen * 3 / 4 + 4) : NULL;
	if (b && onion_b64_decode(it->obj, it->olen, b, it->olen * 3 / 4 + 4, n) == 0)
		return b;
	free(b);
	return NULL;
}

/* ------------------------------------------------------------ certificates */

static bool ed25519_verify(const uint8_t pk[32], const uint8_t sig[64], const void *msg, size_t n)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = k && c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
		  EVP_DigestVerify(c, sig, 64, msg, n) == 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

/* cert-spec: the certified key, the signing key (extension 04) and
 * whether the signature by that key holds. -1 when it does not parse. */
static int cert_parse(const uint8_t *c, size_t n, uint8_t certified[32], uint8_t signer[32], uint32_t *expiry,
		      bool *sig_ok)
{
	if (n < 40 + 64 || c[0] != 1)
		return -1;
	*expiry = (uint32_t)c[2] << 24 | (uint32_t)c[3] << 16 | (uint32_t)c[4] << 8 | c[5];
	memcpy(certified, c + 7, 32);
	size_t at = 40, next = c[39];
	bool have = false;
	for (size_t i = 0; i < next; i++) {
		if (at + 4 > n - 64)
			return -1;
		size_t len = (size_t)c[at] << 8 | c[at + 1];
		if (at + 4 + len > n - 64)
			return -1;
		if (c[at + 2] == 4 && len == 32) {
			memcpy(signer, c + at + 4, 32);
			have = true;
		}
		at += 4 + len;
	}
	if (!have || at != n - 64)
		return -1;
	*sig_ok = ed25519_verify(signer, c + at, c, at);
	return 0;
}

/* -------------------------------------------------------------- descriptor */

static const char sig_prefix[] = "Tor onion service descriptor sig v3";

struct outer {
	uint8_t *super;        /* the superencrypted blob */
	size_t superlen;
	const char *sigline;   /* where "signature " starts */
	uint8_t sig[64];
	bool has_sig, has_rev;
};

static int outer_item(const struct item *it, struct onion_desc *d, struct outer *o, char *msg, size_t cap)
{
	uint64_t v;
	if (kw_is(it, "descriptor-lifetime") && arg_u64(it, 0, &v) && v <= 720 * 60) {
		d->lifetime = (unsigned)v;
	} else if (kw_is(it, "descriptor-signing-key-cert")) {
		size_t cl;
		uint8_t *c = obj_bytes(it, &cl);
		bool ok = false;
		if (c == NULL || cert_parse(c, cl, d->signing_key, d->blinded, &d->cert_expiry_hours, &ok) < 0) {
			free(c);
			snprintf(msg, cap, "descriptor-signing-key-cert does not parse");
			return -1;
		}
		free(c);
		d->has_cert = true;
		d->sig_ok = ok;
	} else if (kw_is(it, "revision-counter") && arg_u64(it, 0, &d->revision)) {
		o->has_rev = true;
	} else if (kw_is(it, "superencrypted") && o->super == NULL) {
		o->super = obj_bytes(it, &o->superlen);
	} else if (kw_is(it, "signature") && arg_b64(it, 0, o->sig, 64)) {
		o->sigline = it->line;
		o->has_sig = true;
	}
	return 0;
}

static int outer_parse(const char *t, size_t n, struct onion_desc *d, struct outer *o, char *msg, size_t cap)
{
	const char *pos = t, *end = t + n;
	struct item it;
	uint64_t v;
	int r = next_item(&pos, end, &it);
	if (r != 1 || !kw_is(&it, "hs-descriptor") || !arg_u64(&it, 0, &v) || v != 3) {
		snprintf(msg, cap, "not a v3 onion service descriptor (no \"hs-descriptor 3\" first line)");
		return -1;
	}
	d->version = 3;
	while ((r = next_item(&pos, end, &it)) == 1)
		if (outer_item(&it, d, o, msg, cap) < 0)
			return -1;
	if (r < 0 || !d->has_cert || !o->has_rev || o->super == NULL) {
		snprintf(msg, cap, "descriptor lacks %s", r < 0 ? "the END of an object" : !d->has_cert ? "its signing-key certificate"
			 : !o->has_rev ? "revision-counter" : "a readable superencrypted section");
		return -1;
	}
	if (d->sig_ok && o->has_sig) {
		size_t sl = (size_t)(o->sigline - t), pl = sizeof(sig_prefix) - 1;
		char *signed_part = malloc(pl + sl);
		if (signed_part) {
			memcpy(signed_part, sig_prefix, pl);
			memcpy(signed_part + pl, t, sl);
			d->sig_ok = ed25519_verify(d->signing_key, o->sig, signed_part, pl + sl);
			free(signed_part);
		} else {
			d->sig_ok = false;
		}
	} else {
		d->sig_ok = false;
	}
	return 0;
}

struct middle {
	uint8_t eph[32];
	bool has_eph;
	uint8_t *enc;
	size_t enclen;
	const char *text;
	size_t n;
};

static int middle_parse(const char *t, size_t n, struct onion_desc *d, struct middle *m)
{
	const char *pos = t, *end = t + n;
	struct item it;
	int r;
	m->text = t;
	m->n = n;
	while ((r = next_item(&pos, end, &it)) == 1) {
		if (kw_is(&it, "desc-auth-type"))
			arg_copy(&it, d->auth_type, sizeof(d->auth_type));
		else if (kw_is(&it, "desc-auth-ephemeral-key"))
			m->has_eph = arg_b64(&it, 0, m->eph, 32);
		else if (kw_is(&it, "auth-client"))
			d->n_auth_clients++;
		else if (kw_is(&it, "encrypted") && m->enc == NULL)
			m->enc = obj_bytes(&it, &m->enclen);
	}
	return r < 0 || m->enc == NULL ? -1 : 0;
}

/* The descriptor cookie for client key `key`: 0 with it, -1 when no
 * auth-client line is this client's. */
static int find_cookie(const struct middle *m, const uint8_t subcred[32], const uint8_t key[32], uint8_t cookie[16])
{
	uint8_t ss[32], k[40];
	if (!m->has_eph || onion_x25519_shared(key, m->eph, ss) < 0)
		return -1;
	const void *parts[] = {subcred, ss};
	const size_t lens[] = {32, 32};
	onion_shake256(k, sizeof(k), parts, lens, 2);
	const char *pos = m->text, *end = m->text + m->n;
	struct item it;
	int rc = -1;
	while (rc < 0 && next_item(&pos, end, &it) == 1) {
		uint8_t id[8], iv[16], enc[16];
		if (!kw_is(&it, "auth-client") || !arg_b64(&it, 0, id, 8) || !arg_b64(&it, 1, iv, 16) ||
		    !arg_b64(&it, 2, enc, 16) || CRYPTO_memcmp(id, k, 8) != 0)
			continue;
		rc = aes_ctr(k + 8, iv, enc, 16, cookie);
	}
	OPENSSL_cleanse(ss, sizeof(ss));
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}

static void intro_item(const struct item *it, struct onion_intro *ip)
{
	const char *a;
	size_t n;
	if (kw_is(it, "onion-key") && arg_at(it, 0, &a, &n) && n == 4 && memcmp(a, "ntor", 4) == 0)
		ip->has_onion_key = arg_b64(it, 1, ip->onion_key, 32);
	else if (kw_is(it, "enc-key") && arg_at(it, 0, &a, &n) && n == 4 && memcmp(a, "ntor", 4) == 0)
		ip->has_enc_key = arg_b64(it, 1, ip->enc_key, 32);
	else if (kw_is(it, "auth-key") && it->obj)
		ip->has_auth_key = true;
}

static void intro_start(const struct item *it, struct onion_desc *d)
{
	if (d->nintro >= ONION_MAX_INTRO) {
		d->intro_skipped++;
		return;
	}
	struct onion_intro *ip = &d->intro[d->nintro++];
	const char *a;
	size_t n, got;
	uint8_t *raw = NULL;
	if (arg_at(it, 0, &a, &n) && (raw = malloc(n * 3 / 4 + 4)) != NULL &&
	    onion_b64_decode(a, n, raw, n * 3 / 4 + 4, &got) == 0 &&
	    onion_lspec_parse(raw, got, ip->ls, ONION_MAX_LSPEC, &ip->nls) == 0) {
		free(raw);
		return;
	}
	free(raw);
	ip->bad_lspec = true;
}

static int inner_parse(const char *t, size_t n, struct onion_desc *d)
{
	const char *pos = t, *end = t + n;
	struct item it;
	int r;
	bool in_intro = false;
	while ((r = next_item(&pos, end, &it)) == 1) {
		if (kw_is(&it, "introduction-point")) {
			in_intro = d->nintro < ONION_MAX_INTRO;
			intro_start(&it, d);
		} else if (in_intro) {
			intro_item(&it, &d->intro[d->nintro - 1]);
		} else if (kw_is(&it, "create2-formats")) {
			arg_copy(&it, d->create2, sizeof(d->create2));
		} else if (kw_is(&it, "intro-auth-required")) {
			arg_copy(&it, d->intro_auth, sizeof(d->intro_auth));
		} else if (kw_is(&it, "single-onion-service")) {
			d->single_onion = true;
		} else if (kw_is(&it, "flow-control")) {
			arg_copy(&it, d->flow_control, sizeof(d->flow_control));
		} else if (kw_is(&it, "pow-params")) {
			arg_copy(&it, d->pow, sizeof(d->pow));
		}
	}
	return r < 0 || d->create2[0] == '\0' ? -1 : 0;
}

/* The inner layer: without client authorization, else with each key. */
static int inner_decrypt(struct onion_desc *d, const struct middle *m, const uint8_t subcred[32],
			 const uint8_t (*keys)[32], size_t nkeys, char **pt, size_t *ptlen)
{
	static const char constant[] = "hsdir-encrypted-data";
	uint8_t secret[48];
	memcpy(secret, d->blinded, 32);
	int rc = onion_layer_decrypt(secret, 32, subcred, d->revision, m->enc, m->enclen, constant, pt, ptlen);
	if (rc != -2)
		return rc;
	for (size_t i = 0; i < nkeys; i++) {
		if (find_cookie(m, subcred, keys[i], secret + 32) < 0)
			continue;
		rc = onion_layer_decrypt(secret, 48, subcred, d->revision, m->enc, m->enclen, constant, pt, ptlen);
		if (rc != -2) {
			d->auth_used = true;
			break;
		}
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	return rc == -2 ? -2 : rc;
}

static void desc_inner(struct onion_desc *d, const struct middle *m, const uint8_t subcred[32],
		       const uint8_t (*keys)[32], size_t nkeys)
{
	char *pt = NULL;
	size_t ptlen = 0;
	int rc = inner_decrypt(d, m, subcred, keys, nkeys, &pt, &ptlen);
	if (rc == -2)
		d->inner = nkeys ? ONION_INNER_AUTH_WRONG : ONION_INNER_AUTH_NEEDED;
	else if (rc < 0 || inner_parse(pt, ptlen, d) < 0)
		d->inner = ONION_INNER_BAD;
	else
		d->inner = ONION_INNER_OK;
	if (pt)
		OPENSSL_cleanse(pt, ptlen);
	free(pt);
}

/* CRLF to LF: a descriptor read from a file may have them. */
static char *unix_lines(const char *t, size_t n, size_t *out)
{
	char *c = malloc(n + 1);
	size_t o = 0;
	if (c == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(t[i] == '\r' && i + 1 < n && t[i + 1] == '\n'))
			c[o++] = t[i];
	c[o] = '\0';
	*out = o;
	return c;
}

enum onion_desc_err onion_desc_decode(const char *text, size_t n, const uint8_t pk[32], const uint8_t (*keys)[32],
				      size_t nkeys, struct onion_desc *d, char *msg, size_t cap)
{
	memset(d, 0, sizeof(*d));
	snprintf(msg, cap, "decoded");
	struct outer o = {0};
	struct middle m = {0};
	char *mid = NULL;
	size_t tl, midlen;
	enum onion_desc_err err = ONION_DESC_PARSE;
	char *t = n <= 200000 ? unix_lines(text, n, &tl) : NULL;
	if (t == NULL) {
		snprintf(msg, cap, "descriptor too big or out of memory");
		return err;
	}
	if (outer_parse(t, tl, d, &o, msg, cap) == 0) {
		uint8_t subcred[32];
		onion_subcredential(pk, d->blinded, subcred);
		err = ONION_DESC_MAC;
		if (onion_layer_decrypt(d->blinded, 32, subcred, d->revision, o.super, o.superlen,
					"hsdir-superencrypted-data", &mid, &midlen) < 0) {
			snprintf(msg, cap, "the outer layer does not decrypt with this address: a descriptor of another "
				 "service or time period, or corrupt (tor calls this BAD_DESC)");
		} else if (err = ONION_DESC_MIDDLE, middle_parse(mid, midlen, d, &m) < 0) {
			snprintf(msg, cap, "the middle layer decrypted but does not parse");
		} else {
			err = ONION_DESC_OK;
			d->middle_ok = true;
			desc_inner(d, &m, subcred, keys, nkeys);
		}
	}
	free(o.super);
	free(m.enc);
	free(mid);
	free(t);
	return err;
}

/* ------------------------------------------------------------------ upload */

void onion_upload_init(struct onion_upload *u, const char *addr)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->addr, sizeof(u->addr), "%s", addr);
}

/* The idx-th word of line[0..n). */
static bool word_at(const char *line, size_t n, size_t idx, const char **w, size_t *wl)
{
	struct item it = {.args = line, .alen = n};
	return arg_at(&it, idx, w, wl);
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(w, s, n) == 0;
}

/* The HSDir by its name; a new one when `add`. The fingerprint is what
 * counts: "$FP~nick" and "$FP" are the same relay. */
static struct onion_hsdir *hsdir(struct onion_upload *u, const char *name, size_t n, bool add)
{
	size_t fp = n >= 41 && name[0] == '$' ? 41 : n;
	for (size_t i = 0; i < u->n; i++)
		if (strncmp(u->dir[i].name, name, fp) == 0 && (u->dir[i].name[fp] == '\0' || u->dir[i].name[fp] == '~'))
			return &u->dir[i];
	if (!add || u->n >= ONION_UPLOAD_MAX) {
		u->full = u->full || add;
		return NULL;
	}
	struct onion_hsdir *h = &u->dir[u->n++];
	snprintf(h->name, sizeof(h->name), "%.*s", (int)n, name);
	return h;
}

bool onion_upload_feed(struct onion_upload *u, const char *line, size_t n)
{
	const char *w[5];
	size_t wl[5];
	for (size_t i = 0; i < 5; i++)
		if (!word_at(line, n, i, &w[i], &wl[i]))
			wl[i] = 0, w[i] = "";
	if (!word_is(w[0], wl[0], "HS_DESC"))
		return false;
	bool ours = wl[2] == ONION_ADDR_LEN && strncasecmp(w[2], u->addr, ONION_ADDR_LEN) == 0;
	if (word_is(w[1], wl[1], "CREATED") && ours) {
		u->created++;
		return true;
	}
	if (word_is(w[1], wl[1], "UPLOAD") && ours) {
		struct onion_hsdir *h = hsdir(u, w[4], wl[4], true);
		if (h)
			h->state = HSDIR_UPLOADING;
		return h != NULL;
	}
	bool uploaded = word_is(w[1], wl[1], "UPLOADED"), failed = word_is(w[1], wl[1], "FAILED");
	if (!(uploaded && (ours || word_is(w[2], wl[2], "UNKNOWN"))) && !(failed && ours))
		return false;
	struct onion_hsdir *h = hsdir(u, w[4], wl[4], false);
	if (h == NULL || (failed && h->state != HSDIR_UPLOADING))
		return false; /* a fetch's failure, or an HSDir we never uploaded to */
	h->state = uploaded ? HSDIR_UPLOADED : HSDIR_FAILED;
	for (size_t i = 5; failed && i < 16; i++) {
		const char *a;
		size_t al;
		if (word_at(line, n, i, &a, &al) && al > 7 && memcmp(a, "REASON=", 7) == 0)
			snprintf(h->reason, sizeof(h->reason), "%.*s", (int)(al - 7), a + 7);
	}
	return true;
}

bool onion_upload_done(const struct onion_upload *u)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->dir[i].state == HSDIR_UPLOADING)
			return false;
	return u->n > 0;
}

/* "$FP~nick" -> "nick"; "$FP" stays */
static const char *short_name(const char *name)
{
	const char *t = strchr(name, '~');
	return t ? t + 1 : name;
}

void onion_upload_summary(const struct onion_upload *u, char *out, size_t cap)
{
	size_t ok = 0, failed = 0;
	for (size_t i = 0; i < u->n; i++) {
		ok += u->dir[i].state == HSDIR_UPLOADED;
		failed += u->dir[i].state == HSDIR_FAILED;
	}
	int w = snprintf(out, cap, "uploaded to %zu/%zu HSDirs", ok, u->n);
	size_t o = w < 0 ? 0 : (size_t)w;
	if (u->n - ok - failed > 0 && o < cap)
		o += (size_t)snprintf(out + o, cap - o, ", %zu pending", u->n - ok - failed);
	if (failed == 0 || o >= cap)
		return;
	o += (size_t)snprintf(out + o, cap - o, " (%zu failed:", failed);
	for (size_t i = 0, k = 0; i < u->n && o < cap; i++) {
		if (u->dir[i].state != HSDIR_FAILED)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s %s at %s", k++ ? "," : "",
				      u->dir[i].reason[0] ? u->dir[i].reason : "no reason", short_name(u->dir[i].name));
	}
	if (o < cap)
		snprintf(out + o, cap - o, ")");
}
