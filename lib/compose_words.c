/* compose_words: the sentence that says where a Compose service's variable
 * came from (ordoctor env, and the docker-compose profile's verdicts). */
#include "compose.h"
#include "source.h"

static void where(const ord_ctx *ctx, const char *path, unsigned line, ord_buf *out)
{
	ord_path_where(ctx, path, out);
	if (line)
		ord_buf_addf(out, " line %u", line);
}

static void ref_where(const ord_ctx *ctx, const ord_compose_ref *r, ord_buf *out)
{
	if (!r->found)
		ord_buf_addf(out, "%s, which is set neither in the shell nor in the project .env", r->name);
	else if (r->path) {
		ord_buf_addf(out, "%s in ", r->name);
		where(ctx, r->path, r->line, out);
	} else
		ord_buf_addf(out, "%s of the shell that runs docker compose", r->name);
}

void ord_compose_explain(const ord_ctx *ctx, const ord_compose_var *v, const char *name,
			 ord_buf *out)
{
	if (!v) {
		ord_buf_addf(out, "no environment: or env_file: entry sets %s", name);
		return;
	}
	if (v->error) {
		ord_buf_adds(out, "docker compose refuses to start: ");
		ord_buf_adds(out, v->error);
		ord_buf_adds(out, " (");
		where(ctx, v->path, v->line, out);
		ord_buf_adds(out, ")");
		return;
	}
	switch (v->from) {
	case ORD_CF_BARE:
		ord_buf_addf(out, "the bare entry %s at ", name);
		where(ctx, v->path, v->line, out);
		if (v->value) {
			ord_buf_adds(out, " passes ");
			ref_where(ctx, &v->ref, out);
		} else
			ord_buf_addf(out, " passes the value of the shell that runs docker compose (or of the "
				     "project .env), and neither has one: the container gets no %s", name);
		return;
	case ORD_CF_ENV_FILE:
	case ORD_CF_ENV_FILE_BARE:
		ord_buf_adds(out, "env_file ");
		where(ctx, v->path, v->line, out);
		break;
	default:
		ord_buf_adds(out, "environment: ");
		where(ctx, v->path, v->line, out);
		break;
	}
	if (v->ref.name && v->whole_ref) {
		ord_buf_adds(out, ", interpolated from ");
		ref_where(ctx, &v->ref, out);
		if (!v->ref.found)
			ord_buf_adds(out, v->len ? ": the container gets the default written in the entry"
					      : ": the container gets an empty value");
	}
	if (v->value && v->len >= 2 && (v->value[0] == '\'' || v->value[0] == '"') &&
	    v->value[v->len - 1] == v->value[0])
		ord_buf_adds(out, " (the value keeps its quotes, which become part of the key)");
}
