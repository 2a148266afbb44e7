/* check.c: text assertions, the suite-wide secret check and the failure
 * report.  Included by runner.c. */
#include "runner.h"

#include <dirent.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SHOW_MAX_BYTES 16384
#define SHOW_MAX_LINES 80

size_t rc_count_lines(const char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	if (len && buf[len - 1] != '\n')
		n++;
	return n;
}

/* The secret part of a key: what follows its prefix ("sk-or-v1-",
 * "sk-ant-api03-", "v1-"), that is what follows the last '-' or '_' of its
 * first 16 characters; NULL when that is too short to be told apart from
 * ordinary text. */
static const char *key_body(const char *v)
{
	size_t i, at = 0, n = strlen(v);

	for (i = 0; i < n && i < 16; i++)
		if (v[i] == '-' || v[i] == '_')
			at = i + 1;
	return n - at >= 24 ? v + at : NULL;
}

static int hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One level of the escapes a key can travel in (%XX, \uXXXX, \xHH, the
 * JSON escapes), decoded; a new buffer of *n bytes. */
static char *unescape(const char *b, size_t len, size_t *n)
{
	char *o = rc_xmalloc(len + 1);
	size_t i = 0, k = 0;

	while (i < len) {
		if (b[i] == '%' && i + 2 < len && hexv(b[i + 1]) >= 0 && hexv(b[i + 2]) >= 0) {
			o[k++] = (char)(hexv(b[i + 1]) * 16 + hexv(b[i + 2]));
			i += 3;
		} else if (b[i] == '\\' && i + 5 < len && b[i + 1] == 'u' && hexv(b[i + 2]) == 0 &&
			   hexv(b[i + 3]) == 0 && hexv(b[i + 4]) >= 0 && hexv(b[i + 5]) >= 0) {
			o[k++] = (char)(hexv(b[i + 4]) * 16 + hexv(b[i + 5]));
			i += 6;
		} else if (b[i] == '\\' && i + 3 < len && b[i + 1] == 'x' && hexv(b[i + 2]) >= 0 &&
			   hexv(b[i + 3]) >= 0) {
			o[k++] = (char)(hexv(b[i + 2]) * 16 + hexv(b[i + 3]));
			i += 4;
		} else if (b[i] == '\\' && i + 1 < len && strchr("/\\\"", b[i + 1])) {
			o[k++] = b[i + 1];
			i += 2;
		} else
			o[k++] = b[i++];
	}
	o[k] = '\0';
	*n = k;
	return o;
}

static const rc_key *leak_in_text(const rc_keys *keys, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < keys->n; i++) {
		const char *body = key_body(keys->v[i].value);

		if (memmem(buf, len, keys->v[i].value, strlen(keys->v[i].value)) ||
		    (body && memmem(buf, len, body, strlen(body))))
			return &keys->v[i];
	}
	return NULL;
}

/* A key in full, or its secret part, as written or under up to two levels
 * of escaping (percent-encoded, \u- or \x-escaped, JSON). */
const rc_key *rc_leak_find(const rc_keys *keys, const char *buf, size_t len)
{
	const rc_key *k;
	char *d1, *d2;
	size_t n1, n2;

	if (!buf)
		return NULL;
	if ((k = leak_in_text(keys, buf, len)))
		return k;
	d1 = unescape(buf, len, &n1);
	d2 = unescape(d1, n1, &n2);
	k = leak_in_text(keys, d1, n1);
	if (!k)
		k = leak_in_text(keys, d2, n2);
	free(d1);
	free(d2);
	return k;
}

