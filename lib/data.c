#include "data.h"

#include <string.h>

struct ord_data_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};
extern const struct ord_data_file ord_data_files[];

const char *ord_data_get(const char *name, size_t *len)
{
	const struct ord_data_file *f;

	for (f = ord_data_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			if (len)
				*len = f->len;
			return (const char *)f->data;
		}
	return NULL;
}

void ord_data_each(const char *prefix,
		   void (*fn)(void *arg, const char *name, const char *data,
			      size_t len),
		   void *arg)
{
	const struct ord_data_file *f;
	size_t pl = strlen(prefix);

	for (f = ord_data_files; f->name; f++)
		if (!strncmp(f->name, prefix, pl))
			fn(arg, f->name, (const char *)f->data, f->len);
}
