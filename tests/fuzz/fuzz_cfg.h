/* The body shared by the fuzz targets of lib/cfg (fuzz_cfg_json.c,
 * fuzz_cfg_yaml.c, fuzz_cfg_toml.c): each defines FUZZ_FORMATS, the formats
 * to parse every input as, then includes this file.  Every match must carry
 * a sane line and a NUL-terminated text, errors must be one lowercase line
 * with a line number, and every concrete path a match reports must find
 * that same node again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz {
	const ord_cfg *c;
	unsigned maxline;
	int depth;              /* re-query only from the first level */
	unsigned rechecks;      /* re-queries so far (bounded: each is a walk) */
	volatile unsigned sum;
} fz;

static const char *const paths[] = {
	"*", "*.*", "*.*.*", "[0]", "[0][0]", "*[1]", "a", "a.b", "a[*]",
	"env.OPENROUTER_API_KEY", "provider.openrouter.options.apiKey",
	"Providers[name=openrouter].api_key", "models[provider=openrouter].apiKey",
	"services.*.environment.OPENROUTER_API_KEY",
	"model_list[litellm_params.model^=openrouter/].litellm_params.api_key",
	"profiles[provider*=open].key", "data.entries[domain~=OPEN_ROUTER].data.api_key",
	"model_providers.openrouter.env_key", "*[a.b=1]", "[\"a.b\"].*",
};

static int on_match(void *arg, const ord_cfg_value *v);

static void check_again(fz *f, const ord_cfg_value *v)
{
	char err[128];
	int n;
	unsigned line = v->line;
	fz sub = *f;

	if (strlen(v->path) > 1000)
		return;
	sub.depth = 1;
	sub.maxline = line;  /* reused: on_match compares against it */
	n = ord_cfg_query(f->c, v->path, on_match, &sub, err, sizeof(err));
	if (n < 1 && !(n < 0 && !strcmp(err, "query visits too many nodes")))
		abort();
	f->sum += sub.sum;
}

static int on_match(void *arg, const ord_cfg_value *v)
{
	fz *f = arg;
	size_t i;

	if (!v->path || v->line < 1)
		abort();
	if (f->depth) {
		/* the re-query of a concrete path: the same node comes back
		 * first (an assign match re-queried gives its element) */
		if (v->line != f->maxline)
			abort();
		f->depth = 2;
		return 1;
	}
	if (v->line > f->maxline)
		abort();
	if (v->type == ORD_CFG_OBJECT || v->type == ORD_CFG_ARRAY) {
		if (v->text)
			abort();
	} else {
		if (!v->text || v->text[v->len] != '\0' || strlen(v->text) > v->len)
			abort();
		for (i = 0; i < v->len; i++)
			f->sum += (unsigned char)v->text[i];
	}
	if (v->tag)
		f->sum += (unsigned)strlen(v->tag);
	if (f->rechecks++ < 64)
		check_again(f, v);
	return 0;
}

static unsigned lines_of(const char *s, size_t n)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			line++;
	return line;
}

static void run(ord_cfg_format fmt, const char *doc, size_t size)
{
	ord_cfg *c = NULL;
	char err[128];
	unsigned eline = 0;
	/* libyaml also breaks lines at NEL/LS/PS: only a loose bound there */
	unsigned maxline = fmt == ORD_CFG_YAML ? (unsigned)size + 1 : lines_of(doc, size);
	size_t i;
	int rc = ord_cfg_parse(&c, fmt, doc, size, err, sizeof(err), &eline);

	if (rc) {
		if (c || (rc != 22 && rc != 12) || eline < 1 || eline > maxline ||
		    err[0] < 'a' || err[0] > 'z' || strchr(err, '\n'))
			abort();
		return;
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fz f;

		memset(&f, 0, sizeof(f));
		f.c = c;
		f.maxline = maxline;
		if (ord_cfg_query(c, paths[i], on_match, &f, err, sizeof(err)) < 0 &&
		    strcmp(err, "query visits too many nodes"))
			abort();
	}
	ord_cfg_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ord_cfg_format formats[] = {FUZZ_FORMATS};
	char *copy = malloc(size ? size : 1);
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* exact size: over-reads are caught */
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		run(formats[i], copy, size);
	free(copy);
	return 0;
}
