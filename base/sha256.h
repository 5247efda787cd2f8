/* berth: SHA-256 (FIPS 180-4), for content keys and integrity checks.  */
#ifndef BERTH_SHA256_H
#define BERTH_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

typedef struct sha256_ctx
{
  uint32_t h[8];
  uint64_t len;        /* bytes hashed so far */
  unsigned char buf[64];
  size_t used;         /* bytes in buf */
} sha256_ctx;

void sha256_init (sha256_ctx *c);
void sha256_update (sha256_ctx *c, const void *data, size_t len);
void sha256_final (sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN]);

/* One call: out = SHA-256 (data).  */
void sha256 (const void *data, size_t len, unsigned char out[SHA256_DIGEST_LEN]);

/* For tests: true forces the portable code even where the CPU has the
   SHA extensions; false goes back to choosing by the CPU.  */
void sha256_force_portable (bool portable);

/* 64 lowercase hex digits and a NUL.  */
void sha256_hex (const unsigned char d[SHA256_DIGEST_LEN], char out[65]);

#endif
