/* rcfile_env: the ORD_RC_ENVIRONMENT dialect of ord_rc_parse, i.e.
 * /etc/environment and environment.d/ *.conf: one NAME=value per line.
 */
#include "rcfile_internal.h"

#include <stdint.h>
#include <string.h>

/* environment.d(5) as systemd's env-file parser reads it (pam_env reads
 * /etc/environment more simply, and also accepts "export "): quotes may
 * start anywhere in the value and concatenate, backslash escapes, trailing
 * whitespace dropped, CR ends a line like LF, '#' only at line start. */
static void env_value(rc *r, word *w)
{
	size_t trail = SIZE_MAX, end, s, sbl;
	unsigned line;
	int closed;
	char c, q;

	memset(w, 0, sizeof(*w));
	while (r->i < r->n && (r->d[r->i] == ' ' || r->d[r->i] == '\t'))
		r->i++;
	w->start = end = r->i;
	w->voff = r->sb.len;
	while (r->i < r->n && r->d[r->i] != '\n' && r->d[r->i] != '\r' && !r->rc) {
		c = r->d[r->i++];
		if (c == '\'' || c == '"') {
			q = c;
			s = r->i - 1;
			sbl = r->sb.len;
			line = r->line;
			closed = 0;
			w->flags |= q == '"' ? ORD_ASSIGN_QUOTED_DOUBLE : ORD_ASSIGN_QUOTED_SINGLE;
			while (!closed && r->i < r->n) {
				c = r->d[r->i++];
				if (c == q) {
					closed = 1;
					continue;
				}
				if (c == '\\' && q == '"' && r->i < r->n) {
					c = r->d[r->i++];
					if (c == '\n') { /* continuation */
						r->line++;
						continue;
					}
					if (!ord_rc_has("\"\\`$", c))
						ord_rc_lit(r, w, '\\');
				}
				r->line += c == '\n';
				ord_rc_lit(r, w, c);
			}
			trail = SIZE_MAX;
			if (!closed)
				ord_rc_unterminated(r, w, s, 1, line, sbl, r->n,
						    q == '"' ? "unterminated double quote"
							     : "unterminated single quote");
			end = r->i;
			continue;
		}
		if (c == '\\' && r->i < r->n) {
			c = r->d[r->i++];
			if (c == '\n' || c == '\r') { /* continuation */
				r->line += c == '\n';
				continue;
			}
		} else if (c == ' ' || c == '\t') {
			if (trail == SIZE_MAX)
				trail = r->sb.len;
			ord_rc_lit(r, w, c);
			continue;
		}
		trail = SIZE_MAX;
		ord_rc_lit(r, w, c);
		end = r->i;
	}
	if (trail != SIZE_MAX)
		ord_rc_truncate_sb(r, trail);
	w->end = end;
	w->vlen = r->sb.len - w->voff;
}

/* environment.d expands $X, ${X}, ${X:-d} after unquoting. */
static void env_refs(rc *r, word *w)
{
	const char *v = ord_buf_str(&r->sb) + w->voff;
	size_t k, l;

	for (k = 0; k + 1 < w->vlen; k++)
		if (v[k] == '$' &&
		    (v[k + 1] == '{' || ord_rc_ident_start((unsigned char)v[k + 1]))) {
			w->flags |= ORD_ASSIGN_EXPANSION;
			break;
		}
	if (k || !(w->flags & ORD_ASSIGN_EXPANSION))
		return;
	for (l = v[1] == '{' ? 2 : 1;
	     l < w->vlen && (ord_rc_ident_start((unsigned char)v[l]) ||
			     (v[l] >= '0' && v[l] <= '9')); l++)
		;
	if (v[1] != '{' ? l == w->vlen :
	    (l + 1 == w->vlen && v[l] == '}') ||
	    (l + 2 < w->vlen && v[l] == ':' && v[l + 1] == '-' && v[w->vlen - 1] == '}')) {
		w->ref_in_sb = 1;
		w->nexp = 1;
		w->lit = 0;
		w->refoff = w->voff + (v[1] == '{' ? 2 : 1);
		w->reflen = l - (v[1] == '{' ? 2 : 1);
	}
}

void ord_rc_parse_env(rc *r)
{
	const char *nl;
	unsigned line;
	size_t ks, ke;
	pend p;
	char c;

	while (r->i < r->n && !r->rc) {
		c = r->d[r->i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			r->line += c == '\n';
			r->i++;
			continue;
		}
		ord_buf_reset(&r->sb);
		/* the key, up to '='; a line starting with '#' or ';' is a
		 * comment, so the loop does not even start */
		for (ks = r->i; r->i < r->n && r->d[r->i] != '=' && r->d[r->i] != '\n' &&
		     r->d[r->i] != '\r' && c != '#' && c != ';'; r->i++)
			;
		for (ke = r->i; ke > ks && (r->d[ke - 1] == ' ' || r->d[ke - 1] == '\t'); ke--)
			;
		if (ke - ks > 7 && !memcmp(r->d + ks, "export", 6) &&
		    (r->d[ks + 6] == ' ' || r->d[ks + 6] == '\t'))
			for (ks += 7; ks < ke && (r->d[ks] == ' ' || r->d[ks] == '\t'); ks++)
				;
		p.name = ks;
		p.nlen = ord_rc_ident_len(r, ks);
		if (r->i >= r->n || r->d[r->i] != '=' || !p.nlen || ks + p.nlen != ke) {
			/* a comment, or not an assignment: skip the line */
			nl = memchr(r->d + r->i, '\n', r->n - r->i);
			r->i = nl ? (size_t)(nl - r->d) : r->n;
			continue;
		}
		r->i++;
		line = r->line;
		env_value(r, &p.w);
		p.w.line = line;
		env_refs(r, &p.w);
		/* these files exist to fill the environment */
		ord_rc_emit(r, &p, ORD_ASSIGN_EXPORT);
	}
}
