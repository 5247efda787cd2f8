/* SHA-256 as FIPS 180-4 describes it: no dependency for one hash.  Where
   the CPU has the SHA extensions (x86-64 since Ice Lake and Zen), blocks go
   through them: the seccomp cache hashes some 20 KB on every create, a
   tenth of a millisecond in portable C.  */
#include "base/sha256.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI_CODE 1
#endif

static const uint32_t k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t
ror (uint32_t x, unsigned n)
{
  return (x >> n) | (x << (32 - n));
}

static void
block_portable (uint32_t *hs, const unsigned char *p)
{
  uint32_t w[64], a, b, cc, d, e, f, g, h;

  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16
           | (uint32_t) p[4 * i + 2] << 8 | (uint32_t) p[4 * i + 3];
  for (int i = 16; i < 64; i++)
    {
      uint32_t s0 = ror (w[i - 15], 7) ^ ror (w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ror (w[i - 2], 17) ^ ror (w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
  a = hs[0], b = hs[1], cc = hs[2], d = hs[3];
  e = hs[4], f = hs[5], g = hs[6], h = hs[7];
  for (int i = 0; i < 64; i++)
    {
      uint32_t s1 = ror (e, 6) ^ ror (e, 11) ^ ror (e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = h + s1 + ch + k[i] + w[i];
      uint32_t s0 = ror (a, 2) ^ ror (a, 13) ^ ror (a, 22);
      uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
      uint32_t t2 = s0 + maj;
      h = g, g = f, f = e, e = d + t1;
      d = cc, cc = b, b = a, a = t1 + t2;
    }
  hs[0] += a, hs[1] += b, hs[2] += cc, hs[3] += d;
  hs[4] += e, hs[5] += f, hs[6] += g, hs[7] += h;
}

#ifdef HAVE_SHA_NI_CODE
/* The same compression with SHA256RNDS2 (two rounds per instruction) and
   SHA256MSG1/MSG2 for the message schedule.  The state is kept as the
   instructions want it: ABEF in one register, CDGH in the other.  */
__attribute__ ((target ("sha,sse4.1,ssse3"))) static void
block_sha_ni (uint32_t *hs, const unsigned char *p)
{
  const __m128i bswap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL,
                                        0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128 ((const __m128i *) &hs[0]);
  __m128i st1 = _mm_loadu_si128 ((const __m128i *) &hs[4]);
  __m128i st0, save0, save1, m[4];

  tmp = _mm_shuffle_epi32 (tmp, 0xB1);     /* CDAB */
  st1 = _mm_shuffle_epi32 (st1, 0x1B);     /* EFGH */
  st0 = _mm_alignr_epi8 (tmp, st1, 8);     /* ABEF */
  st1 = _mm_blend_epi16 (st1, tmp, 0xF0);  /* CDGH */
  save0 = st0;
  save1 = st1;

  for (int i = 0; i < 4; i++)
    m[i] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (p + 16 * i)),
                             bswap);
  /* Sixteen groups of four rounds; m[r % 4] holds W[4r..4r+3], and is
     replaced by W[4r+16..4r+19] once used.  */
  for (int r = 0; r < 16; r++)
    {
      __m128i x = _mm_add_epi32 (m[r & 3],
                                 _mm_loadu_si128 ((const __m128i *) &k[4 * r]));
      st1 = _mm_sha256rnds2_epu32 (st1, st0, x);
      x = _mm_shuffle_epi32 (x, 0x0E);
      st0 = _mm_sha256rnds2_epu32 (st0, st1, x);
      if (r < 12)
        {
          __m128i t = _mm_sha256msg1_epu32 (m[r & 3], m[(r + 1) & 3]);
          t = _mm_add_epi32 (t, _mm_alignr_epi8 (m[(r + 3) & 3],
                                                 m[(r + 2) & 3], 4));
          m[r & 3] = _mm_sha256msg2_epu32 (t, m[(r + 3) & 3]);
        }
    }
  st0 = _mm_add_epi32 (st0, save0);
  st1 = _mm_add_epi32 (st1, save1);

  tmp = _mm_shuffle_epi32 (st0, 0x1B);     /* FEBA */
  st1 = _mm_shuffle_epi32 (st1, 0xB1);     /* DCHG */
  st0 = _mm_blend_epi16 (tmp, st1, 0xF0);  /* DCBA */
  st1 = _mm_alignr_epi8 (st1, tmp, 8);     /* ABEF -> HGFE */
  _mm_storeu_si128 ((__m128i *) &hs[0], st0);
  _mm_storeu_si128 ((__m128i *) &hs[4], st1);
}

static bool
cpu_has_sha_ni (void)
{
  unsigned a, b, c, d;
  if (!__get_cpuid (1, &a, &b, &c, &d) || !(c & bit_SSE4_1)
      || !(c & bit_SSSE3))
    return false;
  if (!__get_cpuid_count (7, 0, &a, &b, &c, &d))
    return false;
  return (b & bit_SHA) != 0;
}
#endif

/* 0: not chosen yet; 1: portable; 2: SHA-NI.  */
static int impl;

void
sha256_force_portable (bool portable)
{
  impl = portable ? 1 : 0;
}

static void
block (sha256_ctx *c, const unsigned char *p)
{
  if (impl == 0)
    {
      impl = 1;
#ifdef HAVE_SHA_NI_CODE
      if (cpu_has_sha_ni ())
        impl = 2;
#endif
    }
#ifdef HAVE_SHA_NI_CODE
  if (impl == 2)
    {
      block_sha_ni (c->h, p);
      return;
    }
#endif
  block_portable (c->h, p);
}

void
sha256_init (sha256_ctx *c)
{
  static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                  0xa54ff53a, 0x510e527f, 0x9b05688c,
                                  0x1f83d9ab, 0x5be0cd19 };
  memcpy (c->h, iv, sizeof iv);
  c->len = 0;
  c->used = 0;
}

void
sha256_update (sha256_ctx *c, const void *data, size_t len)
{
  const unsigned char *p = data;

  c->len += len;
  if (c->used > 0)
    {
      size_t take = 64 - c->used < len ? 64 - c->used : len;
      memcpy (c->buf + c->used, p, take);
      c->used += take, p += take, len -= take;
      if (c->used < 64)
        return;
      block (c, c->buf);
      c->used = 0;
    }
  for (; len >= 64; p += 64, len -= 64)
    block (c, p);
  memcpy (c->buf, p, len);
  c->used = len;
}

void
sha256_final (sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN])
{
  uint64_t bits = c->len * 8;
  unsigned char pad = 0x80;

  sha256_update (c, &pad, 1);
  pad = 0;
  while (c->used != 56)
    sha256_update (c, &pad, 1);
  for (int i = 7; i >= 0; i--)
    {
      unsigned char b = (unsigned char) (bits >> (8 * i));
      sha256_update (c, &b, 1);
    }
  for (int i = 0; i < 8; i++)
    {
      out[4 * i] = (unsigned char) (c->h[i] >> 24);
      out[4 * i + 1] = (unsigned char) (c->h[i] >> 16);
      out[4 * i + 2] = (unsigned char) (c->h[i] >> 8);
      out[4 * i + 3] = (unsigned char) c->h[i];
    }
}

void
sha256 (const void *data, size_t len, unsigned char out[SHA256_DIGEST_LEN])
{
  sha256_ctx c;
  sha256_init (&c);
  sha256_update (&c, data, len);
  sha256_final (&c, out);
}

void
sha256_hex (const unsigned char d[SHA256_DIGEST_LEN], char out[65])
{
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_LEN; i++)
    {
      out[2 * i] = hex[d[i] >> 4];
      out[2 * i + 1] = hex[d[i] & 15];
    }
  out[64] = '\0';
}
