/* The key model: lint flags, shape, redaction, fingerprint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/key.h"

/* A fixture key: never a real one. */
#define HEX "3fa1c0de9b1e2d3c4b5a69788796a5b4c3d2e1f0011223344556677889aab9b1"
#define HEX64 HEX
#define KEY "sk-or-v1-" HEX64

static uint32_t lint_of(const char *v, size_t n, ord_key_shape *shape)
{
	ord_key k;
	uint32_t l;

	assert_int_equal(ord_key_init(&k, v, n), 0);
	l = k.lint;
	if (shape)
		*shape = k.shape;
	ord_key_release(&k);
	return l;
}

#define LINT(s, shape) lint_of((s), sizeof(s) - 1, (shape))
#define BIT(x) ORD_LINT_BIT(ORD_LINT_##x)

static void test_fixture_is_64_hex(void **state)
{
	(void)state;
	assert_int_equal(strlen(KEY), ORD_KEY_LEN);
}

static void test_valid(void **state)
{
	ord_key_shape s;

	(void)state;
	assert_int_equal(LINT(KEY, &s), 0);
	assert_int_equal(s, ORD_SHAPE_VALID);
}

static void test_cosmetic_flags_are_fixable(void **state)
{
	ord_key_shape s;

	(void)state;
	assert_int_equal(LINT("\"" KEY "\"", &s), BIT(QUOTES));
	assert_int_equal(s, ORD_SHAPE_FIXABLE);
	assert_int_equal(LINT("'" KEY "'", &s), BIT(QUOTES));
	assert_int_equal(LINT(KEY " ", &s), BIT(WHITESPACE));
	assert_int_equal(s, ORD_SHAPE_FIXABLE);
	assert_int_equal(LINT(KEY "\r", &s), BIT(CRLF));
	assert_int_equal(LINT(KEY "\n", &s), BIT(LINE_BREAK));
	assert_int_equal(LINT("sk-or-v1-3fa1c0de9b1e2d3c4b5a6978\n8796a5b4c3d2e1f0011223344556677889aab9b1", &s),
			 BIT(LINE_BREAK));
	assert_int_equal(s, ORD_SHAPE_FIXABLE);
	assert_int_equal(LINT("Bearer " KEY, &s), BIT(BEARER_PREFIX));
	assert_int_equal(s, ORD_SHAPE_FIXABLE);
	assert_int_equal(LINT("\xe2\x80\x8b" KEY, &s), BIT(ZERO_WIDTH));
	assert_int_equal(s, ORD_SHAPE_FIXABLE);
	assert_int_equal(LINT(" '" KEY "'\r\n", &s),
			 BIT(QUOTES) | BIT(WHITESPACE) | BIT(CRLF) | BIT(LINE_BREAK));
}

static void test_empty_and_placeholders(void **state)
{
	ord_key_shape s;
	static const char *const ph[] = {
		"your_openrouter_api_key_here", "sk-or-v1-", "sk-or-v1-xxxxxxxxxxxxxxxx",
		"$OPENROUTER_API_KEY", "${OPENROUTER_API_KEY}", "not-provided", "test",
		"<your-key>", "sk-or-v1-****", "{env:OPENROUTER_API_KEY}",
		"os.environ/OPENROUTER_API_KEY", "${{ secrets.OPENROUTER_API_KEY }}",
	};
	size_t i;

	(void)state;
	assert_int_equal(LINT("", &s), BIT(EMPTY));
	assert_int_equal(s, ORD_SHAPE_EMPTY);
	assert_int_equal(LINT("   ", &s), BIT(EMPTY) | BIT(WHITESPACE));
	for (i = 0; i < sizeof(ph) / sizeof(*ph); i++) {
		uint32_t l = lint_of(ph[i], strlen(ph[i]), &s);
		if (!(l & BIT(PLACEHOLDER)))
			fail_msg("'%s' not flagged as placeholder", ph[i]);
		assert_int_equal(s, ORD_SHAPE_PLACEHOLDER);
	}
}

/* The dashboard's short form of a key is its label: malformed (the key
 * must be created anew), not a placeholder and not missing. */
static void test_dashboard_label(void **state)
{
	ord_key_shape s;
	static const char *const label[] = {
		"sk-or-v1-abc...xyz", "sk-or-v1-0e9...872", "sk-or-v1-0e9\xe2\x80\xa6" "872",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(label) / sizeof(*label); i++) {
		uint32_t l = lint_of(label[i], strlen(label[i]), &s);
		if (!(l & BIT(DASHBOARD_LABEL)))
			fail_msg("'%s' not flagged as the dashboard label", label[i]);
		assert_int_equal(s, ORD_SHAPE_MALFORMED);
	}
	/* a masked form or a long run is no label */
	assert_false(LINT("sk-or-v1-****", &s) & BIT(DASHBOARD_LABEL));
	assert_false(LINT("sk-or-v1-0123456789abcdef...872", &s) & BIT(DASHBOARD_LABEL));
}

static void test_truncated_and_length(void **state)
{
	ord_key_shape s;

	(void)state;
	/* lost prefix */
	assert_true(LINT("v1-" HEX64, &s) & BIT(TRUNCATED));
	assert_int_equal(s, ORD_SHAPE_MALFORMED);
	assert_true(LINT("or-v1-" HEX64, &s) & BIT(TRUNCATED));
	assert_true(LINT(HEX64, &s) & BIT(TRUNCATED));
	/* too short */
	assert_true(LINT("sk-or-v1-3fa1c0de9b1e2d3c4b5a", &s) & BIT(TRUNCATED));
	/* too long */
	assert_true(LINT(KEY "0", &s) & BIT(WRONG_LENGTH));
	assert_int_equal(s, ORD_SHAPE_MALFORMED);
}

