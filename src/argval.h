/* Typed checks for argument values. Each returns 0, or -1 with a message
 * "expected WHAT, got 'VALUE'" (or a precise reason) for the caller to
 * prefix with the argument's name. */
#ifndef TORSH_ARGVAL_H
#define TORSH_ARGVAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Shows a value in a message: control bytes escaped, long ones cut. */
void val_display(const char *s, size_t n, char *buf, size_t len);

bool val_is_printable(const char *s, size_t n); /* 0x21..0x7e, non-empty */
bool val_is_name(const char *s, size_t n);      /* [A-Za-z0-9_]+ */
bool val_is_hex(const char *s, size_t n);

int val_id(const char *s, bool allow_zero, uint64_t *v, char *msg, size_t len);
int val_port(const char *s, size_t n, char *msg, size_t len);
/* PORT, ADDRESS[:PORT], [IPV6][:PORT] or unix:PATH */
int val_target(const char *s, size_t n, char *msg, size_t len);
/* $FINGERPRINT[~nick], FINGERPRINT, or nickname ($FINGERPRINT=nick is
 * refused with the reason) */
int val_relay(const char *s, size_t n, char *msg, size_t len);
/* 56 base32 characters, SHA3-256 checksum, version 3 (onion_addr_parse) */
int val_onion_v3(const char *s, size_t n, char *msg, size_t len);
/* Base64 (padding optional) / base32 (unpadded) of exactly `want` bytes.
 * val_base64 checks private keys: its messages never quote the value. */
int val_base64(const char *s, size_t n, size_t want, char *msg, size_t len);
int val_base32(const char *s, size_t n, size_t want, char *msg, size_t len);
#endif
