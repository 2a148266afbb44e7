/* data: the files of data/ (variables, signatures, tool profiles).
 * They are embedded at build time; ord_data_get() returns them. */
#ifndef ORD_DATA_H
#define ORD_DATA_H

#include <stddef.h>

/* name is relative to data/, e.g. "variables" or "tools/aider".  Returns a
 * NUL-terminated buffer valid for the life of the process, or NULL. */
const char *ord_data_get(const char *name, size_t *len);
/* Call fn for every embedded file whose name starts with prefix. */
void ord_data_each(const char *prefix,
		   void (*fn)(void *arg, const char *name, const char *data,
			      size_t len),
		   void *arg);

#endif