static void test_prefix_typos(void **state)
{
	ord_key_shape s;

	(void)state;
	assert_true(LINT("sk-0r-v1-" HEX64, &s) & BIT(PREFIX_TYPO));
	assert_int_equal(s, ORD_SHAPE_MALFORMED);
	assert_true(LINT("sk_or_v1_" HEX64, &s) & BIT(PREFIX_TYPO));
	assert_true(LINT("SK-OR-V1-" HEX64, &s) & BIT(PREFIX_TYPO));
	assert_true(LINT("sk-or-v1-3FA1C0DE9B1E2D3C4B5A69788796A5B4C3D2E1F0011223344556677889AAB9B1", &s) &
		    BIT(PREFIX_TYPO));
}

static void test_foreign(void **state)
{
	ord_key k;
	static const struct {
		const char *v, *provider;
	} f[] = {
		{"sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "anthropic"},
		{"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", "openai"},
		{"AIzaSyA-abcdefghijklmnopqrstuvwxyz0123", "google"},
		{"nvapi-abcdefghijklmnopqrstuvwxyz0123456789", "nvidia"},
		{"gsk_abcdefghijklmnopqrstuvwxyz0123456789", "groq"},
		{"xai-abcdefghijklmnopqrstuvwxyz0123456789", "xai"},
	};
	size_t i;
	char red[ORD_REDACT_MAX];

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(*f); i++) {
		assert_int_equal(ord_key_init(&k, f[i].v, strlen(f[i].v)), 0);
		assert_true(k.lint & BIT(FOREIGN_PROVIDER));
		assert_int_equal(k.shape, ORD_SHAPE_FOREIGN);
		assert_string_equal(k.provider, f[i].provider);
		ord_key_redact(&k, red);
		assert_null(strstr(red, f[i].v + strlen(f[i].v) - 10));
		ord_key_release(&k);
	}
}

static void test_non_ascii_lookalike(void **state)
{
	ord_key_shape s;

	(void)state;
	/* Cyrillic "о" (U+043E) instead of "o" in the prefix */
	assert_true(LINT("sk-\xd0\xber-v1-" HEX64, &s) & BIT(NON_ASCII));
	assert_int_equal(s, ORD_SHAPE_MALFORMED);
}

static void test_redact_label_form(void **state)
{
	ord_key k;
	char red[ORD_REDACT_MAX];

	(void)state;
	assert_int_equal(ord_key_init(&k, KEY, strlen(KEY)), 0);
	ord_key_redact(&k, red);
	assert_string_equal(red, "sk-or-v1-3fa...9b1");
	ord_key_release(&k);

	/* the same key quoted redacts the same way */
	assert_int_equal(ord_key_init(&k, "\"" KEY "\"\r", strlen(KEY) + 3), 0);
	ord_key_redact(&k, red);
	assert_string_equal(red, "sk-or-v1-3fa...9b1");
	ord_key_release(&k);

	/* a short value is never shown whole */
	assert_int_equal(ord_key_init(&k, "sk-or-v1-3fa1c0", 15), 0);
	ord_key_redact(&k, red);
	assert_null(strstr(red, "3fa1c0"));
	ord_key_release(&k);

	assert_int_equal(ord_key_init(&k, "", 0), 0);
	ord_key_redact(&k, red);
	assert_string_equal(red, "(empty)");
	ord_key_release(&k);
}

static void test_fingerprint_matches_across_forms(void **state)
{
	ord_key a, b, c;
	char fa[ORD_FP_LEN + 1], fb[ORD_FP_LEN + 1], fc[ORD_FP_LEN + 1];

	(void)state;
	assert_int_equal(ord_key_init(&a, KEY, strlen(KEY)), 0);
	assert_int_equal(ord_key_init(&b, "'" KEY "'\r\n", strlen(KEY) + 4), 0);
	assert_int_equal(ord_key_init(&c, KEY "0", strlen(KEY) + 1), 0);
	ord_key_fingerprint(&a, fa);
	ord_key_fingerprint(&b, fb);
	ord_key_fingerprint(&c, fc);
	assert_int_equal(strlen(fa), ORD_FP_LEN);
	assert_string_equal(fa, fb);
	assert_string_not_equal(fa, fc);
	assert_true(ord_key_equal(&a, &b));
	assert_false(ord_key_equal(&a, &c));
	assert_true(ord_key_is_openrouter(&b));
	assert_false(ord_key_is_openrouter(&c));
	ord_key_release(&a);
	ord_key_release(&b);
	ord_key_release(&c);
}

static void test_lint_ids_stable(void **state)
{
	(void)state;
	assert_string_equal(ord_lint_id(ORD_LINT_EMPTY), "empty");
	assert_string_equal(ord_lint_id(ORD_LINT_ZERO_WIDTH), "zero_width");
	assert_string_equal(ord_lint_id(ORD_LINT_FOREIGN_PROVIDER), "foreign_provider");
	assert_string_equal(ord_lint_id(ORD_LINT_CRLF), "crlf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_is_64_hex),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_cosmetic_flags_are_fixable),
		cmocka_unit_test(test_empty_and_placeholders),
		cmocka_unit_test(test_dashboard_label),
		cmocka_unit_test(test_truncated_and_length),
		cmocka_unit_test(test_prefix_typos),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_non_ascii_lookalike),
		cmocka_unit_test(test_redact_label_form),
		cmocka_unit_test(test_fingerprint_matches_across_forms),
		cmocka_unit_test(test_lint_ids_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
