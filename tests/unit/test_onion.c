/* onion.c against the known answers of ../shared/spec/onion-services.md §6
 * (checked there against tor 0.4.9.11 and its own unit-test vectors), and
 * a descriptor built from those pieces decoded end to end. */
#include <stdlib.h>

#include "complete.h"
#include "onion.h"
#include "tap.h"

static const char *tohex(const uint8_t *p, size_t n)
{
	static char s[2][300];
	static int k;
	k ^= 1;
	for (size_t i = 0; i < n; i++)
		sprintf(s[k] + 2 * i, "%02x", p[i]);
	return s[k];
}

static const char addr_a[] = "aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead";
static uint8_t seed[32], esk[64], pk[32], cpriv[32], blinded[32], subcred[32];

static void kat_a(void)
{
	char addr[57], form[100];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	onion_ed25519_expand_seed(seed, esk);
	CHECK_STR(tohex(esk, 64),
		  "3894eea49c580aef816935762be049559d6d1440dede12e6a125f1841fff8e6fa9d71862a3e5746b571be3d187b0041046f52ebd850c7cbd5fde8ee38473b649",
		  "(a) expanded key from seed");
	CHECK(onion_ed25519_public_from_expanded(esk, pk) == 0, "(a) public key from the expanded key");
	CHECK_STR(tohex(pk, 32), "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8", "(a) A = a.B");
	onion_addr_from_pubkey(pk, addr);
	CHECK_STR(addr, addr_a, "(a) address from public key");
	onion_key_add_onion_form(esk, form);
	CHECK_STR(form, "ED25519-V3:OJTupJxYCu+BaTV2K+BJVZ1tFEDe3hLmoSXxhB//jm+p1xhio+V0a1cb49GHsAQQRvUuvYUMfL1f3o7jhHO2SQ==",
		  "(a) ADD_ONION key form");
}

static void key_forms(void)
{
	uint8_t file[96], pfile[64];
	char msg[300], form[100];
	struct onion_key k;
	onion_key_secret_file(esk, file);
	CHECK(memcmp(file, "== ed25519v1-secret: type0 ==\0\0\0", 32) == 0, "secret file header: tag and 3 NULs");
	CHECK(onion_key_read(file, 96, &k, msg, sizeof(msg)) == 0 && k.kind == ONION_KEY_SECRET &&
		      memcmp(k.pk, pk, 32) == 0 && memcmp(k.esk, esk, 64) == 0,
	      "hs_ed25519_secret_key read: public key derived");
	onion_key_public_file(pk, pfile);
	CHECK(onion_key_read(pfile, 64, &k, msg, sizeof(msg)) == 0 && k.kind == ONION_KEY_PUBLIC && memcmp(k.pk, pk, 32) == 0,
	      "hs_ed25519_public_key read");
	CHECK(onion_key_read(pfile, 63, &k, msg, sizeof(msg)) < 0, "a key file one byte short is refused: %s", msg);
	onion_key_add_onion_form(esk, form);
	CHECK(onion_key_read((const uint8_t *)form, strlen(form), &k, msg, sizeof(msg)) == 0 && k.kind == ONION_KEY_SECRET &&
		      memcmp(k.pk, pk, 32) == 0,
	      "ED25519-V3: form read");
	form[strlen(form) - 2] = '\0';
	CHECK(onion_key_read((const uint8_t *)form, strlen(form), &k, msg, sizeof(msg)) == 0 && memcmp(k.pk, pk, 32) == 0,
	      "ED25519-V3: without padding, as tor takes it");
	char b32[60];
	onion_b32_encode(pk, 32, b32, sizeof(b32));
	CHECK(onion_key_read((const uint8_t *)b32, strlen(b32), &k, msg, sizeof(msg)) == 0 && k.kind == ONION_KEY_PUBLIC &&
		      memcmp(k.pk, pk, 32) == 0,
	      "base32 public key read");
	CHECK(onion_key_read((const uint8_t *)addr_a, 56, &k, msg, sizeof(msg)) == 0 && memcmp(k.pk, pk, 32) == 0,
	      "an address is a public key too");
	CHECK(onion_key_read((const uint8_t *)"hello", 5, &k, msg, sizeof(msg)) < 0 && strstr(msg, "not a key"),
	      "garbage refused: %s", msg);
}

