/* libFuzzer target for the consumers of the parsers: a whole generated
 * HOME (environment, startup files, .env files, netrc, tool configs in
 * JSON, YAML and TOML, /etc/environment) through discovery, resolution and
 * the whole judgment (ord_diag_run: facts, rules, verdict, words, checks),
 * offline, then the JSON report of check, keys and tools through the
 * output gate.  The memory-safety findings of issue 10 (a use-after-free
 * in discover.c, a heap overflow in resolve.c) sat in this code, which the
 * parser targets never reached.
 *
 * Input: the files' contents separated by lines "@@" (the first chunk is
 * the environment, NAME=VALUE lines); the last byte picks the tool scope.
 * Seed corpus: tests/fuzz/corpus/home.  No file system and no network are
 * touched: the files are served by an in-memory ord_fs_ops and the ctx is
 * offline.  Checked: nothing crashes or leaks (ASan), every report is
 * strict JSON, and the gated report is valid UTF-8 without control
 * characters.  Then `fix` plans on the same home judged with liveness from
 * the next-to-last byte (fix_plan): one span edited, the diff gated. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/buf.h"
#include "lib/ctx.h"
#include "lib/fix.h"
#include "lib/gate.h"
#include "lib/judge.h"
#include "lib/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define HOME "/fz/home"
#define CWD HOME "/w"

static const char *const paths[] = {
	NULL, /* the environment */
	HOME "/.bashrc",
	HOME "/.profile",
	HOME "/.zshrc",
	HOME "/.config/fish/config.fish",
	HOME "/.netrc",
	CWD "/.env",
	HOME "/.env",
	HOME "/.aider.conf.yml",
	HOME "/.continue/config.yaml",
	HOME "/.codex/config.toml",
	HOME "/.cline/data/secrets.json",
	HOME "/.claude/settings.json",
	HOME "/.local/share/opencode/auth.json",
	HOME "/.claude-code-router/config.json",
	"/fz/etc/environment",
	CWD "/compose.yaml",
	HOME "/.hermes/.env",
	CWD "/.env.local",
	HOME "/.config/io.datasette.llm/keys.json",
};
#define NSLOTS (sizeof(paths) / sizeof(*paths))

static const char *const tools[] = {
	NULL, "aider", "cline", "continue", "claude-code", "claude-code-router",
	"codex", "opencode", "hermes", "litellm", "openai-sdk", "llm", "docker-compose",
	"vercel-ai-sdk", "no-such-tool",
};

typedef struct vfs {
	const char *data[NSLOTS];
	size_t len[NSLOTS];
} vfs;

static int file_of(const vfs *v, const char *path)
{
	size_t i;

	for (i = 1; i < NSLOTS; i++)
		if (v->data[i] && !strcmp(paths[i], path))
			return (int)i;
	return -1;
}

/* A directory: a proper prefix of some file's path, up to a '/'. */
static int is_dir(const vfs *v, const char *path)
{
	size_t i, n = strlen(path);

	if (!strcmp(path, "/"))
		return 1;
	for (i = 1; i < NSLOTS; i++)
		if (v->data[i] && !strncmp(paths[i], path, n) && paths[i][n] == '/')
			return 1;
	return 0;
}

static int v_stat(void *ud, const char *path, struct stat *st)
{
	const vfs *v = ud;
	int f = file_of(v, path);

	memset(st, 0, sizeof(*st));
	if (f >= 0) {
		st->st_mode = S_IFREG | 0600;
		st->st_size = (off_t)v->len[f];
		return 0;
	}
	if (is_dir(v, path)) {
		st->st_mode = S_IFDIR | 0700;
		return 0;
	}
	return 2; /* ENOENT */
}

static int v_read(void *ud, const char *path, size_t cap, ord_buf *out, int *truncated)
{
	const vfs *v = ud;
	int f = file_of(v, path);
	size_t n;

	*truncated = 0;
	if (f < 0)
		return is_dir(v, path) ? 21 /* EISDIR */ : 2;
	n = v->len[f] < cap ? v->len[f] : cap;
	*truncated = v->len[f] > cap;
	return n ? ord_buf_add(out, v->data[f], n) : 0;
}

static int v_list(void *ud, const char *path, int (*fn)(void *arg, const char *name), void *arg)
{
	const vfs *v = ud;
	size_t i, j, n = strlen(path);
	char name[256];

	if (!is_dir(v, path))
		return 2;
	for (i = 1; i < NSLOTS; i++) {
		const char *p = paths[i], *e;
		int seen = 0;

		if (!v->data[i] || strncmp(p, path, n) || p[n] != '/')
			continue;
		p += n + 1;
		e = strchr(p, '/');
		snprintf(name, sizeof(name), "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
		for (j = 1; j < i && !seen; j++)
			seen = v->data[j] && !strncmp(paths[j], path, n) && paths[j][n] == '/' &&
			       !strncmp(paths[j] + n + 1, name, strlen(name)) &&
			       (paths[j][n + 1 + strlen(name)] == '/' || !paths[j][n + 1 + strlen(name)]);
		if (!seen && fn(arg, name))
			break;
	}
	return 0;
}

static const ord_fs_ops vfs_ops = {v_stat, v_stat, v_read, v_list, NULL, NULL};

static time_t fixed_now(void *ud)
{
	(void)ud;
	return 1767225600; /* 2026-01-01 */
}

/* The gate's promises on a document. */
static void gated_clean(const char *s)
{
	ord_buf b = ORD_BUF_INIT(strlen(s) * 3 + 64);
	const unsigned char *p;

	CHECK(!ord_gate_buf(s, strlen(s), 0, &b));
	for (p = (const unsigned char *)ord_buf_str(&b); *p; p++)
		CHECK(*p >= 0x20 || *p == '\n' || *p == '\t');
	ord_buf_release(&b);
}

/* Every report is strict JSON; the check report (which holds the keys and
 * the tools too) also goes through the gate. */
static void report(const ord_ctx *ctx, const ord_diag *d, const char *cmd)
{
	char *js = ord_report_json(ctx, d, cmd);
	json_tokener *tok;
	json_object *o;

	if (!js)
		return;
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, js, (int)strlen(js) + 1);
	CHECK(o && json_tokener_get_error(tok) == json_tokener_success);
	json_object_put(o);
	json_tokener_free(tok);
	if (!strcmp(cmd, "check"))
		gated_clean(js);
	free(js);
}

