/* case.c: reading a .case file (format: tests/cases/README.md) into an
 * rc_case; nothing here touches the file system beyond reading the file. */
#include "runner.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- the case file ----------------------------------------------------- */

static const struct {
	const char *name;
	int kind;
} assert_names[] = {
	{"Exit", RC_A_EXIT},
	{"Stdout-Contains", RC_A_STDOUT_CONTAINS},
	{"Stdout-Not-Contains", RC_A_STDOUT_NOT_CONTAINS},
	{"Stderr-Contains", RC_A_STDERR_CONTAINS},
	{"Stderr-Not-Contains", RC_A_STDERR_NOT_CONTAINS},
	{"Stdout-Matches", RC_A_STDOUT_MATCHES},
	{"Stderr-Matches", RC_A_STDERR_MATCHES},
	{"Stdout-Not-Matches", RC_A_STDOUT_NOT_MATCHES},
	{"Stderr-Not-Matches", RC_A_STDERR_NOT_MATCHES},
	{"Stdout-Lines", RC_A_STDOUT_LINES},
	{"Stderr-Lines", RC_A_STDERR_LINES},
	{"Json", RC_A_JSON},
	{"Json-Any", RC_A_JSON_ANY},
	{"Json-None", RC_A_JSON_NONE},
	{"Mock-Request", RC_A_MOCK_REQUEST},
	{"Mock-No-Request", RC_A_MOCK_NO_REQUEST},
	{"Mock-Requests", RC_A_MOCK_REQUESTS},
	{"File-Contains", RC_A_FILE_CONTAINS},
	{"File-Not-Contains", RC_A_FILE_NOT_CONTAINS},
	{"File-Missing", RC_A_FILE_MISSING},
};

static int is_body_directive(const char *k)
{
	return !strcasecmp(k, "File") || !strcasecmp(k, "File-Raw") ||
	       !strcasecmp(k, "Stdin") || !strcasecmp(k, "Stdin-Raw") ||
	       !strcasecmp(k, "Mock-Keys");
}

static int valid_relpath(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return 0;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && !strncmp(s, "..", 2))
			return 0;
		s += n;
		if (*s == '/')
			s++;
	}
	return 1;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_size(const char *s, long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v > (1ULL << 40))
		return -1;
	*out = (long long)v;
	return 0;
}

static int parse_fault_ops(const char *s, int *ops)
{
	char *dup = rc_xstrdup(s), *tok, *save = NULL;
	int rc = 0;

	*ops = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "read"))
			*ops |= RC_FAULT_READ;
		else if (!strcmp(tok, "stat"))
			*ops |= RC_FAULT_STAT;
		else if (!strcmp(tok, "lstat"))
			*ops |= RC_FAULT_LSTAT;
		else if (!strcmp(tok, "list"))
			*ops |= RC_FAULT_LIST;
		else if (!strcmp(tok, "write"))
			*ops |= RC_FAULT_WRITE;
		else if (!strcmp(tok, "any"))
			*ops |= RC_FAULT_READ | RC_FAULT_STAT | RC_FAULT_LSTAT |
				RC_FAULT_LIST | RC_FAULT_WRITE;
		else
			rc = -1;
	}
	free(dup);
	return rc || !*ops ? -1 : 0;
}

static int parse_now(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;
	long v;

	if (!parse_int(s, 0, 0x7fffffffL, &v)) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	*out = timegm(&tm);
	return 0;
}

