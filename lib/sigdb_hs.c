/* sigdb_hs: the Vectorscan side of the signature database: one block-mode
 * database of every pattern, and the grep form of the patterns for
 * bench/explain.sh (see sigdb.h).  It stands on the parsed records of
 * sigdb.c, which never call back here. */
#include "sigdb.h"

#include <ctype.h>
#include <errno.h>
#include "dl_hs.h"
#include "key.h"
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What ord_sigdb_release calls, through db->hs_free. */
static void free_hs(ord_sigdb *db)
{
	if (db->hs_db)
		sym_hs_free_database(db->hs_db);
	db->hs_db = NULL;
}

/* ---- Vectorscan --------------------------------------------------------- */

#define DIGEST_LEN 32

/* SHA-256 of what hs_compile_multi is given, in order, and the library's
 * version: a precompiled database is used only for exactly that. */
static int patterns_digest(const char *const *exprs, const unsigned *flags,
			   const unsigned *ids, size_t n, unsigned char out[DIGEST_LEN])
{
	EVP_MD_CTX *md;
	unsigned len = 0;
	size_t i;
	int ok;

	/* without this, OpenSSL reads openssl.cnf and registers every cipher
	 * first: a tenth of a one-line explain */
	ord_crypto_init();
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(md, sym_hs_version(), strlen(sym_hs_version()) + 1);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(md, &ids[i], sizeof(ids[i])) &&
		     EVP_DigestUpdate(md, &flags[i], sizeof(flags[i])) &&
		     EVP_DigestUpdate(md, exprs[i], strlen(exprs[i]) + 1);
	ok = ok && EVP_DigestFinal_ex(md, out, &len) && len == DIGEST_LEN;
	EVP_MD_CTX_free(md);
	return ok ? 0 : ENOMEM;
}

/* The precompiled database, when it was made from these patterns. */
static hs_database_t *from_blob(const ord_sigdb *db, const char *const *exprs,
				const unsigned *flags, const unsigned *ids, size_t n)
{
	unsigned char d[DIGEST_LEN];
	hs_database_t *hdb = NULL;

	if (!db->pre || db->pre_len <= DIGEST_LEN ||
	    patterns_digest(exprs, flags, ids, n, d) || memcmp(d, db->pre, DIGEST_LEN))
		return NULL;
	if (sym_hs_deserialize_database((const char *)db->pre + DIGEST_LEN,
				    db->pre_len - DIGEST_LEN, &hdb) != HS_SUCCESS)
		return NULL; /* another CPU or library build: compile */
	return hdb;
}

void ord_sigdb_set_precompiled(ord_sigdb *db, const void *blob, size_t len)
{
	db->pre = blob;
	db->pre_len = blob ? len : 0;
}

int ord_sigdb_serialize(const ord_sigdb *db, ord_buf *out)
{
	const char **exprs;
	unsigned *flags;
	unsigned char d[DIGEST_LEN];
	char *bytes = NULL;
	size_t i, len = 0;
	int rc;

	if (!db->hs_db || !db->hs_n)
		return EINVAL;
	exprs = calloc(db->hs_n, sizeof(*exprs));
	flags = calloc(db->hs_n, sizeof(*flags));
	if (!exprs || !flags) {
		free(exprs);
		free(flags);
		return ENOMEM;
	}
	for (i = 0; i < db->hs_n; i++) {
		exprs[i] = db->pats[db->hs_ids[i]].re;
		flags[i] = HS_FLAG_MULTILINE;
	}
	rc = patterns_digest(exprs, flags, db->hs_ids, db->hs_n, d);
	free(exprs);
	free(flags);
	if (rc)
		return rc;
	if (sym_hs_serialize_database(db->hs_db, &bytes, &len) != HS_SUCCESS)
		return ENOMEM;
	rc = ord_buf_add(out, d, DIGEST_LEN);
	if (!rc)
		rc = ord_buf_add(out, bytes, len);
	free(bytes);
	return rc;
}

