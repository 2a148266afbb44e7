/* codescan_sdks: data/sdks, which SDK reads which variable (the clients
 * that "this project" looks for; format in the file's own comment). */
#include <stdlib.h>
#include <string.h>

#include "codescan.h"
#include "data.h"

static char *field_dup(const char *w)
{
	return strcmp(w, "-") ? strdup(w) : NULL;
}

void ord_csdks_load(ord_ctx *ctx, ord_csdks *out)
{
	size_t len = 0, lineno = 0;
	const char *d = ord_data_get("sdks", &len), *p = d, *end = d ? d + len : NULL;

	memset(out, 0, sizeof(*out));
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], *w[10], *save = NULL;
		int nw = 0;

		lineno++;
		if (n && n < sizeof(line) && *p != '#') {
			memcpy(line, p, n);
			line[n] = '\0';
			for (char *t = strtok_r(line, " \t", &save); t && nw < 10; t = strtok_r(NULL, " \t", &save))
				w[nw++] = t;
			if (nw == 9 && !strcmp(w[0], "sdk:")) {
				ord_csdk *g = realloc(out->v, (out->n + 1) * sizeof(*g));
				if (g) {
					out->v = g;
					g += out->n++;
					g->lang = strdup(w[1]);
					g->module = strdup(w[2]);
					g->call = strdup(w[3]);
					g->key_arg = field_dup(w[4]);
					g->base_arg = field_dup(w[5]);
					g->key_var = field_dup(w[6]);
					g->base_var = field_dup(w[7]);
					g->base_default = field_dup(w[8]);
				}
			} else if (nw == 5 && !strcmp(w[0], "prefix:")) {
				ord_cprefix *g = realloc(out->pre, (out->npre + 1) * sizeof(*g));
				if (g) {
					out->pre = g;
					g += out->npre++;
					g->prefix = strdup(w[1]);
					g->key_var = field_dup(w[2]);
					g->base_var = field_dup(w[3]);
					g->base_default = field_dup(w[4]);
				}
			} else if (nw)
				ord_warn(ctx, "'data/sdks' line %zu: expected sdk: with 8 fields or prefix: with 4",
					 lineno);
		}
		p = nl ? nl + 1 : end;
	}
}

void ord_csdks_release(ord_csdks *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].lang);
		free(s->v[i].module);
		free(s->v[i].call);
		free(s->v[i].key_arg);
		free(s->v[i].base_arg);
		free(s->v[i].key_var);
		free(s->v[i].base_var);
		free(s->v[i].base_default);
	}
	for (i = 0; i < s->npre; i++) {
		free(s->pre[i].prefix);
		free(s->pre[i].key_var);
		free(s->pre[i].base_var);
		free(s->pre[i].base_default);
	}
	free(s->v);
	free(s->pre);
	memset(s, 0, sizeof(*s));
}