static rc_step *add_step(rc_case *c, int kind, int line, const char *path)
{
	rc_step *st;

	c->steps = rc_xrealloc(c->steps, (c->nsteps + 1) * sizeof(rc_step));
	st = &c->steps[c->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->line = line;
	st->path = rc_xstrdup(path);
	return st;
}

/* One directive; returns NULL or an error message (malloc'd). */
static char *directive(rc_case *c, const char *key, char *val, char *body,
		       int line, int *seen_singletons)
{
	static const char *const singles[] = {"Name", "Command", "Cwd", "Stdin",
		"Stdin-Raw", "Mock-Keys", "Timeout", "Exec", "Now"};
	char *err = NULL;
	long n;
	size_t i;

	for (i = 0; i < sizeof(singles) / sizeof(*singles); i++) {
		if (strcasecmp(key, singles[i]))
			continue;
		if (seen_singletons[i]++)
			return rc_xasprintf("'%s' given twice", key);
	}
	if (body && !is_body_directive(key))
		return rc_xasprintf("'%s' takes no indented body", key);

	if (!strcasecmp(key, "Name")) {
		if (!*val)
			return rc_xstrdup("empty Name");
		free(c->name);
		c->name = rc_xstrdup(val);
	} else if (!strcasecmp(key, "Command")) {
		c->has_command = 1;
		if (rc_split_words(val, &c->words, &err))
			return err;
	} else if (!strcasecmp(key, "Env") || !strcasecmp(key, "Env-Raw")) {
		char *eq = strchr(val, '=');

		if (!eq || eq == val)
			return rc_xasprintf("%s wants NAME=value", key);
		rc_strv_push(&c->env, rc_xasprintf("%c%s", key[3] ? 'r' : 'p', val));
		if (key[3]) {
			char *dec;
			long dl = rc_decode_escapes(eq + 1, &dec, &err);

			if (dl < 0)
				return err;
			if ((size_t)dl != strlen(dec)) {
				free(dec);
				return rc_xstrdup("Env-Raw value cannot contain \\0");
			}
			free(dec);
		}
	} else if (!strcasecmp(key, "Env-Unset")) {
		if (!*val || strchr(val, '='))
			return rc_xstrdup("Env-Unset wants a NAME");
		rc_strv_push(&c->env_unset, rc_xstrdup(val));
	} else if (!strcasecmp(key, "Key-File")) {
		if (!valid_relpath(val))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", val);
		rc_strv_push(&c->key_files, rc_xstrdup(val));
	} else if (!strcasecmp(key, "Cwd")) {
		if (!valid_relpath(val))
			return rc_xasprintf("Cwd '%s' must be relative to the root, without '..'", val);
		free(c->cwd);
		c->cwd = rc_xstrdup(val);
	} else if (!strcasecmp(key, "File") || !strcasecmp(key, "File-Raw")) {
		if (!valid_relpath(val))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", val);
		add_step(c, key[4] ? RC_STEP_FILE_RAW : RC_STEP_FILE, line, val)->body =
			rc_xstrdup(body ? body : "");
	} else if (!strcasecmp(key, "Fixture")) {
		if (!valid_relpath(val))
			return rc_xasprintf("fixture '%s' must be relative to tests/fixtures, without '..'", val);
		add_step(c, RC_STEP_FIXTURE, line, val);
	} else if (!strcasecmp(key, "Mkdir")) {
		if (!valid_relpath(val))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", val);
		add_step(c, RC_STEP_MKDIR, line, val);
	} else if (!strcasecmp(key, "Symlink")) {
		char *arrow = strstr(val, " -> ");

		if (!arrow || !arrow[4])
			return rc_xstrdup("Symlink wants 'relpath -> target'");
		*arrow = '\0';
		if (!valid_relpath(val))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", val);
		add_step(c, RC_STEP_SYMLINK, line, val)->body = rc_xstrdup(arrow + 4);
	} else if (!strcasecmp(key, "Sparse") || !strcasecmp(key, "Chmod")) {
		char *sp = strrchr(val, ' ');
		long long size = 0;
		long mode = 0;

		if (!sp)
			return rc_xasprintf("%s wants 'relpath %s'", key,
					    key[0] == 'S' ? "SIZE" : "MODE");
		*sp++ = '\0';
		if (!valid_relpath(val))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", val);
		if (key[0] == 'S' || key[0] == 's') {
			if (parse_size(sp, &size))
				return rc_xasprintf("bad size '%s' (N, NK, NM or NG)", sp);
			add_step(c, RC_STEP_SPARSE, line, val)->size = size;
		} else {
			char *end;

			mode = strtol(sp, &end, 8);
			if (*end || end == sp || mode < 0 || mode > 07777)
				return rc_xasprintf("bad octal mode '%s'", sp);
			add_step(c, RC_STEP_CHMOD, line, val)->mode = (unsigned)mode;
		}
	} else if (!strcasecmp(key, "Fault")) {
		char *sp1 = strchr(val, ' '), *sp2 = strrchr(val, ' ');
		int ops, e;
		rc_fault *f;

		if (!sp1 || sp1 == sp2)
			return rc_xstrdup("Fault wants 'read|stat|lstat|list|write|any relpath ERRNO'");
		*sp1++ = '\0';
		*sp2++ = '\0';
		while (*sp1 == ' ')
			sp1++;
		if (parse_fault_ops(val, &ops))
			return rc_xasprintf("bad Fault operation '%s' (read, stat, lstat, list, write, any; "
					    "comma-separated)", val);
		if (!valid_relpath(sp1))
			return rc_xasprintf("path '%s' must be relative to the root, without '..'", sp1);
		e = rc_errno_from_name(sp2);
		if (e <= 0)
			return rc_xasprintf("unknown errno name '%s'", sp2);
		c->faults = rc_xrealloc(c->faults, (c->nfaults + 1) * sizeof(rc_fault));
		f = &c->faults[c->nfaults++];
		f->ops = ops;
		f->path = rc_xstrdup(sp1);
		f->err = e;
	} else if (!strcasecmp(key, "Stdin") || !strcasecmp(key, "Stdin-Raw")) {
		if (*val)
			return rc_xasprintf("%s takes an indented body, not a value", key);
		if (c->stdin_body)
			return rc_xstrdup("Stdin given twice");
		c->stdin_body = rc_xstrdup(body ? body : "");
		c->stdin_raw = key[5] != '\0';
	} else if (!strcasecmp(key, "Mock-Keys")) {
		if (*val)
			return rc_xstrdup("Mock-Keys takes an indented body, not a value");
		c->has_mock = 1;
		free(c->mock_keys);
		c->mock_keys = rc_xstrdup(body ? body : "");
	} else if (!strcasecmp(key, "Mock-Args")) {
		c->has_mock = 1;
		if (rc_split_words(val, &c->mock_args, &err))
			return err;
	} else if (!strcasecmp(key, "Timeout")) {
		if (parse_int(val, 1, 3600, &n))
			return rc_xasprintf("bad Timeout '%s' (seconds, 1..3600)", val);
		c->timeout = (int)n;
	} else if (!strcasecmp(key, "Exec")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return rc_xstrdup("Exec wants yes or no");
		c->exec = !strcmp(val, "yes");
	} else if (!strcasecmp(key, "Now")) {
		if (parse_now(val, &c->now))
			return rc_xasprintf("bad Now '%s' (epoch seconds or YYYY-MM-DDTHH:MM:SSZ)", val);
		c->has_now = 1;
	} else {
		for (i = 0; i < sizeof(assert_names) / sizeof(*assert_names); i++)
			if (!strcasecmp(key, assert_names[i].name))
				break;
		if (i == sizeof(assert_names) / sizeof(*assert_names))
			return rc_xasprintf("unknown directive '%s'", key);
		if ((assert_names[i].kind == RC_A_EXIT &&
		     parse_int(val, 0, 255, &n)) ||
		    ((assert_names[i].kind == RC_A_STDOUT_LINES ||
		      assert_names[i].kind == RC_A_STDERR_LINES ||
		      assert_names[i].kind == RC_A_MOCK_REQUESTS) &&
		     parse_int(val, 0, 1L << 30, &n)))
			return rc_xasprintf("%s wants a number, not '%s'", key, val);
		if (!*val)
			return rc_xasprintf("%s wants a value", key);
		c->asserts = rc_xrealloc(c->asserts, (c->nasserts + 1) * sizeof(rc_assert));
		c->asserts[c->nasserts].kind = assert_names[i].kind;
		c->asserts[c->nasserts].line = line;
		c->asserts[c->nasserts].directive = assert_names[i].name;
		c->asserts[c->nasserts].text = rc_xstrdup(val);
		c->nasserts++;
	}
	return NULL;
}

static char *default_name(const char *file)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".case"))
		n -= 5;
	return rc_xstrndup(b, n);
}

