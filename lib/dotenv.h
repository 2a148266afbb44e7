/* dotenv: parse .env files the way python-dotenv and Node dotenv do. */
#ifndef ORD_DOTENV_H
#define ORD_DOTENV_H

#include "assign.h"

/* Calls fn for every assignment in file order (duplicates included: the
 * caller decides that the last one wins), err for every line it skips.
 * Handles a UTF-8 BOM, CRLF, "export ", comments, single/double/backtick
 * quotes, multi-line quoted values.  Returns 0, or what fn returned. */
int ord_dotenv_parse(const char *data, size_t len, ord_assign_fn fn,
		     ord_parse_error_fn err, void *arg);

#endif