char *rc_redact(const rc_keys *keys, const char *buf, size_t len,
		size_t *outlen)
{
	size_t cap = len + 1, n = 0, i, k;
	char *o = rc_xmalloc(cap);
	size_t *order = rc_xmalloc((keys->n + 1) * sizeof(size_t));

	/* Longest first, so a key that contains another one wins. */
	for (k = 0; k < keys->n; k++) {
		size_t j = k;

		while (j > 0 && strlen(keys->v[order[j - 1]].value) <
				strlen(keys->v[k].value)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	for (i = 0; i < len;) {
		const char *rep = NULL;
		size_t skip = 1;
		char tmp[160];

		for (k = 0; k < keys->n && !rep; k++) {
			const rc_key *key = &keys->v[order[k]];
			size_t kl = strlen(key->value);

			const char *body = key_body(key->value);

			if (buf[i] == key->value[0] && kl <= len - i &&
			    !memcmp(buf + i, key->value, kl)) {
				snprintf(tmp, sizeof(tmp), "[FIXTURE KEY %s]", key->name);
				rep = tmp;
				skip = kl;
			} else if (body && strlen(body) <= len - i &&
				   !memcmp(buf + i, body, strlen(body))) {
				/* A leak's report must not leak it either. */
				snprintf(tmp, sizeof(tmp), "[FIXTURE KEY %s, SECRET PART]", key->name);
				rep = tmp;
				skip = strlen(body);
			}
		}
		if (!rep) {
			if (n + 2 > cap)
				o = rc_xrealloc(o, cap *= 2);
			o[n++] = buf[i++];
			continue;
		}
		while (n + strlen(rep) + 1 > cap)
			o = rc_xrealloc(o, cap *= 2);
		memcpy(o + n, rep, strlen(rep));
		n += strlen(rep);
		i += skip;
	}
	o[n] = '\0';
	free(order);
	if (outlen)
		*outlen = n;
	return o;
}

static void leak_in(rc_run *r, const char *what, const char *buf, size_t len)
{
	static const char msg[] = "output contains fixture key";
	const rc_key *k = rc_leak_find(&r->keys, buf, len);
	char *prev;

	if (!k || (r->fail && !strncmp(r->fail, msg, sizeof(msg) - 1)))
		return;
	/* A leak outranks every other failure. */
	prev = r->fail;
	r->fail = NULL;
	if (prev)
		rc_failf(r, "%s %s in full (%s); also: %s", msg, k->name, what, prev);
	else
		rc_failf(r, "%s %s in full (%s)", msg, k->name, what);
	free(prev);
}

/* Offset of the first byte that breaks the promise, or len. */
static size_t unclean_at(const unsigned char *s, size_t len)
{
	size_t i = 0, k, need;

	while (i < len) {
		unsigned char c = s[i];
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				return i;
			i++;
			continue;
		}
		need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 :
		       c >= 0xf0 && c <= 0xf4 ? 3 : 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (!need || i + need >= len || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
		if (c == 0xc2 && s[i + 1] < 0xa0)
			return i; /* a C1 control */
		i += need + 1;
	}
	return len;
}

static void clean_in(rc_run *r, const char *what, const char *buf, size_t len)
{
	size_t at;

	if (!buf || r->fail)
		return;
	at = unclean_at((const unsigned char *)buf, len);
	if (at < len)
		rc_failf(r, "%s byte %zu (0x%02x): a control character or invalid UTF-8 passed the output gate",
			 what, at, (unsigned char)buf[at]);
}

void rc_check_clean(rc_run *r)
{
	clean_in(r, "stdout", r->out, r->out_len);
	clean_in(r, "stderr", r->err, r->err_len);
	clean_in(r, "mock request log", r->mock_log, r->mock_log_len);
}

/* The runner's own files in the root (the mock's log is checked as such). */
static int runner_file(const char *rel)
{
	static const char *const own[] = {
		".case-stdout", ".case-stderr", ".case-stdin", "mock-keys",
		"mock-stdout", "mock-stderr", "mock-requests.jsonl",
	};
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (!strcmp(rel, own[i]))
			return 1;
	return 0;
}

typedef void (*rc_file_fn)(rc_run *r, const char *rel, const struct stat *st);

static void walk(rc_run *r, const char *rel, rc_file_fn fn, int depth)
{
	char *dir = rel[0] ? rc_xasprintf("%s/%s", r->root, rel) : rc_xstrdup(r->root);
	DIR *d = opendir(dir);
	struct dirent *e;

	free(dir);
	if (!d || depth > 32) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		char *sub, *full;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = rel[0] ? rc_xasprintf("%s/%s", rel, e->d_name) : rc_xstrdup(e->d_name);
		full = rc_xasprintf("%s/%s", r->root, sub);
		if (!lstat(full, &st)) {
			if (S_ISDIR(st.st_mode))
				walk(r, sub, fn, depth + 1);
			else if (S_ISREG(st.st_mode) && !runner_file(sub))
				fn(r, sub, &st);
		}
		free(full);
		free(sub);
	}
	closedir(d);
}

static void snap_one(rc_run *r, const char *rel, const struct stat *st)
{
	r->files = rc_xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
	r->files[r->nfiles].path = rc_xstrdup(rel);
	r->files[r->nfiles].mtime = st->st_mtim;
	r->files[r->nfiles].size = st->st_size;
	r->nfiles++;
}

void rc_snapshot(rc_run *r)
{
	walk(r, "", snap_one, 0);
}

/* A file that is new or changed since the snapshot was written by the
 * command (or the mock): its contents must hold no key either. */
static void written_one(rc_run *r, const char *rel, const struct stat *st)
{
	size_t i, len;
	char *full, *buf, what[512];

	for (i = 0; i < r->c->key_files.n; i++) {
		const char *k = r->c->key_files.v[i];
		size_t kl = strlen(k);

		if (kl && k[kl - 1] == '*' ? !strncmp(rel, k, kl - 1) : !strcmp(rel, k))
			return; /* a key belongs there: Key-File */
	}

	for (i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, rel))
			break;
	if (i < r->nfiles && r->files[i].size == st->st_size &&
	    r->files[i].mtime.tv_sec == st->st_mtim.tv_sec &&
	    r->files[i].mtime.tv_nsec == st->st_mtim.tv_nsec)
		return;
	full = rc_xasprintf("%s/%s", r->root, rel);
	buf = rc_read_file(full, &len, 16u << 20);
	free(full);
	if (!buf)
		return;
	snprintf(what, sizeof(what), "file %s", rel);
	leak_in(r, what, buf, len);
	free(buf);
}

