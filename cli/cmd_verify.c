/* `ordoctor verify`: one key, checked live with GET /api/v1/key (issue 3).
 *
 * The key comes from stdin (default), --key-file FILE or --env NAME (the
 * injected environment), never from argv: a command line is visible to
 * every user in ps(1) and lands in shell history.  One trailing newline is
 * removed (what `echo KEY |` adds); anything else is linted as given.
 *
 * Exit: 0 valid and usable; 1 a problem (lint, invalid, management key,
 * limit used up, expired); 2 usage; 3 could not tell (offline, network).
 */
#include "cli.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/api.h"
#include "lib/key.h"

#define KEY_INPUT_CAP (64 * 1024)

typedef struct note {
	const char *id;
	char text[256];
} note;

typedef struct verify {
	ord_key key;
	ord_key_check chk;
	int checked;
	char base[ORD_API_URL_MAX];
	char redacted[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];
	note problems[8], warnings[8];
	size_t nproblems, nwarnings;
	long days_left;       /* to expiry; LONG_MIN when none */
	int exit;
} verify;

static void add_note(note *arr, size_t *n, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add_note(note *arr, size_t *n, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (*n >= 8)
		return;
	arr[*n].id = id;
	va_start(ap, fmt);
	vsnprintf(arr[*n].text, sizeof(arr[*n].text), fmt, ap);
	va_end(ap);
	(*n)++;
}

static int looks_like_key(const char *a)
{
	return !strncmp(a, "sk-", 3) || strstr(a, "sk-or") ||
	       ord_value_looks_like_openrouter_key(a, strlen(a)) ||
	       strlen(a) >= 32;
}

/* Read all of f (bounded) into b. */
static int read_stream(FILE *f, ord_buf *b)
{
	char chunk[4096];
	size_t n;
	int rc = 0;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((rc = ord_buf_add(b, chunk, n)))
			break;
	ord_wipe(chunk, sizeof(chunk));
	return rc;
}

static void strip_one_newline(ord_buf *b)
{
	if (b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

static void money(char *out, size_t cap, double v)
{
	if (isnan(v))
		snprintf(out, cap, "unknown");
	else
		snprintf(out, cap, "$%.2f", v);
}

static const char *yesno(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

/* Decide problems, warnings and the exit code. */
static void judge(ord_cli *cli, verify *v)
{
	const ord_key_info *in = &v->chk.info;
	unsigned l;

	v->days_left = LONG_MIN;
	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (v->key.lint & ORD_LINT_BIT(l))
			add_note(v->problems, &v->nproblems, ord_lint_id((ord_lint)l),
				 "the value as given: %s", ord_lint_text((ord_lint)l));
	if (!v->checked) {
		v->exit = v->nproblems ? ORD_EXIT_PROBLEM : ORD_EXIT_UNDECIDED;
		return;
	}
	switch (v->chk.status) {
	case ORD_KEYST_VALID:
		break;
	case ORD_KEYST_INVALID:
		add_note(v->problems, &v->nproblems, "invalid", "OpenRouter rejects this key: %s",
			 v->chk.reason);
		break;
	default:
		v->exit = v->nproblems ? ORD_EXIT_PROBLEM : ORD_EXIT_UNDECIDED;
		return;
	}
	if (v->chk.status == ORD_KEYST_VALID) {
		time_t now = ord_now(&cli->ctx);

		if (in->is_management_key == 1)
			add_note(v->problems, &v->nproblems, "management_key",
				 "a management key: it cannot call completion endpoints; use an inference key");
		if (!isnan(in->limit_remaining) && in->limit_remaining <= 0)
			add_note(v->problems, &v->nproblems, "limit_exhausted",
				 "the key's spend limit is used up (remaining $%.2f)", in->limit_remaining);
		if (in->expires) {
			double d = difftime(in->expires, now) / 86400.0;

			v->days_left = (long)floor(d);
			if (in->expires <= now)
				add_note(v->problems, &v->nproblems, "expired", "the key expired at %s",
					 in->expires_at);
			else if (d < 7)
				add_note(v->warnings, &v->nwarnings, "expires_soon",
					 "the key expires in %ld day%s (%s)", v->days_left,
					 v->days_left == 1 ? "" : "s", in->expires_at);
		}
		if (isnan(in->limit))
			add_note(v->warnings, &v->nwarnings, "no_spend_limit",
				 "no spend limit on this key: a leak can spend the whole balance");
	}
	v->exit = v->nproblems ? ORD_EXIT_PROBLEM : ORD_EXIT_OK;
}

static json_object *jnum(double d)
{
	return isnan(d) ? NULL : json_object_new_double(d);
}

static json_object *jbool(int b)
{
	return b < 0 ? NULL : json_object_new_boolean(b);
}

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *notes_json(const note *arr, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(arr[i].id));
		json_object_object_add(o, "message", json_object_new_string(arr[i].text));
		json_object_array_add(a, o);
	}
	return a;
}

static void print_json(ord_cli *cli, verify *v)
{
	json_object *doc = json_object_new_object(), *k = json_object_new_object();
	json_object *lint = json_object_new_array();
	const ord_key_info *in = &v->chk.info;
	unsigned l;
	size_t i;

	json_object_object_add(doc, "schema", json_object_new_string("ordoctor.verify/1"));
	{
		char shown[ORD_API_URL_MAX];

		ord_http_strip_userinfo(v->base, shown, sizeof(shown));
		json_object_object_add(doc, "api_base", json_object_new_string(shown));
	}
	json_object_object_add(k, "redacted", json_object_new_string(v->redacted));
	json_object_object_add(k, "fingerprint", json_object_new_string(v->fp));
	json_object_object_add(k, "shape", json_object_new_string(ord_key_shape_id(v->key.shape)));
	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (v->key.lint & ORD_LINT_BIT(l))
			json_object_array_add(lint, json_object_new_string(ord_lint_id((ord_lint)l)));
	json_object_object_add(k, "lint", lint);
	json_object_object_add(doc, "key", k);
	json_object_object_add(doc, "status", json_object_new_string(
		v->checked ? ord_key_status_id(v->chk.status) : "not_checked"));
	json_object_object_add(doc, "reason", jstr(v->chk.reason));
	json_object_object_add(doc, "http_status",
			       v->chk.http_status ? json_object_new_int64(v->chk.http_status) : NULL);
	if (v->checked && v->chk.status == ORD_KEYST_VALID) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "label", jstr(in->label));
		json_object_object_add(o, "limit", jnum(in->limit));
		json_object_object_add(o, "limit_remaining", jnum(in->limit_remaining));
		json_object_object_add(o, "limit_reset", jstr(in->limit_reset));
		json_object_object_add(o, "usage", jnum(in->usage));
		json_object_object_add(o, "usage_daily", jnum(in->usage_daily));
		json_object_object_add(o, "usage_weekly", jnum(in->usage_weekly));
		json_object_object_add(o, "usage_monthly", jnum(in->usage_monthly));
		json_object_object_add(o, "is_free_tier", jbool(in->is_free_tier));
		json_object_object_add(o, "is_management_key", jbool(in->is_management_key));
		json_object_object_add(o, "is_provisioning_key", jbool(in->is_provisioning_key));
		json_object_object_add(o, "expires_at", jstr(in->expires_at));
		json_object_object_add(o, "expires_in_days", v->days_left != LONG_MIN ?
				       json_object_new_int64(v->days_left) : NULL);
		if (in->has_free_daily) {
			json_object *f = json_object_new_object();
			json_object_object_add(f, "limit", in->free_daily_limit < 0 ? NULL : json_object_new_int64(in->free_daily_limit));
			json_object_object_add(f, "remaining", in->free_daily_remaining < 0 ? NULL : json_object_new_int64(in->free_daily_remaining));
			json_object_object_add(f, "used", in->free_daily_used < 0 ? NULL : json_object_new_int64(in->free_daily_used));
			json_object_object_add(o, "free_model_daily_requests", f);
		}
		json_object_object_add(o, "legacy_shape", json_object_new_boolean(in->legacy));
		json_object_object_add(doc, "info", o);
	} else
		json_object_object_add(doc, "info", NULL);
	if (v->checked && v->chk.http_status && v->chk.status != ORD_KEYST_VALID) {
		json_object *e = json_object_new_object(), *c = json_object_new_array();

		json_object_object_add(e, "message", jstr(v->chk.error.message));
		json_object_object_add(e, "body", json_object_new_string(ord_body_kind_id(v->chk.error.kind)));
		json_object_object_add(e, "cause", jstr(v->chk.cause.cause));
		for (i = 0; i < 4 && v->chk.cause.candidates[i]; i++)
			json_object_array_add(c, json_object_new_string(v->chk.cause.candidates[i]));
		json_object_object_add(e, "candidates", c);
		json_object_object_add(e, "user_id_present", json_object_new_boolean(v->chk.error.user_id_present));
		json_object_object_add(doc, "error", e);
	} else
		json_object_object_add(doc, "error", NULL);
	json_object_object_add(doc, "problems", notes_json(v->problems, v->nproblems));
	json_object_object_add(doc, "warnings", notes_json(v->warnings, v->nwarnings));
	json_object_object_add(doc, "exit", json_object_new_int(v->exit));
	fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

static void print_text(ord_cli *cli, verify *v)
{
	const ord_key_info *in = &v->chk.info;
	char a[32], b[32];
	size_t i;

	fprintf(cli->out, "key          %s  (fingerprint %s)\n", v->redacted, v->fp);
	if (!v->checked)
		fprintf(cli->out, "status       not checked: %s\n", v->chk.reason);
	else {
		fprintf(cli->out, "status       %s%s%s  (%s, %.0f ms)\n",
			ord_c(cli, ORD_C_BOLD), ord_key_status_id(v->chk.status),
			ord_c(cli, ORD_C_RESET), v->chk.url, v->chk.seconds * 1000);
		if (v->chk.status != ORD_KEYST_VALID && v->chk.http_status)
			fprintf(cli->out, "answer       %s\n", v->chk.reason);
	}
	if (v->checked && v->chk.status == ORD_KEYST_VALID) {
		fprintf(cli->out, "label        %s\n", in->label[0] ? in->label : "(none)");
		if (isnan(in->limit))
			fprintf(cli->out, "limit        none\n");
		else {
			money(a, sizeof(a), in->limit);
			money(b, sizeof(b), in->limit_remaining);
			fprintf(cli->out, "limit        %s, remaining %s%s%s\n", a, b,
				in->limit_reset[0] ? ", resets " : "", in->limit_reset);
		}
		money(a, sizeof(a), in->usage);
		fprintf(cli->out, "usage        %s total", a);
		if (!isnan(in->usage_daily)) {
			money(a, sizeof(a), in->usage_daily);
			fprintf(cli->out, "; %s today", a);
		}
		if (!isnan(in->usage_monthly)) {
			money(a, sizeof(a), in->usage_monthly);
			fprintf(cli->out, ", %s this month", a);
		}
		fputc('\n', cli->out);
		fprintf(cli->out, "free tier    %s\n", yesno(in->is_free_tier));
		fprintf(cli->out, "management   %s\n", yesno(in->is_management_key));
		if (in->expires_at[0] && v->days_left != LONG_MIN)
			fprintf(cli->out, "expires      %s (in %ld days)\n", in->expires_at, v->days_left);
		else
			fprintf(cli->out, "expires      %s\n", in->expires_at[0] ? in->expires_at : "never");
		if (in->has_free_daily && in->free_daily_limit >= 0)
			fprintf(cli->out, "free models  %ld of %ld requests left today\n",
				in->free_daily_remaining, in->free_daily_limit);
	}
	if (v->checked && v->chk.cause.cause && v->chk.status != ORD_KEYST_VALID)
		fprintf(cli->out, "cause        %s\n", v->chk.cause.cause);
	for (i = 0; i < v->nproblems; i++)
		fprintf(cli->out, "%s✗%s %s\n", ord_c(cli, ORD_C_RED), ord_c(cli, ORD_C_RESET),
			v->problems[i].text);
	for (i = 0; i < v->nwarnings; i++)
		fprintf(cli->out, "%s!%s %s\n", ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET),
			v->warnings[i].text);
	if (v->exit == ORD_EXIT_OK)
		fprintf(cli->out, "%s✓%s the key is valid and usable\n", ord_c(cli, ORD_C_GREEN),
			ord_c(cli, ORD_C_RESET));
	else if (v->exit == ORD_EXIT_UNDECIDED)
		fprintf(cli->out, "? could not tell whether the key works%s%s\n",
			v->chk.reason[0] ? ": " : "", v->chk.reason);
}