static void kat_b(void)
{
	uint8_t pub[32], k[32];
	char s[80], addr[57], msg[300];
	for (int i = 0; i < 31; i++)
		cpriv[i] = (uint8_t)(0x20 + i);
	cpriv[31] = 0x7f;
	CHECK(onion_x25519_public(cpriv, pub) == 0, "(b) x25519 public from private");
	CHECK_STR(tohex(pub, 32), "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254", "(b) public key");
	onion_b32_encode(pub, 32, s, sizeof(s));
	CHECK_STR(s, "gwahfvrwlcandlxkgknn7ejbha4fd3jbukhdw5pjmxinftiwmjka", "(b) ClientAuthV3= base32 public");
	onion_b32_encode(cpriv, 32, s, sizeof(s));
	CHECK_STR(s, "eaqseizeeutcokbjfivsyljof4ydcmrtgq2tmnzyhe5dwpb5hz7q", "(b) .auth_private base32 private");
	onion_b64_encode(cpriv, 32, true, s, sizeof(s));
	CHECK_STR(s, "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8=", "(b) ONION_CLIENT_AUTH_ADD base64 private");
	static const char *const forms[] = {
		"x25519:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8=", "x25519:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8",
		"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8=", "eaqseizeeutcokbjfivsyljof4ydcmrtgq2tmnzyhe5dwpb5hz7q",
		"descriptor:x25519:EAQSEIZEEUTCOKBJFIVSYLJOF4YDCMRTGQ2TMNZYHE5DWPB5HZ7Q",
		"aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead:descriptor:x25519:"
		"eaqseizeeutcokbjfivsyljof4ydcmrtgq2tmnzyhe5dwpb5hz7q\n",
		NULL};
	for (size_t i = 0; forms[i]; i++) {
		memset(k, 0, sizeof(k));
		CHECK(onion_x25519_read(forms[i], strlen(forms[i]), k, addr, msg, sizeof(msg)) == 0 && memcmp(k, cpriv, 32) == 0,
		      "x25519 key form %zu read", i);
	}
	CHECK_STR(addr, addr_a, ".auth_private line gives its address");
	CHECK(onion_x25519_read("x25519:AAAA", 11, k, NULL, msg, sizeof(msg)) < 0 && strstr(msg, "AAAA") == NULL,
	      "a short key is refused without quoting it: %s", msg);
}

static void kat_c(void)
{
	uint64_t n = onion_time_period(1735732800, 1440, 720);
	CHECK(n == 20089, "(c) time period 20089 (got %llu)", (unsigned long long)n);
	CHECK(onion_time_period(1460546101, 1440, 720) == 16903, "spec example: 2016-04-13 11:15:01 is period 16903");
	CHECK(onion_blind_pubkey(pk, n, 1440, blinded) == 0, "(c) blinding");
	CHECK_STR(tohex(blinded, 32), "68d552b9037916c1a718309adac011242be43577183e5ebe102bb9cad031b2b9", "(c) A'");
	char b64[60];
	onion_b64_encode(blinded, 32, false, b64, sizeof(b64));
	CHECK_STR(b64, "aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk", "(c) A' as HS_DESC's descriptor id");
	onion_subcredential(pk, blinded, subcred);
	CHECK_STR(tohex(subcred, 32), "0461786f1480a60ef1f883cf82bee8fd8204cb874f95337a6c58f9cfee0c1335", "(c) subcredential");
}