rc_case *rc_case_parse(const char *file, const char *text)
{
	rc_case *c = calloc(1, sizeof(*c));
	int seen[16] = {0};
	const char *p = text;
	int line = 0;

	if (!c)
		abort();
	c->file = rc_xstrdup(file);
	c->name = default_name(file);
	c->text = rc_xstrdup(text);
	c->cwd = rc_xstrdup("work");
	c->timeout = 20;
	if (strchr(text, '\r')) {
		c->error = rc_xstrdup("case file contains CR; write CRLF with File-Raw escapes");
		return c;
	}
	while (*p && !c->error) {
		const char *eol = strchrnul(p, '\n'), *q;
		char *l = rc_xstrndup(p, (size_t)(eol - p)), *colon, *val, *key;
		size_t k;
		int startline = ++line;
		char *body = NULL;
		size_t blen = 0;
		int raw;

		p = *eol ? eol + 1 : eol;
		for (q = l; *q == ' ' || *q == '\t'; q++)
			;
		if (!*q || l[0] == '#') {
			free(l);
			continue;
		}
		if (l[0] == ' ' || l[0] == '\t') {
			c->error = rc_xasprintf("line %d: indented line outside a body "
						"(only File, File-Raw, Stdin, Stdin-Raw and Mock-Keys take one)",
						line);
			free(l);
			break;
		}
		colon = strchr(l, ':');
		for (k = 0; colon && l + k < colon; k++)
			if (!isalnum((unsigned char)l[k]) && l[k] != '-')
				colon = NULL;
		if (!colon || colon == l) {
			c->error = rc_xasprintf("line %d: expected 'Directive: value', got '%.40s'",
						line, l);
			free(l);
			break;
		}
		*colon = '\0';
		key = l;
		val = colon + 1;
		while (*val == ' ' || *val == '\t')
			val++;
		k = strlen(val);
		while (k && (val[k - 1] == ' ' || val[k - 1] == '\t'))
			val[--k] = '\0';
		/* The body: following lines that start with two spaces. */
		raw = !strcasecmp(key, "File-Raw") || !strcasecmp(key, "Stdin-Raw");
		while (p[0] == ' ' && p[1] == ' ') {
			const char *e = strchrnul(p, '\n');
			size_t bl = (size_t)(e - p) - 2;

			body = rc_xrealloc(body, blen + bl + 2);
			memcpy(body + blen, p + 2, bl);
			blen += bl;
			if (!raw)
				body[blen++] = '\n';
			body[blen] = '\0';
			line++;
			p = *e ? e + 1 : e;
		}
		{
			char *err = directive(c, key, val, body, startline, seen);

			if (err) {
				c->error = rc_xasprintf("line %d: %s", startline, err);
				free(err);
			}
		}
		free(body);
		free(l);
	}
	if (!c->error && !c->has_command)
		c->error = rc_xstrdup("no Command line");
	return c;
}