void rc_check_secrets(rc_run *r)
{
	leak_in(r, "stdout", r->out, r->out_len);
	leak_in(r, "stderr", r->err, r->err_len);
	leak_in(r, "mock request log", r->mock_log, r->mock_log_len);
	leak_in(r, "mock stderr", r->mock_err, r->mock_err_len);
	if (r->ran && r->root)
		walk(r, "", written_one, 0);
}

static void show(FILE *f, const rc_keys *keys, const char *what,
		 const char *buf, size_t len)
{
	size_t rl, i, lines = 0;
	char *red;
	int bol = 1;

	if (!buf)
		return;
	red = rc_redact(keys, buf, len, &rl);
	fprintf(f, "    --- %s (%zu bytes) ---\n", what, len);
	for (i = 0; i < rl; i++) {
		unsigned char ch = (unsigned char)red[i];

		if (i >= SHOW_MAX_BYTES || lines >= SHOW_MAX_LINES) {
			fprintf(f, "%s    ... (%zu more bytes)\n", bol ? "" : "\n", rl - i);
			bol = 1;
			break;
		}
		if (bol)
			fputs("    ", f);
		bol = 0;
		if (ch == '\n') {
			fputc('\n', f);
			lines++;
			bol = 1;
		} else if (ch == '\t' || (ch >= 0x20 && ch != 0x7f))
			fputc(ch, f);
		else
			fprintf(f, "\\x%02x", ch);
	}
	if (!bol)
		fputs("\\ (no newline at end)\n", f);
	free(red);
}

void rc_print_captured(rc_run *r, FILE *f)
{
	if (r->ran) {
		show(f, &r->keys, "stdout", r->out, r->out_len);
		show(f, &r->keys, "stderr", r->err, r->err_len);
	}
	if (r->mock_err && r->mock_err_len)
		show(f, &r->keys, "mock stderr", r->mock_err, r->mock_err_len);
	if (r->mock_log && r->mock_log_len)
		show(f, &r->keys, "mock request log", r->mock_log, r->mock_log_len);
}

