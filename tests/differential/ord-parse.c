/* ord-parse: print what the ordoctor library read from a file, for the
 * differential oracles (tests/differential/run.py compares it with real
 * loaders: python-dotenv, npm dotenv, node --env-file, bash/zsh/dash/fish,
 * tomllib, npm json5).  Test-only: built by meson, never installed.
 *
 *   ord-parse dotenv FILE   one line per assignment, in file order:
 *                           A <name hex> <value hex> <flags> <line>
 *                           and E <line> <message> per skipped line
 *   ord-parse rc HOME       the startup-file simulation (ord_discover_rc)
 *                           on that home (and an empty --etc):
 *                           H <name hex> <value hex> <hit flags> <line>
 *   ord-parse dotenv-hits FILE  what discovery makes of that .env file
 *                           (${X} expanded, an empty environment), as H
 *                           lines
 *   ord-parse toml FILE     the tree as JSON: {"s":…} {"n":…} {"b":…}
 *   ord-parse json5 FILE    {"z":…} {"o":[[key,value]…]} {"a":[…]};
 *                           or E <line> <message> when rejected
 *   ord-parse compose DIR   each Compose service's environment
 *                           (lib/compose.c) with DIR as the working
 *                           directory and this process's environment as
 *                           the shell's: S <service hex>, then per
 *                           variable V <name hex> <value hex, or ! when
 *                           not set> <from> <line>, or X <name hex> when
 *                           compose refuses it (${VAR:?err}); W <text>
 *                           per warning
 *
 * Values are printed as hex so that any byte survives; the harness never
 * shows a key-looking value unredacted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cfg.h"
#include "lib/cfg_internal.h"
#include "lib/compose.h"
#include "lib/ctx.h"
#include "lib/dotenv.h"
#include "lib/source.h"

static void hex(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	if (!n)
		putchar('-');
	for (i = 0; i < n; i++)
		printf("%02x", s[i]);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nd = realloc(d, cap = cap ? cap * 2 : 4096);
			if (!nd) {
				free(d);
				fclose(f);
				return NULL;
			}
			d = nd;
		}
		r = fread(d + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return d;
}

static int on_assign(void *arg, const ord_assign *a)
{
	(void)arg;
	printf("A ");
	hex(a->name, a->name_len);
	putchar(' ');
	hex(a->value, a->value_len);
	printf(" %u %u\n", a->flags, a->line);
	return 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	printf("E %u %s\n", line, msg);
}

static void json_str(const char *s, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void dump(const ord_cfg *c, uint32_t idx)
{
	const cfg_node *nd = &c->nodes[cfg_resolve(c, idx)];
	uint32_t k;
	int first = 1;

	switch (nd->type) {
	case ORD_CFG_NULL:
		printf("{\"z\":null}");
		return;
	case ORD_CFG_BOOL:
		printf("{\"b\":");
		json_str(nd->text, nd->len);
		putchar('}');
		return;
	case ORD_CFG_NUMBER:
		printf("{\"n\":");
		json_str(nd->text, nd->len);
		putchar('}');
		return;
	case ORD_CFG_STRING:
		printf("{\"s\":");
		json_str(nd->text, nd->len);
		putchar('}');
		return;
	default:
		break;
	}
	printf(nd->type == ORD_CFG_OBJECT ? "{\"o\":[" : "{\"a\":[");
	for (k = nd->first; k != CFG_NONE; k = c->nodes[k].next) {
		if (c->nodes[k].flags & CFG_F_DEAD)
			continue;
		if (!first)
			putchar(',');
		first = 0;
		if (nd->type == ORD_CFG_OBJECT) {
			putchar('[');
			json_str(c->nodes[k].key, c->nodes[k].klen);
			putchar(',');
			dump(c, k);
			putchar(']');
		} else
			dump(c, k);
	}
	printf("]}");
}

static int do_cfg(ord_cfg_format f, const char *path)
{
	size_t len = 0;
	char *d = slurp(path, &len), err[256] = "";
	unsigned eline = 0;
	ord_cfg *c = NULL;
	int rc;

	if (!d)
		return 2;
	rc = ord_cfg_parse(&c, f, d, len, err, sizeof(err), &eline);
	if (rc)
		printf("E %u %s\n", eline, err);
	else {
		dump(c, 0);
		putchar('\n');
	}
	ord_cfg_free(c);
	free(d);
	return 0;
}

static int do_hits(const char *home, const char *dotenv)
{
	ord_ctx ctx;
	ord_hits hits;
	size_t i;
	char *etc;

	if (ord_ctx_init(&ctx, NULL, home, home))
		return 2;
	etc = ord_path_join(home, ".no-etc");
	free(ctx.etc);
	ctx.etc = etc;
	ord_hits_init(&hits);
	if (dotenv)
		ord_discover_dotenv_file(&ctx, dotenv, &hits);
	else
		ord_discover_rc(&ctx, &hits);
	for (i = 0; i < hits.n; i++) {
		const ord_hit *h = &hits.v[i];
		printf("H ");
		hex(h->name, strlen(h->name));
		putchar(' ');
		hex(h->key.raw, h->key.raw_len);
		printf(" %u %u\n", h->flags, h->line);
	}
	ord_hits_release(&hits);
	ord_ctx_release(&ctx);
	return 0;
}

extern char **environ;

static int do_compose(const char *dir)
{
	ord_ctx ctx;
	ord_compose c;
	size_t i, j;

	if (ord_ctx_init(&ctx, environ, dir, dir))
		return 2;
	if (ord_compose_load(&ctx, dir, &c)) {
		ord_ctx_release(&ctx);
		return 2;
	}
	for (i = 0; i < c.nsv; i++) {
		printf("S ");
		hex(c.sv[i].name, strlen(c.sv[i].name));
		putchar('\n');
		for (j = 0; j < c.sv[i].n; j++) {
			const ord_compose_var *v = &c.sv[i].v[j];
			if (v->error) {
				printf("X ");
				hex(v->name, strlen(v->name));
				putchar('\n');
				continue;
			}
			printf("V ");
			hex(v->name, strlen(v->name));
			putchar(' ');
			if (v->value)
				hex(v->value, v->len);
			else
				putchar('!');
			printf(" %d %u\n", (int)v->from, v->line);
		}
	}
	for (i = 0; i < ctx.nwarnings; i++)
		printf("W %s\n", ctx.warnings[i].text);
	ord_compose_release(&c);
	ord_ctx_release(&ctx);
	return 0;
}

int main(int argc, char **argv)
{
	size_t len = 0;
	char *d;

	if (argc != 3) {
		fprintf(stderr, "usage: ord-parse dotenv|rc|toml|json5 FILE|HOME\n");
		return 2;
	}
	if (!strcmp(argv[1], "rc"))
		return do_hits(argv[2], NULL);
	if (!strcmp(argv[1], "dotenv-hits"))
		return do_hits("/nonexistent", argv[2]);
	if (!strcmp(argv[1], "compose"))
		return do_compose(argv[2]);
	if (!strcmp(argv[1], "toml"))
		return do_cfg(ORD_CFG_TOML, argv[2]);
	if (!strcmp(argv[1], "json5"))
		return do_cfg(ORD_CFG_JSON5, argv[2]);
	if (strcmp(argv[1], "dotenv"))
		return 2;
	d = slurp(argv[2], &len);
	if (!d)
		return 2;
	ord_dotenv_parse(d, len, on_assign, on_err, NULL);
	free(d);
	return 0;
}
