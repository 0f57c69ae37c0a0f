/* Onion services v3, offline: addresses, key forms and files, client
 * authorization keys, descriptor decryption (rend-spec-v3, as tor 0.4.9
 * does it: ../shared/spec/onion-services.md), and the per-HSDir state of an
 * upload. Pure: OpenSSL and memory, no terminal, no socket. Secrets
 * (private keys, cookies) are wiped before their buffers are freed. */
#ifndef TORSH_ONION_H
#define TORSH_ONION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ONION_ADDR_LEN 56     /* base32 characters, no ".onion" */
#define ONION_ADDR_MSG 320    /* holds any onion_addr_parse message: the address twice and why */
#define ONION_B32_KEY_LEN 52  /* a 32-byte key in unpadded base32 */

/* ---- encodings ---- */
/* Unpadded lower-case base32 of n bytes into out (cap includes the NUL):
 * the length written, 0 when it does not fit. */
size_t onion_b32_encode(const uint8_t *in, size_t n, char *out, size_t cap);
/* Either case, no padding: 0 with *outlen, -1 on a character outside the
 * alphabet or more than cap bytes. Trailing bits are dropped as tor does. */
int onion_b32_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen);
/* Padded base64 when pad, else without '='. Same return as b32_encode. */
size_t onion_b64_encode(const uint8_t *in, size_t n, bool pad, char *out, size_t cap);
/* Tor's reading: white space skipped, stops at the first '='. -1 on any
 * other character, a dangling single character, or more than cap bytes. */
int onion_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen);

/* ---- hashes ---- */
void onion_sha3_256(uint8_t out[32], const void *p, size_t n);
/* SHAKE-256 of the concatenation of nparts pieces, outlen bytes. */
void onion_shake256(uint8_t *out, size_t outlen, const void *const *parts, const size_t *lens, size_t nparts);

/* ---- addresses ---- */
void onion_addr_from_pubkey(const uint8_t pk[32], char out[ONION_ADDR_LEN + 1]);
/* Validates s (an optional ".onion" suffix and "x." label before it are
 * ignored, as tor's SOCKS does): length, base32, version 3, checksum. 0
 * with pk (may be NULL) set; -1 with msg saying why, naming the one
 * character that makes it valid when a single substitution does. */
int onion_addr_parse(const char *s, size_t n, uint8_t pk[32], char *msg, size_t cap);
/* The 56 characters of s without "http://", "x." or ".onion", lower-cased:
 * what control commands want. 0, or -1 when there are not 56 left. */
int onion_addr_bare(const char *s, size_t n, char out[ONION_ADDR_LEN + 1]);

/* ---- ed25519 (public-key arithmetic only; BIGNUM, not constant time:
 * for public values and for the user's own key at the user's request) ---- */
/* out = scalar (32 bytes little-endian) times the point `point`; -1 when
 * the point does not decode. */
int onion_ed25519_mult(const uint8_t scalar[32], const uint8_t point[32], uint8_t out[32]);
/* A = a·B for an expanded secret key (its first 32 bytes are a). */
int onion_ed25519_public_from_expanded(const uint8_t esk[64], uint8_t pk[32]);
/* The expanded key tor stores for a 32-byte seed (SHA-512, clamped). */
void onion_ed25519_expand_seed(const uint8_t seed[32], uint8_t esk[64]);
/* A' for time period `period` of `period_len` minutes. */
int onion_blind_pubkey(const uint8_t pk[32], uint64_t period, uint64_t period_len, uint8_t out[32]);
/* floor((floor(t/60) - offset) / len), minutes (spec §3.1) */
uint64_t onion_time_period(uint64_t t, uint64_t len_min, uint64_t offset_min);
void onion_subcredential(const uint8_t pk[32], const uint8_t blinded[32], uint8_t out[32]);

/* ---- key files and forms ---- */
enum onion_key_kind { ONION_KEY_NONE, ONION_KEY_PUBLIC, ONION_KEY_SECRET };
struct onion_key {
	enum onion_key_kind kind;
	uint8_t pk[32];   /* always set when kind != NONE */
	uint8_t esk[64];  /* ONION_KEY_SECRET: the expanded key */
};
/* Reads a key from text or file bytes: tor's hs_ed25519_public_key or
 * hs_ed25519_secret_key file, "ED25519-V3:<base64 expanded key>" (bare
 * base64 of 64 bytes too), a public key as base32/base64 of 32 bytes or an
 * onion address. -1 with msg (never quoting a secret). */
int onion_key_read(const uint8_t *p, size_t n, struct onion_key *k, char *msg, size_t cap);
/* The 96-byte hs_ed25519_secret_key / 64-byte hs_ed25519_public_key. */
void onion_key_secret_file(const uint8_t esk[64], uint8_t out[96]);
void onion_key_public_file(const uint8_t pk[32], uint8_t out[64]);
/* "ED25519-V3:<88 base64>" */
void onion_key_add_onion_form(const uint8_t esk[64], char out[100]);
void onion_key_wipe(struct onion_key *k);

/* ---- x25519 client authorization ---- */
struct onion_x25519 {
	uint8_t priv[32], pub[32];
};
/* A fresh clamped key pair (RAND_bytes, as tor's generator). */
int onion_x25519_generate(struct onion_x25519 *k);
int onion_x25519_public(const uint8_t priv[32], uint8_t pub[32]);
int onion_x25519_shared(const uint8_t priv[32], const uint8_t peer[32], uint8_t out[32]);
/* A 32-byte x25519 key in any form tor uses: "x25519:<b64>", base64 (43 or
 * 44 characters), base32 (52), "descriptor:x25519:<b32>", and the
 * .auth_private line "<addr>:descriptor:x25519:<b32>" (addr given back
 * when non-NULL, else ""). -1 with msg, never quoting the key. */
