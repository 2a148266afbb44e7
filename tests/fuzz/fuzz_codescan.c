/* libFuzzer target: the tokenizer of the project's own code (lib/codescan.c)
 * and the patterns read from its tokens (lib/codescan_rules.c), as
 * JavaScript and as Python, and the package.json scripts reader.  Every
 * token must lie inside the input, lines never go back, a string token's
 * body never holds its unescaped closing quote on one line, and what the
 * patterns return must be well formed.  The first byte picks the language
 * (so the corpus can hold both). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/codescan.h"
#include "lib/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void check_val(const ord_cval *v, const ord_cfile *f)
{
	CHECK(v->kind <= ORD_CVAL_DOTENV);
	if (v->kind == ORD_CVAL_ENV || v->kind == ORD_CVAL_DOTENV)
		CHECK(v->var && *v->var);
	if (v->kind == ORD_CVAL_DOTENV)
		CHECK(v->load >= 0 && (size_t)v->load < f->nloads &&
		      f->loads[v->load].kind == ORD_CLOAD_VALUES);
	if (v->kind == ORD_CVAL_LITERAL)
		CHECK(v->text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ord_csdks sdks;
	static int loaded;
	ord_lang lang = size && (data[0] & 1) ? ORD_LANG_PY : ORD_LANG_JS;
	char *copy = malloc(size ? size : 1);
	const char *end;
	ord_ctoks t;
	ord_cfile f;
	unsigned last = 1;
	size_t i;

	if (!copy)
		return 0;
	if (!loaded) {
		ord_ctx ctx;
		if (ord_ctx_init(&ctx, NULL, "/nonexistent", "/")) {
			free(copy);
			return 0;
		}
		ord_csdks_load(&ctx, &sdks);
		CHECK(sdks.n > 0 && ctx.nwarnings == 0);
		ord_ctx_release(&ctx);
		loaded = 1;
	}
	memcpy(copy, data, size); /* exact size: over-reads are caught */
	end = copy + size;
	if (ord_code_tokenize(copy, size, lang, 4096, &t)) {
		free(copy);
		return 0;
	}
	CHECK(t.n <= 4096);
	for (i = 0; i < t.n; i++) {
		const ord_ctok *k = &t.v[i];
		CHECK(k->kind <= ORD_CTOK_PUNCT);
		CHECK(k->p >= copy && k->p <= end && k->n <= (size_t)(end - k->p));
		CHECK(k->line >= last);
		CHECK(k->kind == ORD_CTOK_STRING || k->n > 0);
		last = k->line;
	}
	memset(&f, 0, sizeof(f));
	ord_code_analyse(&sdks, lang, &t, &f);
	for (i = 0; i < f.nclients; i++) {
		CHECK(f.clients[i].sdk && f.clients[i].line >= 1);
		check_val(&f.clients[i].key, &f);
		check_val(&f.clients[i].base, &f);
	}
	for (i = 0; i < f.nreads; i++)
		CHECK(f.reads[i].var && f.reads[i].line >= 1);
	for (i = 0; i < f.nloads; i++)
		CHECK(f.loads[i].line >= 1);
	ord_cfile_release(&f);
	ord_ctoks_release(&t);
	memset(&f, 0, sizeof(f));
	ord_code_analyse_scripts(copy, size, &f);
	ord_cfile_release(&f);
	free(copy);
	return 0;
}
