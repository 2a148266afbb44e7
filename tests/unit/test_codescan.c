/* The code tokenizer and its patterns (lib/codescan.c, lib/codescan_rules.c):
 * a variable name inside a comment, a string or a template's text is not
 * code; inside a template's ${…} it is; and the arguments of a client
 * construction are read as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/codescan.h"
#include "lib/ctx.h"

static ord_csdks sdks;

static void analyse(const char *src, ord_lang lang, ord_cfile *f)
{
	ord_ctoks t;

	assert_int_equal(ord_code_tokenize(src, strlen(src), lang, 10000, &t), 0);
	memset(f, 0, sizeof(*f));
	ord_code_analyse(&sdks, lang, &t, f);
	ord_ctoks_release(&t);
}

static size_t reads_of(const ord_cfile *f, const char *var)
{
	size_t i, n = 0;

	for (i = 0; i < f->nreads; i++)
		n += !strcmp(f->reads[i].var, var);
	return n;
}

static void test_js_comments_strings_templates(void **st)
{
	ord_cfile f;
	(void)st;
	analyse("// process.env.A\n"
		"/* process.env.A\n process.env.A */\n"
		"const s = 'process.env.A' + \"process.env.A\";\n"
		"const t = `process.env.A ${process.env.B + `${process.env.C}`} process.env.A`;\n"
		"const r = /process.env.A\"/g; const d = a / process.env.D / 2;\n"
		"process.env['E'];\n"
		"process.env['not a name']; process.env[''];\n",
		ORD_LANG_JS, &f);
	assert_int_equal(reads_of(&f, "not a name"), 0);
	assert_int_equal(reads_of(&f, ""), 0);
	assert_int_equal(reads_of(&f, "A"), 0);
	assert_int_equal(reads_of(&f, "B"), 1);
	assert_int_equal(reads_of(&f, "C"), 1);
	assert_int_equal(reads_of(&f, "D"), 1);
	assert_int_equal(reads_of(&f, "E"), 1);
	assert_int_equal(f.reads[f.nreads - 1].line, 7); /* E */
	ord_cfile_release(&f);
}

static void test_py_strings(void **st)
{
	ord_cfile f;
	(void)st;
	analyse("# os.getenv('A')\n"
		"s = '''os.getenv('A')\nos.environ['A']'''\n"
		"r = rb\"os.getenv('A')\\\"\" + f\"{os.getenv('A')}\"\n"
		"k = os.environ.get('B')\n"
		"m = os.environ['C']\n",
		ORD_LANG_PY, &f);
	assert_int_equal(reads_of(&f, "A"), 0);
	assert_int_equal(reads_of(&f, "B"), 1);
	assert_int_equal(reads_of(&f, "C"), 1);
	assert_int_equal(f.reads[0].line, 5);
	ord_cfile_release(&f);
}

static void test_js_client(void **st)
{
	ord_cfile f;
	(void)st;
	analyse("import 'dotenv/config';\n"
		"import OpenAI from 'openai';\n"
		"const apiKey = process.env.OPENROUTER_API_KEY\n"
		"const c = new OpenAI({\n  apiKey,\n  baseURL: \"https://openrouter.ai/api/v1\",\n});\n"
		"require('dotenv').config({ path: '.env.local', override: true });\n",
		ORD_LANG_JS, &f);
	assert_int_equal(f.nclients, 1);
	assert_int_equal(f.clients[0].line, 4);
	assert_int_equal(f.clients[0].key.kind, ORD_CVAL_ENV);
	assert_string_equal(f.clients[0].key.var, "OPENROUTER_API_KEY");
	assert_int_equal(f.clients[0].base.kind, ORD_CVAL_LITERAL);
	assert_string_equal(f.clients[0].base.text, "https://openrouter.ai/api/v1");
	assert_int_equal(f.clients[0].base.line, 6);
	assert_int_equal(f.nloads, 2);
	assert_int_equal(f.loads[0].override, 0);
	assert_null(f.loads[0].path);
	assert_int_equal(f.loads[1].override, 1);
	assert_string_equal(f.loads[1].path, ".env.local");
	ord_cfile_release(&f);
}

static void test_py_client_and_loads(void **st)
{
	ord_cfile f;
	(void)st;
	analyse("from dotenv import load_dotenv\nfrom openai import OpenAI\n"
		"load_dotenv('.env.prod', override=True)\n"
		"def OpenAI(x): pass\n"
		"client = OpenAI(api_key=os.getenv('OR_KEY') or os.getenv('OPENROUTER_API_KEY'))\n",
		ORD_LANG_PY, &f);
	assert_int_equal(f.nclients, 1);
	assert_int_equal(f.clients[0].key.kind, ORD_CVAL_ENV);
	assert_string_equal(f.clients[0].key.var, "OR_KEY");
	assert_string_equal(f.clients[0].key.var2, "OPENROUTER_API_KEY");
	assert_int_equal(f.clients[0].base.kind, ORD_CVAL_NONE);
	assert_int_equal(f.nloads, 1);
	assert_int_equal(f.loads[0].override, 1);
	assert_string_equal(f.loads[0].path, ".env.prod");
	ord_cfile_release(&f);
}

static void test_no_import_no_client(void **st)
{
	ord_cfile f;
	(void)st;
	/* a class of that name from elsewhere is not the SDK */
	analyse("class OpenAI {}\nconst c = new OpenAI({ apiKey: 'x' });\n", ORD_LANG_JS, &f);
	assert_int_equal(f.nclients, 0);
	ord_cfile_release(&f);
}

static void test_scripts(void **st)
{
	ord_cfile f;
	const char *js = "{\n \"scripts\": {\n  \"dev\": \"node --env-file=.env.dev a.js\"\n }\n}\n";
	(void)st;
	memset(&f, 0, sizeof(f));
	ord_code_analyse_scripts(js, strlen(js), &f);
	assert_int_equal(f.nloads, 1);
	assert_int_equal(f.loads[0].kind, ORD_CLOAD_ENV_FILE);
	assert_int_equal(f.loads[0].line, 3);
	assert_string_equal(f.loads[0].path, ".env.dev");
	ord_cfile_release(&f);
}

static void test_hostile(void **st)
{
	ord_ctoks t;
	char deep[4096];
	size_t i;
	(void)st;
	for (i = 0; i + 3 < sizeof(deep); i += 3)
		memcpy(deep + i, "`${", 3);
	assert_int_equal(ord_code_tokenize(deep, i, ORD_LANG_JS, 100000, &t), 0);
	assert_true(t.truncated);
	ord_ctoks_release(&t);
	assert_int_equal(ord_code_tokenize("a b c d e", 9, ORD_LANG_PY, 2, &t), 0);
	assert_int_equal(t.n, 2);
	assert_true(t.truncated);
	ord_ctoks_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_js_comments_strings_templates),
		cmocka_unit_test(test_py_strings),
		cmocka_unit_test(test_js_client),
		cmocka_unit_test(test_py_client_and_loads),
		cmocka_unit_test(test_no_import_no_client),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_hostile),
	};
	ord_ctx ctx;
	int rc;

	if (ord_ctx_init(&ctx, NULL, "/nonexistent", "/"))
		return 1;
	ord_csdks_load(&ctx, &sdks);
	ord_ctx_release(&ctx);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	ord_csdks_release(&sdks);
	return rc;
}
