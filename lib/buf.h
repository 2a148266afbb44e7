/* buf: the one bounded, growable byte buffer used for everything untrusted.
 *
 * Every buffer has a hard maximum fixed at init time, so a hostile file or
 * server can never make ordoctor grow without bound (the idea of curl's
 * dynbuf).  Contents are always NUL-terminated for convenience, and wiped on
 * release because a buffer may have held a key.
 */
#ifndef ORD_BUF_H
#define ORD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ord_buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;   /* allocated size */
	size_t max;   /* hard limit on len */
} ord_buf;

#define ORD_BUF_INIT(max_) { NULL, 0, 0, (max_) }

void ord_buf_init(ord_buf *b, size_t max);
/* Returns 0, or ENOSPC when the append would pass the maximum (nothing is
 * appended then), or ENOMEM. */
int ord_buf_add(ord_buf *b, const void *data, size_t len);
int ord_buf_addc(ord_buf *b, char c);
int ord_buf_adds(ord_buf *b, const char *s);
int ord_buf_addf(ord_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ord_buf_vaddf(ord_buf *b, const char *fmt, va_list ap);
/* The contents ("" when empty); never NULL. */
const char *ord_buf_str(const ord_buf *b);
/* Forget the contents but keep the memory (wiped). */
void ord_buf_reset(ord_buf *b);
/* Wipe and free. The buffer can be reused after ord_buf_init. */
void ord_buf_release(ord_buf *b);
/* Hand the contents to the caller (malloc'd, NUL-terminated, never NULL on
 * success); the buffer is left empty. */
char *ord_buf_detach(ord_buf *b, size_t *len);

/* The value of one hex digit, or -1 (parsers of untrusted input share it). */
int ord_hexval(int ch);

/* Wipe memory that held a secret; never optimised away. */
void ord_wipe(void *p, size_t n);
/* Wipe then free a NUL-terminated string. */
void ord_free_secret(char *s);

#endif
