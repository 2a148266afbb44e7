/* gate_stream: a FILE whose bytes all pass the gate (gate.h).
 *
 * The library never prints; this only adapts a FILE the caller owns, so
 * that the CLI, the mock and the proxy's logs can hand every stream they
 * write to the gate once and then print with stdio as usual: nothing
 * written through the FILE can reach the stream below ungated.  glibc's
 * fopencookie() gives the FILE; its write function keeps the bytes until a
 * line is complete (keys never span lines) and writes the gated line.
 */
#include "gate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A line longer than this is gated and written in pieces, cut after a
 * blank when there is one, so that memory stays bounded. */
#define LINE_MAX_PENDING (256 * 1024)

struct ord_gate {
	FILE *file;    /* what the caller writes to */
	FILE *under;   /* where gated bytes go */
	int own_under; /* ord_gate_fopen: close under too */
	unsigned flags;
	ord_buf pend;  /* bytes of the current, unfinished line */
	int failed;
};

static int emit(ord_gate *g, const char *s, size_t n)
{
	ord_buf b = ORD_BUF_INIT(n * 3 + 64);
	int rc = ord_gate_buf(s, n, g->flags, &b);

	if (!rc && b.len && fwrite(b.data, 1, b.len, g->under) != b.len)
		rc = EIO;
	ord_buf_release(&b);
	if (rc)
		g->failed = 1;
	return rc;
}

/* Write out every complete line of pend (or, when too long, a piece). */
static void drain(ord_gate *g)
{
	char *nl;
	size_t done = 0;

	while ((nl = memchr(g->pend.data + done, '\n', g->pend.len - done))) {
		size_t n = (size_t)(nl - (g->pend.data + done)) + 1;

		emit(g, g->pend.data + done, n);
		done += n;
	}
	if (g->pend.len - done >= LINE_MAX_PENDING) {
		size_t n = g->pend.len - done, cut = n;

		while (cut > n / 2 && g->pend.data[done + cut - 1] != ' ')
			cut--;
		if (cut == n / 2)
			cut = n;
		emit(g, g->pend.data + done, cut);
		done += cut;
	}
	if (done) {
		memmove(g->pend.data, g->pend.data + done, g->pend.len - done);
		ord_wipe(g->pend.data + g->pend.len - done, done);
		g->pend.len -= done;
		g->pend.data[g->pend.len] = '\0';
	}
}

static ssize_t cookie_write(void *c, const char *buf, size_t size)
{
	ord_gate *g = c;
	size_t off = 0;

	while (off < size) {
		size_t room = LINE_MAX_PENDING * 2 - g->pend.len;
		size_t n = size - off < room ? size - off : room;

		if (ord_buf_add(&g->pend, buf + off, n)) {
			g->failed = 1;
			errno = ENOMEM;
			return off ? (ssize_t)off : -1;
		}
		off += n;
		drain(g);
	}
	fflush(g->under);
	return (ssize_t)size;
}

static int cookie_close(void *c)
{
	(void)c;
	return 0; /* ord_gate_close does the work, with the gate still valid */
}

static ord_gate *gate_new(FILE *under, unsigned flags, int own)
{
	cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
	ord_gate *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->under = under;
	g->own_under = own;
	g->flags = flags;
	ord_buf_init(&g->pend, LINE_MAX_PENDING * 2);
	g->file = fopencookie(g, "w", io);
	if (!g->file) {
		free(g);
		return NULL;
	}
	return g;
}

ord_gate *ord_gate_open(FILE *under, unsigned flags)
{
	return under ? gate_new(under, flags, 0) : NULL;
}

ord_gate *ord_gate_fopen(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);
	ord_gate *g;

	if (!f)
		return NULL;
	g = gate_new(f, 0, 1);
	if (!g) {
		fclose(f);
		errno = ENOMEM;
	}
	return g;
}

FILE *ord_gate_file(ord_gate *g)
{
	return g ? g->file : NULL;
}

void ord_gate_set_flags(ord_gate *g, unsigned flags)
{
	if (!g)
		return;
	flockfile(g->file);
	g->flags = flags;
	funlockfile(g->file);
}

void ord_gate_status(ord_gate *g, const char *text)
{
	ord_buf b = ORD_BUF_INIT(strlen(text) * 3 + 64);
	size_t i;

	flockfile(g->file);
	fflush(g->file);
	/* The status line stays one line: no newline of its own. */
	if (!ord_gate_buf(text, strlen(text), 0, &b)) {
		for (i = 0; i < b.len; i++)
			if (b.data[i] == '\n' || b.data[i] == '\t')
				b.data[i] = ' ';
		fputc('\r', g->under);
		if (b.len)
			fwrite(b.data, 1, b.len, g->under);
		fputs("\033[K", g->under);
		fflush(g->under);
	}
	ord_buf_release(&b);
	funlockfile(g->file);
}

int ord_gate_close(ord_gate *g)
{
	int rc;

	if (!g)
		return 0;
	fflush(g->file);
	if (g->pend.len)
		emit(g, g->pend.data, g->pend.len);
	fclose(g->file);
	rc = fflush(g->under) || g->failed ? EOF : 0;
	if (g->own_under && fclose(g->under))
		rc = EOF;
	ord_buf_release(&g->pend);
	free(g);
	return rc;
}