/* Get the value from the chosen source into b.  Returns 0 or an exit. */
static int read_key(ord_cli *cli, const char *file, const char *env, ord_buf *b)
{
	int rc, trunc = 0;

	if (env) {
		const char *val = ord_env_get(&cli->ctx, env);

		if (!val)
			return ord_cli_usage_error(cli, "verify: %s is not set in the environment", env);
		if (ord_buf_adds(b, val))
			return ord_cli_usage_error(cli, "verify: %s is too long", env);
	} else if (file) {
		rc = ord_read_file(&cli->ctx, file, KEY_INPUT_CAP, b, &trunc);
		if (rc)
			return ord_cli_usage_error(cli, "verify: cannot read '%s': %s", file, strerror(rc));
		if (trunc)
			return ord_cli_usage_error(cli, "verify: '%s' is larger than 64 KiB: not a key file", file);
	} else {
		if (isatty(fileno(cli->in)))
			fputs("ordoctor: reading the key from stdin (paste it, then Ctrl-D)\n", cli->err);
		if (read_stream(cli->in, b))
			return ord_cli_usage_error(cli, "verify: more than 64 KiB on stdin: not a key");
	}
	strip_one_newline(b);
	/* Nothing to verify is a usage error, not a verdict: a report about
	 * "" would show the fingerprint of the empty string as if it were a
	 * key's. */
	if (b->len == strspn(b->data ? b->data : "", " \t\r\n")) {
		if (env)
			return ord_cli_usage_error(cli, "verify: %s is set but empty: no key to verify", env);
		if (file)
			return ord_cli_usage_error(cli, "verify: '%s' is empty: no key to verify", file);
		return ord_cli_usage_error(cli, "verify: no key on stdin (pipe one, or use --key-file FILE or --env NAME)");
	}
	return 0;
}

