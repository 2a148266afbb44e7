#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ord_hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

void ord_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

void ord_free_secret(char *s)
{
	if (!s)
		return;
	ord_wipe(s, strlen(s));
	free(s);
}

void ord_buf_init(ord_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int grow(ord_buf *b, size_t need)
{
	size_t ncap;
	char *n;

	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	/* realloc could leave a copy of a secret behind in freed memory, so
	 * move by hand and wipe the old block. */
	n = malloc(ncap);
	if (!n)
		return ENOMEM;
	if (b->data) {
		memcpy(n, b->data, b->len + 1);
		ord_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = n;
	b->cap = ncap;
	return 0;
}

int ord_buf_add(ord_buf *b, const void *data, size_t len)
{
	int rc;

	if (len > b->max || b->len > b->max - len)
		return ENOSPC;
	rc = grow(b, b->len + len + 1);
	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ord_buf_addc(ord_buf *b, char c)
{
	return ord_buf_add(b, &c, 1);
}

int ord_buf_adds(ord_buf *b, const char *s)
{
	return ord_buf_add(b, s, strlen(s));
}

int ord_buf_vaddf(ord_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n, rc;
	char *big;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return EINVAL;
	if ((size_t)n < sizeof(small)) {
		rc = ord_buf_add(b, small, (size_t)n);
		ord_wipe(small, (size_t)n);
		return rc;
	}
	big = malloc((size_t)n + 1);
	if (!big)
		return ENOMEM;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	rc = ord_buf_add(b, big, (size_t)n);
	ord_wipe(big, (size_t)n);
	free(big);
	return rc;
}

int ord_buf_addf(ord_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ord_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *ord_buf_str(const ord_buf *b)
{
	return b->data ? b->data : "";
}

void ord_buf_reset(ord_buf *b)
{
	if (b->data) {
		ord_wipe(b->data, b->len);
		b->data[0] = '\0';
	}
	b->len = 0;
}

void ord_buf_release(ord_buf *b)
{
	if (b->data) {
		ord_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *ord_buf_detach(ord_buf *b, size_t *len)
{
	char *d = b->data;

	if (!d) {
		d = calloc(1, 1);
		if (!d)
			return NULL;
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return d;
}