/* fix: the same home judged as if OpenRouter had answered (each key valid
 * or dead by one bit of the input), then the plan and its diff.  The plan
 * re-reads the file and searches, edits and parses it back: the edit must
 * be the one span it names, and the diff must pass the gate. */
static void fix_plan(ord_ctx *ctx, const char *tool, unsigned bits)
{
	ord_diag d;
	ord_fix_plan p;
	ord_buf diff = ORD_BUF_INIT(1u << 22);
	long t = -1;
	size_t i;

	ord_diag_init(&d);
	if (ord_facts_gather(ctx, &d.f) || (tool && (t = ord_diag_tool_index(&d, tool)) < 0)) {
		ord_diag_release(&d);
		return;
	}
	for (i = 0; i < d.f.nkeys; i++)
		if (d.f.keys[i].openrouter) {
			d.f.keys[i].live = (bits >> (i % 8)) & 1 ? ORD_LIVE_VALID : ORD_LIVE_INVALID;
			d.f.keys[i].why = ORD_WHY_NONE;
		}
	d.f.probed = 1;
	ord_diag_judge(ctx, &d, t);
	ord_fix_plan_init(&p);
	if (!ord_fix_plan_make(ctx, &d, &p) && p.action != ORD_FIX_NONE) {
		const char *a = ord_buf_str(&p.before), *b = ord_buf_str(&p.after);
		size_t tail = p.before.len - p.span_off - p.span_len;

		CHECK(p.refusal == ORD_FIX_OK && p.path && p.good_row >= 0);
		CHECK(p.span_off + p.span_len <= p.before.len);
		CHECK(p.after.len == p.before.len - p.span_len + p.new_len);
		CHECK(!memcmp(a, b, p.span_off));
		CHECK(!memcmp(a + p.span_off + p.span_len, b + p.span_off + p.new_len, tail));
		ord_fix_diff(&p, "f", &diff);
		CHECK(diff.len > 0);
		gated_clean(ord_buf_str(&diff));
	}
	ord_buf_release(&diff);
	ord_fix_plan_release(&p);
	ord_diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n@@\n";
	vfs v;
	char *copy, *envp[64], *env_text = NULL;
	const char *p, *end;
	size_t slot = 0, nenv = 0;
	ord_ctx ctx;
	ord_diag d;
	ord_diag_opts o;

	if (size > 256 * 1024)
		return 0;
	memset(&v, 0, sizeof(v));
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy, end = copy + size; slot < NSLOTS; slot++) {
		const char *s = memmem(p, (size_t)(end - p), sep, sizeof(sep) - 1);
		size_t n = s ? (size_t)(s - p) : (size_t)(end - p);

		v.data[slot] = p;
		v.len[slot] = n;
		if (!s)
			break;
		p = s + sizeof(sep) - 1;
	}
	/* The environment: NAME=VALUE lines (a value has no newline). */
	envp[nenv++] = (char *)"HOME=" HOME;
	if (v.data[0]) {
		char *line, *save = NULL;

		env_text = strndup(v.data[0], v.len[0]);
		for (line = env_text ? strtok_r(env_text, "\n", &save) : NULL; line && nenv < 62;
		     line = strtok_r(NULL, "\n", &save))
			if (strchr(line, '=') && line[0] != '=')
				envp[nenv++] = line;
	}
	envp[nenv] = NULL;
	if (ord_ctx_init(&ctx, envp, HOME, CWD) == 0) {
		ctx.fs = &vfs_ops;
		ctx.fs_ud = &v;
		ctx.now = fixed_now;
		ctx.offline = 1;
		free(ctx.etc);
		ctx.etc = strdup("/fz/etc");
		memset(&o, 0, sizeof(o));
		o.tool = size ? tools[data[size - 1] % (sizeof(tools) / sizeof(*tools))] : NULL;
		ord_diag_init(&d);
		if (ord_diag_run(&ctx, &d, &o) == 0) {
			report(&ctx, &d, "check");
			report(&ctx, &d, "keys");
			report(&ctx, &d, "tools");
		}
		ord_diag_release(&d);
		fix_plan(&ctx, o.tool, size > 1 ? data[size - 2] : 0x55);
		ord_ctx_release(&ctx);
	}
	free(env_text);
	free(copy);
	return 0;
}