int ord_sigdb_compile(ord_sigdb *db)
{
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t attempt;
	int rc = 0;

	/* Vectorscan is loaded by the first compile (lib/dl.h), so only
	 * explain pays for it */
	if (ord_dl_hs(NULL, 0))
		return ELIBACC;
	if (sym_hs_valid_platform() != HS_SUCCESS)
		return ENOTSUP;
	if (db->hs_db) {
		sym_hs_free_database(db->hs_db);
		db->hs_db = NULL;
	}
	exprs = calloc(db->npats + 1, sizeof(*exprs));
	flags = calloc(db->npats + 1, sizeof(*flags));
	ids = calloc(db->npats + 1, sizeof(*ids));
	if (!exprs || !flags || !ids) {
		rc = ENOMEM;
		goto out;
	}
	for (attempt = 0; attempt <= db->nsigs; attempt++) {
		hs_compile_error_t *err = NULL;
		hs_database_t *hdb = NULL;
		size_t i, n = 0;
		hs_error_t e;

		for (i = 0; i < db->npats; i++) {
			if (db->sigs[db->pats[i].sig].dropped)
				continue;
			exprs[n] = db->pats[i].re;
			/* ^ and $ are line anchors, as in grep. */
			flags[n] = HS_FLAG_MULTILINE;
			ids[n] = (unsigned)i;
			n++;
		}
		if (!n) {
			rc = EINVAL;
			goto out;
		}
		hdb = attempt ? NULL : from_blob(db, exprs, flags, ids, n);
		db->hs_from_blob = hdb != NULL;
		e = hdb ? HS_SUCCESS :
		    sym_hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &hdb, &err);
		if (e == HS_SUCCESS) {
			db->hs_db = hdb;
			db->hs_free = free_hs;
			free(db->hs_ids);
			db->hs_ids = ids;
			ids = NULL;
			db->hs_n = n;
			break;
		}
		if (!err || err->expression < 0 || (size_t)err->expression >= n) {
			rc = e == HS_NOMEM ? ENOMEM : EINVAL;
			if (err)
				sym_hs_free_compile_error(err);
			goto out;
		}
		{
			const ord_sigpat *pt = &db->pats[ids[err->expression]];
			ord_sig *s = &db->sigs[pt->sig];

			s->dropped = 1;
			ord_sigdb_error(db, s->file, pt->line, "pattern does not compile: %s (signature '%s' skipped)",
				 err->message ? err->message : "error", s->id);
		}
		sym_hs_free_compile_error(err);
	}
	if (!db->hs_db && !rc)
		rc = EINVAL;
out:
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

/* ---- the grep form --------------------------------------------------------- */

static int other_case(int c)
{
	return islower(c) ? toupper(c) : tolower(c);
}

int ord_sigdb_grep_form(const char *re, ord_buf *out)
{
	const char *p;
	int in_br = 0, rc = 0;

	if (strncmp(re, "(?i)", 4))
		return ord_buf_adds(out, re);
	for (p = re + 4; *p && !rc; p++) {
		int c = (unsigned char)*p;

		if (c == '\\' && p[1]) {
			rc = ord_buf_add(out, p, 2);
			p++;
			continue;
		}
		if (!in_br) {
			if (c == '[') {
				in_br = 1;
				rc = ord_buf_addc(out, '[');
				if (!rc && p[1] == '^')
					rc = ord_buf_addc(out, *++p);
				if (!rc && p[1] == ']')
					rc = ord_buf_addc(out, *++p);
			} else if (isalpha(c) && c < 0x80)
				rc = ord_buf_addf(out, "[%c%c]", c, other_case(c));
			else
				rc = ord_buf_addc(out, (char)c);
			continue;
		}
		if (c == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");
			size_t n = e ? (size_t)(e - p) + 2 : strlen(p);

			rc = ord_buf_add(out, p, n);
			p += n - 1;
		} else if (c == ']') {
			in_br = 0;
			rc = ord_buf_addc(out, ']');
		} else if (isalpha(c) && c < 0x80 && p[1] == '-' && isalpha((unsigned char)p[2]) &&
			   (unsigned char)p[2] < 0x80) {
			rc = ord_buf_addf(out, "%c-%c%c-%c", c, p[2], other_case(c),
					  other_case((unsigned char)p[2]));
			p += 2;
		} else if (isalpha(c) && c < 0x80)
			rc = ord_buf_addf(out, "%c%c", c, other_case(c));
		else
			rc = ord_buf_addc(out, (char)c);
	}
	return rc;
}

int ord_sigdb_dump_patterns(const ord_sigdb *db, ord_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < db->npats && !rc; i++) {
		if (db->pats[i].role != ORD_PAT_ANY || db->sigs[db->pats[i].sig].dropped)
			continue;
		rc = ord_sigdb_grep_form(db->pats[i].re, out);
		if (!rc)
			rc = ord_buf_addc(out, '\n');
	}
	return rc;
}