rc_case *rc_case_load(const char *file)
{
	size_t len;
	char *text = rc_read_file(file, &len, 1 << 20);
	rc_case *c;

	if (!text) {
		c = rc_case_parse(file, "Command:\n");
		c->error = rc_xasprintf("cannot read case file: %s", strerror(errno));
		return c;
	}
	if (strlen(text) != len) {
		c = rc_case_parse(file, "Command:\n");
		c->error = rc_xstrdup("case file contains NUL bytes; use File-Raw \\0");
	} else
		c = rc_case_parse(file, text);
	free(text);
	return c;
}

void rc_case_free(rc_case *c)
{
	size_t i;

	if (!c)
		return;
	free(c->file);
	free(c->name);
	free(c->text);
	free(c->error);
	rc_strv_free(&c->words);
	rc_strv_free(&c->env);
	rc_strv_free(&c->env_unset);
	rc_strv_free(&c->key_files);
	free(c->cwd);
	for (i = 0; i < c->nsteps; i++) {
		free(c->steps[i].path);
		free(c->steps[i].body);
	}
	free(c->steps);
	for (i = 0; i < c->nfaults; i++)
		free(c->faults[i].path);
	free(c->faults);
	free(c->stdin_body);
	free(c->mock_keys);
	rc_strv_free(&c->mock_args);
	for (i = 0; i < c->nasserts; i++)
		free(c->asserts[i].text);
	free(c->asserts);
	free(c);
}