int cmd_verify(ord_cli *cli, int argc, char **argv)
{
	const char *file = NULL, *env = NULL, *val;
	ord_buf in = ORD_BUF_INIT(KEY_INPUT_CAP);
	const ord_key *kp;
	verify *v;
	char why[256];
	int i, nsrc = 0, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((val = ord_opt_value(argc, argv, &i, "--key-file")))
			file = ord_cli_path(cli, val), nsrc++;
		else if ((val = ord_opt_value(argc, argv, &i, "--env")))
			env = val, nsrc++;
		else if (!strcmp(a, "--stdin") || !strcmp(a, "-"))
			nsrc++;
		else if (!strcmp(a, "--key-file") || !strcmp(a, "--env"))
			return ord_cli_usage_error(cli, "verify: option '%s' needs a value", a);
		else if (!strncmp(a, "--key", 5) || looks_like_key(a)) {
			/* Do not keep it in our own memory either. */
			int secret = a[0] != '-' || strchr(a, '=');
			if (secret)
				ord_wipe(argv[i], strlen(argv[i]));
			return ord_cli_usage_error(cli,
				"verify: refusing to take a key from the command line (other users see it in ps, and it stays in shell history); "
				"pipe it on stdin, or use --key-file FILE or --env NAME");
		} else
			return a[0] == '-' && a[1] ? ord_cli_unknown_option(cli, "verify", a) :
			       ord_cli_usage_error(cli, "verify: unexpected argument (it takes no positional arguments; see 'ordoctor verify --help')");
	}
	if (nsrc > 1)
		return ord_cli_usage_error(cli, "verify: give one of --stdin, --key-file or --env");
	rc = read_key(cli, file, env, &in);
	if (rc) {
		ord_buf_release(&in);
		return rc;
	}
	v = calloc(1, sizeof(*v));
	if (!v || ord_key_init(&v->key, in.data ? in.data : "", in.len)) {
		ord_buf_release(&in);
		free(v);
		return ord_cli_usage_error(cli, "out of memory");
	}
	ord_buf_release(&in);

	cli->ctx.api_base = cli->api_base;
	cli->ctx.timeout = cli->timeout;
	cli->ctx.offline = cli->offline;
	ord_api_base(&cli->ctx, v->base);
	ord_key_redact(&v->key, v->redacted);
	ord_key_fingerprint(&v->key, v->fp);
	if (!ord_api_base_is_default(v->base)) {
		char shown[ORD_API_URL_MAX];

		ord_http_strip_userinfo(v->base, shown, sizeof(shown));
		fprintf(cli->err, "%swarning:%s talking to %s, not OpenRouter\n",
			ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET), shown);
	}
	rc = -1;
	if (!ord_key_is_openrouter(&v->key))
		snprintf(v->chk.reason, sizeof(v->chk.reason), "%s",
			 v->key.shape == ORD_SHAPE_FOREIGN ? "not sent: another vendor's key" :
			 v->key.shape == ORD_SHAPE_EMPTY ? "not sent: the key is empty" :
			 v->key.shape == ORD_SHAPE_PLACEHOLDER ? "not sent: a placeholder, not a key" :
			 "not sent: not a well-formed OpenRouter key");
	else if (cli->offline)
		snprintf(v->chk.reason, sizeof(v->chk.reason), "offline: lint only");
	else if (ord_api_base_sendable(v->base, why, sizeof(why)))
		rc = ord_cli_usage_error(cli, "verify: %s", why);
	else {
		kp = &v->key;
		if (ord_api_check_keys(&cli->ctx, &kp, 1, &v->chk))
			rc = ord_cli_usage_error(cli, "out of memory");
		else
			v->checked = 1;
	}
	if (rc < 0) {
		judge(cli, v);
		if (cli->format == ORD_FMT_JSON)
			print_json(cli, v);
		else
			print_text(cli, v);
		rc = v->exit;
	}
	ord_http_release(&cli->ctx);
	ord_key_release(&v->key);
	ord_wipe(v, sizeof(*v));
	free(v);
	return rc;
}