static int regex_search(rc_run *r, const rc_assert *a, const char *re,
			const char *buf)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);

	if (rc) {
		char msg[256];

		regerror(rc, &rx, msg, sizeof(msg));
		rc_failf(r, "line %d: %s: bad ERE '%s': %s", a->line, a->directive,
			 a->text, msg);
		return -1;
	}
	rc = regexec(&rx, buf, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

/* File-Contains: RELPATH TEXT, File-Not-Contains: RELPATH TEXT,
 * File-Missing: RELPATH, about a file of the case root after the run (a
 * state file the command wrote, one it must not have written). */
static void check_file(rc_run *r, const rc_assert *a, const char *v)
{
	size_t pl = strcspn(v, " \t"), len = 0;
	const char *text = v + pl + strspn(v + pl, " \t");
	char *rel = rc_xstrndup(v, pl), *path = rc_xasprintf("%s/%s", r->root, rel);
	char *body = rc_read_file(path, &len, 1 << 24);

	if (!pl || *v == '/' || strstr(rel, ".."))
		rc_failf(r, "line %d: %s: '%s' is not a path relative to the root", a->line,
			 a->directive, rel);
	else if (a->kind == RC_A_FILE_MISSING) {
		if (body)
			rc_failf(r, "line %d: %s: %s: the file exists", a->line, a->directive, a->text);
	} else if (!*text)
		rc_failf(r, "line %d: %s wants a path and a text", a->line, a->directive);
	else if (!body)
		rc_failf(r, "line %d: %s: %s: no such file", a->line, a->directive, a->text);
	else if ((memmem(body, len, text, strlen(text)) != NULL) != (a->kind == RC_A_FILE_CONTAINS))
		rc_failf(r, "line %d: %s: %s: %s in %s", a->line, a->directive, a->text,
			 a->kind == RC_A_FILE_CONTAINS ? "not" : "found", rel);
	free(body);
	free(path);
	free(rel);
}

static void check_one(rc_run *r, const rc_assert *a, const char *v)
{
	const char *buf = r->out;
	size_t len = r->out_len, n;
	const char *stream = "stdout";
	char *why = NULL;
	int hit;

	switch (a->kind) {
	case RC_A_STDERR_CONTAINS:
	case RC_A_STDERR_NOT_CONTAINS:
	case RC_A_STDERR_MATCHES:
	case RC_A_STDERR_NOT_MATCHES:
	case RC_A_STDERR_LINES:
		buf = r->err;
		len = r->err_len;
		stream = "stderr";
		break;
	default:
		break;
	}

	switch (a->kind) {
	case RC_A_EXIT:
		if (r->exit_code != atoi(v))
			rc_failf(r, "line %d: Exit: %s: exit status was %d", a->line,
				 a->text, r->exit_code);
		break;
	case RC_A_STDOUT_CONTAINS:
	case RC_A_STDERR_CONTAINS:
		if (!memmem(buf, len, v, strlen(v)))
			rc_failf(r, "line %d: %s: %s: not in %s", a->line,
				 a->directive, a->text, stream);
		break;
	case RC_A_STDOUT_NOT_CONTAINS:
	case RC_A_STDERR_NOT_CONTAINS:
		if (memmem(buf, len, v, strlen(v)))
			rc_failf(r, "line %d: %s: %s: found in %s", a->line,
				 a->directive, a->text, stream);
		break;
	case RC_A_STDOUT_MATCHES:
	case RC_A_STDERR_MATCHES:
		hit = regex_search(r, a, v, buf);
		if (hit == 0)
			rc_failf(r, "line %d: %s: %s: no match in %s", a->line,
				 a->directive, a->text, stream);
		break;
	case RC_A_STDOUT_NOT_MATCHES:
	case RC_A_STDERR_NOT_MATCHES:
		hit = regex_search(r, a, v, buf);
		if (hit == 1)
			rc_failf(r, "line %d: %s: %s: a line of %s matches", a->line,
				 a->directive, a->text, stream);
		break;
	case RC_A_STDOUT_LINES:
	case RC_A_STDERR_LINES:
		n = rc_count_lines(buf, len);
		if (n != (size_t)atol(v))
			rc_failf(r, "line %d: %s: %s: %s has %zu lines", a->line,
				 a->directive, a->text, stream, n);
		break;
	case RC_A_JSON:
	case RC_A_JSON_ANY:
	case RC_A_JSON_NONE:
		if (!r->json_tried) {
			r->json_tried = 1;
			r->json = rc_json_parse_output(r->out, r->out_len, &r->json_error);
		}
		if (!r->json) {
			rc_failf(r, "line %d: %s: %s: stdout is not JSON (%s)", a->line,
				 a->directive, a->text, r->json_error);
			break;
		}
		if (rc_json_assert(a->kind, v, r->json, &why) != 1)
			rc_failf(r, "line %d: %s: %s: %s", a->line, a->directive,
				 a->text, why);
		free(why);
		break;
	case RC_A_MOCK_REQUEST:
	case RC_A_MOCK_NO_REQUEST:
	case RC_A_MOCK_REQUESTS:
		if (!r->c->has_mock) {
			rc_failf(r, "line %d: %s needs Mock-Keys or Mock-Args", a->line,
				 a->directive);
			break;
		}
		buf = r->mock_log ? r->mock_log : "";
		len = r->mock_log ? r->mock_log_len : 0;
		if (a->kind == RC_A_MOCK_REQUESTS) {
			n = rc_count_lines(buf, len);
			if (n != (size_t)atol(v))
				rc_failf(r, "line %d: Mock-Requests: %s: the mock logged %zu requests",
					 a->line, a->text, n);
		} else if ((memmem(buf, len, v, strlen(v)) != NULL) !=
			   (a->kind == RC_A_MOCK_REQUEST))
			rc_failf(r, "line %d: %s: %s: %s in the mock request log", a->line,
				 a->directive, a->text,
				 a->kind == RC_A_MOCK_REQUEST ? "not" : "found");
		break;
	case RC_A_FILE_CONTAINS:
	case RC_A_FILE_NOT_CONTAINS:
	case RC_A_FILE_MISSING:
		check_file(r, a, v);
		break;
	}
}

void rc_check_asserts(rc_run *r)
{
	size_t i;

	if (r->fail)
		return;
	if (r->timed_out) {
		rc_failf(r, "timed out after %d s (Timeout: %d)", r->c->timeout,
			 r->c->timeout);
		return;
	}
	if (r->signaled) {
		rc_failf(r, "killed by signal %d (SIG%s)", r->signaled,
			 sigabbrev_np(r->signaled) ? sigabbrev_np(r->signaled) : "?");
		return;
	}
	for (i = 0; i < r->c->nasserts && !r->fail; i++) {
		const rc_assert *a = &r->c->asserts[i];
		char *v = rc_subst(r, a->text);

		if (!v)
			return;
		check_one(r, a, v);
		free(v);
	}
}