int onion_x25519_read(const char *s, size_t n, uint8_t key[32], char addr[ONION_ADDR_LEN + 1], char *msg, size_t cap);

/* ---- descriptors ---- */
#define ONION_MAX_INTRO 20
#define ONION_MAX_LSPEC 8

struct onion_lspec {
	uint8_t type, len;
	uint8_t data[255];
};
struct onion_intro {
	struct onion_lspec ls[ONION_MAX_LSPEC];
	size_t nls;
	bool bad_lspec;        /* its link specifiers did not parse */
	uint8_t onion_key[32], enc_key[32];
	bool has_onion_key, has_enc_key, has_auth_key;
};

enum onion_inner {
	ONION_INNER_NOT_TRIED,   /* the middle layer failed */
	ONION_INNER_OK,          /* decrypted (with the client's key when auth_used) */
	ONION_INNER_AUTH_NEEDED, /* client authorization required, no key given */
	ONION_INNER_AUTH_WRONG,  /* keys given, none is among the authorized clients */
	ONION_INNER_BAD,         /* decrypted but unreadable */
};

struct onion_desc {
	unsigned version, lifetime;   /* minutes */
	uint64_t revision;
	bool has_cert;
	uint8_t signing_key[32], blinded[32];
	uint32_t cert_expiry_hours;   /* since the epoch */
	bool sig_ok;                  /* outer signature by the signing key, and the cert by A' */
	/* middle layer */
	bool middle_ok;
	char auth_type[16];
	size_t n_auth_clients;
	/* inner layer */
	enum onion_inner inner;
	bool auth_used;               /* the inner layer needed a client key */
	char create2[32], flow_control[40], pow[160], intro_auth[40];
	bool single_onion;
	struct onion_intro intro[ONION_MAX_INTRO];
	size_t nintro, intro_skipped;
};

/* What went wrong with a descriptor, for messages. */
enum onion_desc_err {
	ONION_DESC_OK,
	ONION_DESC_PARSE,        /* the outer document is not a v3 descriptor */
	ONION_DESC_MAC,          /* layer 1 MAC: not this address's, or corrupt (tor: BAD_DESC) */
	ONION_DESC_MIDDLE,       /* layer 1 decrypted, unreadable */
};

/* Decodes `text` (LF or CRLF lines, undotted) as the descriptor of the
 * service with public key pk, trying each of nkeys x25519 client keys for
 * the inner layer. Fills d (zeroed first); msg says what failed. */
enum onion_desc_err onion_desc_decode(const char *text, size_t n, const uint8_t pk[32], const uint8_t (*keys)[32],
				      size_t nkeys, struct onion_desc *d, char *msg, size_t cap);
/* One layer ([HS-DESC-ENCRYPTION-KEYS]): 0 with *pt (malloc'd, NUL-
 * terminated, cut at the first NUL) and *ptlen; -1 too short or empty, -2 MAC
 * mismatch. secret is A' or A'|cookie. */
int onion_layer_decrypt(const uint8_t *secret, size_t slen, const uint8_t subcred[32], uint64_t revision,
			const uint8_t *blob, size_t blen, const char *constant, char **pt, size_t *ptlen);
/* The inverse, with a given salt (tests, fuzzing): blob = SALT|CT|MAC,
 * malloc'd. */
int onion_layer_encrypt(const uint8_t *secret, size_t slen, const uint8_t subcred[32], uint64_t revision,
			const uint8_t salt[16], const uint8_t *pt, size_t ptlen, const char *constant, uint8_t **blob,
			size_t *blen);
/* Parses a link specifier block (NSPEC, then type/len/data). -1 when it
 * is truncated or has more than max. */
int onion_lspec_parse(const uint8_t *p, size_t n, struct onion_lspec *ls, size_t max, size_t *nls);
/* "IPv4 1.2.3.4:9001", "IPv6 [::1]:9001", "legacy $HEX", "ed25519 <b64>",
 * "type 7 (3 bytes) HEX" */
void onion_lspec_format(const struct onion_lspec *l, char *out, size_t cap);

/* ---- an upload, as HS_DESC events tell it ---- */
#define ONION_UPLOAD_MAX 32
enum onion_hsdir_state { HSDIR_UPLOADING, HSDIR_UPLOADED, HSDIR_FAILED };
struct onion_hsdir {
	char name[64];          /* $FP~nick as tor gave it */
	enum onion_hsdir_state state;
	char reason[24];        /* FAILED's REASON= */
};
struct onion_upload {
	char addr[ONION_ADDR_LEN + 1];
	unsigned created;        /* descriptors built (CREATED) */
	struct onion_hsdir dir[ONION_UPLOAD_MAX];
	size_t n;
	bool full;               /* more HSDirs than fit were seen */
};
void onion_upload_init(struct onion_upload *u, const char *addr);
/* Feeds one event's first line ("HS_DESC ACTION ADDR AUTH HSDIR ...", the
 * "650 " already cut); others and other addresses are ignored. Returns
 * whether it changed the state. UPLOADED names no address in some tor
 * versions ("UNKNOWN"): it counts when its HSDir is one we upload to. */
bool onion_upload_feed(struct onion_upload *u, const char *line, size_t n);
/* Every upload seen has been answered (and at least one was seen). */
bool onion_upload_done(const struct onion_upload *u);
/* "uploaded to 4/6 HSDirs (1 failed: UPLOAD_REJECTED at hsdirnick)" */
void onion_upload_summary(const struct onion_upload *u, char *out, size_t cap);
#endif
