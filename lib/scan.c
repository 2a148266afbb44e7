/* scan: `ordoctor keys --scan DIR` finds OpenRouter keys in any text file
 * of a tree ("where else does this key live?").
 *
 * Symbolic links are not followed (no loops, no escaping the tree), .git
 * object stores and binary files (a NUL in the first 8 KiB, as git and
 * ripgrep decide) are skipped, and files over a size cap are skipped with
 * one summary warning.  Hand-written rather than nftw(3) so that every file
 * access goes through the injected ctx.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define SNIFF 8192

typedef struct scan {
	ord_ctx *ctx;
	const ord_scan_opts *o;
	ord_hits *out;
	ord_buf buf;
	size_t skipped_big, skipped_binary, files;
} scan;

static int hexish(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static void scan_buffer(scan *s, const char *path, const char *d, size_t n)
{
	static const char pfx[] = "sk-or-v1-";
	const char *p = d, *end = d + n, *line_from = d, *m;
	unsigned line = 1;

	while ((m = memmem(p, (size_t)(end - p), pfx, sizeof(pfx) - 1))) {
		const char *v = m + sizeof(pfx) - 1, *q;

		/* count lines up to the match */
		for (q = line_from; (q = memchr(q, '\n', (size_t)(m - q))); q++)
			line++;
		line_from = m;
		for (q = v; q < end && hexish((unsigned char)*q); q++)
			;
		ord_hits_add(s->out, ORD_SRC_SCAN, ORD_ROLE_KEY, path, line, NULL,
			     m, (size_t)(q - m));
		p = q;
	}
}

static void scan_file(scan *s, const char *path, const struct stat *st)
{
	int truncated = 0, rc;

	if ((size_t)st->st_size > s->o->max_file) {
		s->skipped_big++;
		return;
	}
	ord_buf_reset(&s->buf);
	rc = ord_read_file(s->ctx, path, s->o->max_file, &s->buf, &truncated);
	if (rc) {
		if (rc != ENOENT)
			ord_warn(s->ctx, "cannot read '%s': %s", path, strerror(rc));
		return;
	}
	s->files++;
	if (memchr(ord_buf_str(&s->buf), '\0', s->buf.len < SNIFF ? s->buf.len : SNIFF)) {
		s->skipped_binary++;
		return;
	}
	scan_buffer(s, path, ord_buf_str(&s->buf), s->buf.len);
}

static void walk(scan *s, const char *dir, unsigned depth)
{
	char **names = NULL;
	size_t i, n = 0;
	int rc;

	if (depth > s->o->max_depth) {
		ord_warn(s->ctx, "'%s' is nested deeper than %u levels; not scanned", dir,
			 s->o->max_depth);
		return;
	}
	rc = ord_list_dir_sorted(s->ctx, dir, NULL, 1000000, &names, &n);
	if (rc) {
		ord_warn(s->ctx, "cannot list '%s': %s", dir, strerror(rc));
		return;
	}
	for (i = 0; i < n; i++) {
		char *p = ord_path_join(dir, names[i]);
		struct stat st;

		if (!p)
			continue;
		if (ord_lstat(s->ctx, p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				size_t pl = strlen(p);
				/* git's object store is compressed: nothing to find */
				if (!(pl >= 12 && !strcmp(p + pl - 12, "/.git/objects")))
					walk(s, p, depth + 1);
			} else if (S_ISREG(st.st_mode))
				scan_file(s, p, &st);
		}
		free(p);
	}
	ord_names_free(names, n);
}

void ord_scan_tree(ord_ctx *ctx, const char *dir, const ord_scan_opts *o,
		   ord_hits *out)
{
	scan s = {ctx, o, out, ORD_BUF_INIT(o->max_file), 0, 0, 0};
	struct stat st;
	int rc = ord_stat(ctx, dir, &st);

	if (rc) {
		ord_warn(ctx, "cannot scan '%s': %s", dir, strerror(rc));
		return;
	}
	if (S_ISREG(st.st_mode))
		scan_file(&s, dir, &st);
	else
		walk(&s, dir, 0);
	if (s.skipped_big)
		ord_warn(ctx, "skipped %zu file%s larger than %zu MiB under '%s'", s.skipped_big,
			 s.skipped_big == 1 ? "" : "s", o->max_file >> 20, dir);
	ord_buf_release(&s.buf);
}