static void kat_d(void)
{
	uint8_t salt[16], *blob;
	size_t blen, ptlen;
	char *pt;
	static const char plain[] = "desc-auth-type x25519\n";
	for (int i = 0; i < 16; i++)
		salt[i] = (uint8_t)i;
	CHECK(onion_layer_encrypt(blinded, 32, subcred, 1, salt, (const uint8_t *)plain, strlen(plain),
				  "hsdir-superencrypted-data", &blob, &blen) == 0, "(d) layer encryption");
	CHECK_STR(tohex(blob + 16, blen - 48), "a42477208dd3aabb99db4103e54c243da981d65f9064", "(d) ciphertext");
	CHECK_STR(tohex(blob + blen - 32, 32), "2725c16d8d155f683d7b5837f9f6b4c268e2f4201852991ca80f6885d0d9582a", "(d) MAC");
	CHECK(onion_layer_decrypt(blinded, 32, subcred, 1, blob, blen, "hsdir-superencrypted-data", &pt, &ptlen) == 0 &&
		      strcmp(pt, plain) == 0, "(d) decrypts back");
	free(pt);
	CHECK(onion_layer_decrypt(blinded, 32, subcred, 2, blob, blen, "hsdir-superencrypted-data", &pt, &ptlen) == -2,
	      "(d) another revision counter: MAC mismatch");
	blob[20] ^= 1;
	CHECK(onion_layer_decrypt(blinded, 32, subcred, 1, blob, blen, "hsdir-superencrypted-data", &pt, &ptlen) == -2,
	      "(d) a flipped bit: MAC mismatch");
	free(blob);
}

/* base64 in 64-character lines between BEGIN and END */
static void object(char *out, size_t cap, const char *tag, const uint8_t *p, size_t n)
{
	char *b = malloc(n * 4 / 3 + 8);
	onion_b64_encode(p, n, true, b, n * 4 / 3 + 8);
	size_t o = strlen(out), bl = strlen(b);
	o += (size_t)snprintf(out + o, cap - o, "-----BEGIN %s-----\n", tag);
	for (size_t i = 0; i < bl; i += 64)
		o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)(bl - i < 64 ? bl - i : 64), b + i);
	snprintf(out + o, cap - o, "-----END %s-----\n", tag);
	free(b);
}

/* A descriptor of (a)'s service for (c)'s period: the signing-key cert
 * names A' (its signature is not a real one), the middle layer carries
 * (e)'s auth-client line among fake ones, the inner layer one intro point.
 * With `auth` the inner layer needs (e)'s cookie. */
