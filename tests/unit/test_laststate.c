/* The last good state: a file written then read back is the same state,
 * a damaged one is refused whole, and the diff names each change once. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/laststate.h"

static const char *const doc =
	"{\"schema\": \"ordoctor.last-good/1\", \"recorded_at\": \"2026-12-01T10:00:00Z\","
	" \"keys\": [{\"fingerprint\": \"1b960a8a39ef\", \"redacted\": \"sk-or-v1-0e9...872\","
	"   \"places\": [{\"environment\": \"OPENROUTER_API_KEY\"},"
	"                {\"path\": \"/h/.env\", \"line\": 2, \"name\": \"OPENROUTER_API_KEY\"}]}],"
	" \"base_urls\": [\"https://openrouter.ai/api/v1\"],"
	" \"tools\": [{\"id\": \"aider\", \"key\": {\"fingerprint\": \"1b960a8a39ef\","
	"   \"redacted\": \"sk-or-v1-0e9...872\", \"source\": {\"environment\": \"OPENROUTER_API_KEY\"}},"
	"   \"base_url\": \"https://openrouter.ai/api/v1\"},"
	"   {\"id\": \"hermes\", \"key\": null, \"base_url\": null}]}";

static void test_round_trip(void **state)
{
	ord_laststate a, b;
	char *text, *again;

	(void)state;
	assert_int_equal(ord_laststate_parse(doc, &a), 0);
	assert_int_equal(a.nkeys, 2);
	assert_null(a.keys[0].place.path);
	assert_string_equal(a.keys[1].place.path, "/h/.env");
	assert_int_equal(a.keys[1].place.line, 2);
	assert_int_equal(a.ntools, 2);
	assert_false(a.tools[1].has_key);
	text = ord_laststate_serialize(&a);
	assert_non_null(text);
	assert_int_equal(ord_laststate_parse(text, &b), 0);
	again = ord_laststate_serialize(&b);
	assert_string_equal(text, again);
	free(text);
	free(again);
	ord_laststate_release(&a);
	ord_laststate_release(&b);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{\"schema\": \"ordoctor.last-good/2\"}",
		"{\"schema\": \"ordoctor.last-good/1\", \"recorded_at\": \"2026\", \"keys\": [], \"tools\": []}",
		"{\"schema\": \"ordoctor.last-good/1\", \"recorded_at\": \"2026-12-01T10:00:00Z\","
		" \"keys\": [{\"fingerprint\": \"1b960a8a39ef\", \"places\": [{}]}], \"tools\": []}",
		"{\"schema\": \"ordoctor.last-good/1\", \"recorded_at\": \"2026-12-01T10:00:00Z\","
		" \"keys\": [], \"tools\": [{\"id\": 3}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ord_laststate s;

		assert_int_equal(ord_laststate_parse(bad[i], &s), EINVAL);
		assert_int_equal(s.nkeys, 0);
	}
}

static void test_diff(void **state)
{
	ord_since s;
	size_t i;
	int holds = 0, gone = 0, tool = 0, base = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(ord_laststate_parse(doc, &s.old), 0);
	assert_int_equal(ord_laststate_parse(doc, &s.cur), 0);
	assert_int_equal(ord_since_diff(&s), 0);
	assert_int_equal(s.n, 0);
	/* the environment's key swapped, the .env line gone, a new base */
	strcpy(s.cur.keys[0].fp, "e81812ad81dc");
	strcpy(s.cur.tools[0].fp, "e81812ad81dc");
	free(s.cur.tools[0].base_url);
	s.cur.tools[0].base_url = strdup("http://localhost:4000");
	free(s.cur.keys[1].place.path);
	s.cur.keys[1].place.path = strdup("/h/other");
	assert_int_equal(ord_since_diff(&s), 0);
	for (i = 0; i < s.n; i++) {
		holds += s.v[i].kind == ORD_CHG_HOLDS;
		gone += s.v[i].kind == ORD_CHG_REMOVED;
		tool += s.v[i].kind == ORD_CHG_TOOL_KEY;
		base += s.v[i].kind == ORD_CHG_TOOL_BASE;
	}
	assert_int_equal(holds, 1);
	assert_int_equal(gone, 1);
	assert_int_equal(tool, 1);
	assert_int_equal(base, 1);
	free(s.v);
	ord_laststate_release(&s.old);
	ord_laststate_release(&s.cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