static char *build_desc(bool auth, uint64_t rev)
{
	static const char inner_fmt[] =
		"create2-formats 2\nflow-control 1-2 31\nintroduction-point AgIUQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0MABgECAwQjKQ==\n"
		"onion-key ntor ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8=\nauth-key\n";
	char *inner = calloc(1, 4096), *middle = calloc(1, 8192), *outer = calloc(1, 32768);
	uint8_t cert[140] = {1, 8, 0, 0, 0x1d, 0x4c, 1}, salt[16] = {9}, secret[48], *blob;
	size_t blen;
	strcpy(inner, inner_fmt);
	object(inner, 4096, "ED25519 CERT", cert, sizeof(cert));
	strcat(inner, "enc-key ntor ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pn8=\n");
	memcpy(secret, blinded, 32);
	for (int i = 0; i < 16; i++)
		secret[32 + i] = (uint8_t)(0xc0 + i);
	onion_layer_encrypt(secret, auth ? 48 : 32, subcred, rev, salt, (const uint8_t *)inner, strlen(inner),
			    "hsdir-encrypted-data", &blob, &blen);
	strcpy(middle, "desc-auth-type x25519\ndesc-auth-ephemeral-key OS0XSjizsb6vrx/oJIcIQcX6UxvG6v22QCwSRmRIjBw=\n"
		       "auth-client AAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA\n"
		       "auth-client PijYaxGA7g4 oKGio6SlpqeoqaqrrK2urw LX+LrgTvqSS6Gk+pPXlxhQ\nencrypted\n");
	object(middle, 8192, "MESSAGE", blob, blen);
	free(blob);
	memset(cert + 7, 0x11, 32);
	cert[39] = 1;
	cert[40] = 0, cert[41] = 32, cert[42] = 4, cert[43] = 0;
	memcpy(cert + 44, blinded, 32);
	size_t ml = strlen(middle) - 1; /* tor writes no final LF */
	uint8_t *padded = calloc(1, 10000);
	memcpy(padded, middle, ml);
	onion_layer_encrypt(blinded, 32, subcred, rev, salt, padded, 10000, "hsdir-superencrypted-data", &blob, &blen);
	snprintf(outer, 32768, "hs-descriptor 3\ndescriptor-lifetime 180\ndescriptor-signing-key-cert\n");
	object(outer, 32768, "ED25519 CERT", cert, sizeof(cert));
	snprintf(outer + strlen(outer), 32768 - strlen(outer), "revision-counter %llu\nsuperencrypted\n", (unsigned long long)rev);
	object(outer, 32768, "MESSAGE", blob, blen);
	strcat(outer, "signature AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
	free(blob);
	free(padded);
	free(inner);
	free(middle);
	return outer;
}

static void descriptor(void)
{
	static struct onion_desc d;
	char msg[300], lspec[300];
	uint8_t other[32];
	char *t = build_desc(true, 7);
	CHECK(onion_desc_decode(t, strlen(t), pk, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_OK && d.middle_ok,
	      "client-auth descriptor: outer and middle layers decrypt: %s", msg);
	CHECK(d.lifetime == 180 && d.revision == 7 && memcmp(d.blinded, blinded, 32) == 0 && !d.sig_ok,
	      "lifetime, revision, A' from the cert; the fake signature is not taken for a real one");
	CHECK(d.n_auth_clients == 2 && strcmp(d.auth_type, "x25519") == 0, "middle layer: x25519, 2 auth-client lines");
	CHECK(d.inner == ONION_INNER_AUTH_NEEDED, "no key: client authorization required");
	memset(other, 0x42, sizeof(other));
	CHECK(onion_desc_decode(t, strlen(t), pk, (const uint8_t(*)[32])other, 1, &d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d.inner == ONION_INNER_AUTH_WRONG, "another key: not among the authorized clients");
	uint8_t keys[2][32];
	memcpy(keys[0], other, 32);
	memcpy(keys[1], cpriv, 32);
	CHECK(onion_desc_decode(t, strlen(t), pk, (const uint8_t(*)[32])keys, 2, &d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d.inner == ONION_INNER_OK && d.auth_used, "(e) client key: its auth-client line gives the cookie");
	CHECK(d.nintro == 1 && d.intro[0].nls == 2 && d.intro[0].has_onion_key && d.intro[0].has_enc_key &&
		      d.intro[0].has_auth_key && strcmp(d.create2, "2") == 0 && strcmp(d.flow_control, "1-2 31") == 0,
	      "inner layer: one intro point with its keys, create2-formats, flow-control");
	onion_lspec_format(&d.intro[0].ls[0], lspec, sizeof(lspec));
	CHECK_STR(lspec, "legacy-id $4343434343434343434343434343434343434343", "link specifier 2: legacy id");
	onion_lspec_format(&d.intro[0].ls[1], lspec, sizeof(lspec));
	CHECK_STR(lspec, "IPv4 1.2.3.4:9001", "link specifier 0: IPv4");
	memset(other, 0, sizeof(other));
	other[0] = 0x58;
	memset(other + 1, 0x66, 31);
	CHECK(onion_desc_decode(t, strlen(t), other, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_MAC,
	      "another address: the outer layer does not decrypt: %s", msg);
	free(t);
	t = build_desc(false, 8);
	CHECK(onion_desc_decode(t, strlen(t), pk, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d.inner == ONION_INNER_OK && !d.auth_used && d.nintro == 1, "no client auth: the inner layer opens without a key");
	/* CRLF lines, as a file may have them */
	size_t n = strlen(t);
	char *crlf = malloc(2 * n + 1), *o = crlf;
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\n')
			*o++ = '\r';
		*o++ = t[i];
	}
	CHECK(onion_desc_decode(crlf, (size_t)(o - crlf), pk, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_OK &&
		      d.inner == ONION_INNER_OK, "CRLF line ends");
	free(crlf);
	CHECK(onion_desc_decode("hs-descriptor 2\n", 16, pk, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_PARSE,
	      "v2 refused: %s", msg);
	t[strlen(t) / 2] = '\0';
	CHECK(onion_desc_decode(t, strlen(t), pk, NULL, 0, &d, msg, sizeof(msg)) == ONION_DESC_PARSE,
	      "truncated: %s", msg);
	free(t);
}

static void addresses(void)
{
	char msg[300], bad[80], bare[57];
	uint8_t got[32];
	CHECK(onion_addr_parse(addr_a, 56, got, msg, sizeof(msg)) == 0 && memcmp(got, pk, 32) == 0, "valid address");
	snprintf(bad, sizeof(bad), "%s.onion", addr_a);
	CHECK(onion_addr_parse(bad, strlen(bad), got, msg, sizeof(msg)) == 0, ".onion suffix accepted");
	snprintf(bad, sizeof(bad), "www.%s.ONION", addr_a);
	CHECK(onion_addr_bare(bad, strlen(bad), bare) == 0 && strcmp(bare, addr_a) == 0, "subdomain and case dropped");
	strcpy(bad, addr_a);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	CHECK(onion_addr_parse(bad, 56, got, msg, sizeof(msg)) < 0 && strstr(msg, "checksum") &&
		      strstr(msg, "character 11") && strstr(msg, addr_a), "one wrong character: named, and the fix: %s", msg);
	strcpy(bad, addr_a);
	bad[3] = '0';
	CHECK(onion_addr_parse(bad, 56, got, msg, sizeof(msg)) < 0 && strstr(msg, "character 4 is '0'") && strstr(msg, addr_a),
	      "a digit 0 for an o: %s", msg);
	CHECK(onion_addr_parse(addr_a, 55, got, msg, sizeof(msg)) < 0 && strstr(msg, "55 characters (one missing?)"),
	      "55 characters: %s", msg);
	CHECK(onion_addr_parse("expyuzz4wqqyqhjn", 16, got, msg, sizeof(msg)) < 0 && strstr(msg, "v2"), "v2: %s", msg);
	strcpy(bad, addr_a);
	bad[55] = bad[55] == 'a' ? 'b' : 'a'; /* the version byte's bits: still a typo, not "version byte" */
	CHECK(onion_addr_parse(bad, 56, got, msg, sizeof(msg)) < 0 && strstr(msg, "checksum mismatch: probably a typo") &&
		      !strstr(msg, "version"), "last character: %s", msg);
}

static void encodings(void)
{
	uint8_t out[64];
	size_t n;
	CHECK(onion_b64_decode("AA", 2, out, sizeof(out), &n) == 0 && n == 1 && out[0] == 0,
	      "base64 without padding (EVP_DecodeBlock refuses it)");
	CHECK(onion_b64_decode("AA==", 4, out, sizeof(out), &n) == 0 && n == 1, "base64 padding: no extra bytes");
	CHECK(onion_b64_decode("QU\nJD", 5, out, sizeof(out), &n) == 0 && n == 3 && memcmp(out, "ABC", 3) == 0,
	      "base64 across lines");
	CHECK(onion_b64_decode("A", 1, out, sizeof(out), &n) < 0, "one dangling character refused");
	CHECK(onion_b32_decode("ABC1", 4, out, sizeof(out), &n) < 0, "base32: 1 is not in the alphabet");
	struct onion_lspec ls[8];
	size_t nls;
	CHECK(onion_lspec_parse((const uint8_t *)"\x02\x00\x06\x01\x02", 5, ls, 8, &nls) < 0, "truncated link specifiers");
}

static void upload(void)
{
	struct onion_upload u;
	char s[200];
	onion_upload_init(&u, addr_a);
#define FEED(l) onion_upload_feed(&u, l, strlen(l))
	CHECK(FEED("HS_DESC CREATED aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead UNKNOWN UNKNOWN aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk") &&
	      u.created == 1, "CREATED counts");
	CHECK(!onion_upload_done(&u), "nothing uploaded yet: not done");
	FEED("HS_DESC UPLOAD aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead UNKNOWN $0123456789ABCDEF0123456789ABCDEF01234567~hsdir1 aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk HSDIR_INDEX=00");
	FEED("HS_DESC UPLOAD aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead UNKNOWN $1123456789ABCDEF0123456789ABCDEF01234567~hsdir2 aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk HSDIR_INDEX=00");
	FEED("HS_DESC UPLOAD aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead UNKNOWN $2123456789ABCDEF0123456789ABCDEF01234567~hsdir3 aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk HSDIR_INDEX=00");
	CHECK(!FEED("HS_DESC UPLOAD tzf4stjx5wko2ritgvxazjpkwkcr5h6qog3psvcjsa7zhjxckxvgedid UNKNOWN $3123456789ABCDEF0123456789ABCDEF01234567~x y"),
	      "another service's upload is ignored");
	onion_upload_summary(&u, s, sizeof(s));
	CHECK_STR(s, "uploaded to 0/3 HSDirs, 3 pending", "three uploads started");
	CHECK(FEED("HS_DESC UPLOADED UNKNOWN UNKNOWN $0123456789ABCDEF0123456789ABCDEF01234567~hsdir1"),
	      "UPLOADED without an address counts for an HSDir we upload to");
	CHECK(!FEED("HS_DESC UPLOADED UNKNOWN UNKNOWN $9923456789ABCDEF0123456789ABCDEF01234567~other"),
	      "UPLOADED to an HSDir we never asked is not ours");
	FEED("HS_DESC UPLOADED aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead UNKNOWN $1123456789ABCDEF0123456789ABCDEF01234567");
	CHECK(!onion_upload_done(&u), "one still pending");
	CHECK(FEED("HS_DESC FAILED aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead NO_AUTH $2123456789ABCDEF0123456789ABCDEF01234567~hsdir3 aNVSuQN5FsGnGDCa2sARJCvkNXcYPl6+ECu5ytAxsrk REASON=UPLOAD_REJECTED"),
	      "FAILED in the fetch form, as tor 0.4.9 reports upload failures");
	CHECK(onion_upload_done(&u), "every upload answered");
	onion_upload_summary(&u, s, sizeof(s));
	CHECK_STR(s, "uploaded to 2/3 HSDirs (1 failed: UPLOAD_REJECTED at hsdir3)", "the summary line");
#undef FEED
}

/* Tab after /onion: its subcommands, then each one's own arguments */
static void completion(void)
{
	struct catalog c = {0};
	struct completion out = {0};
	char got[400];
	static const char *const cases[][2] = {
		{"/onion ", "address auth check decode del keygen list new status"}, /* sorted, as every list */
		{"/onion ch", "check"},
		{"/onion st", "status"},
		{"/onion check ADDR --p", "--port"},
		{"/onion check ADDR --port 80 --t", "--timeout"},
		{"/onion new 80 --ti", "--timeout"},
		{"/onion ke", "keygen"},
		{"/onion auth ", "add list remove"},
		{"/onion keygen ADDR --o", "--out"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		complete(&c, cases[i][0], strlen(cases[i][0]), &out);
		got[0] = '\0';
		for (size_t k = 0; k < out.match.n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? " " : "",
				 out.match.text.p + out.match.word[k]);
		CHECK_STR(got, cases[i][1], "completes '%s'", cases[i][0]);
	}
	completion_free(&out);
	catalog_free(&c);
}

int main(void)
{
	completion();
	kat_a();
	key_forms();
	kat_b();
	kat_c();
	kat_d();
	descriptor();
	addresses();
	encodings();
	upload();
	return tap_done();
}
