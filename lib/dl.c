/* dl: see dl.h. */
#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int ord_dl_load(ord_dl_lib *lib, char *err, size_t errsz)
{
	size_t i;
	int rc;

	pthread_mutex_lock(&lib->lock);
	if (!lib->state) {
		/* RTLD_NODELETE: the pointers stay valid for the life of the
		 * process, whoever else opens and closes the library */
		void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
		const char *why = NULL;

		if (!h)
			why = dlerror();
		for (i = 0; h && i < lib->nsyms; i++) {
			void *p = dlsym(h, lib->syms[i].name);

			if (!p) {
				why = dlerror();
				break;
			}
			*lib->syms[i].fn = p;
		}
		if (h && i == lib->nsyms) {
			lib->handle = h;
			lib->state = 1;
		} else {
			/* all or none: no half-filled table */
			for (i = 0; i < lib->nsyms; i++)
				*lib->syms[i].fn = NULL;
			/* before dlclose, which may free dlerror's text */
			snprintf(lib->err, sizeof(lib->err), "cannot load %s (needed for %s): %s; %s",
				 lib->soname, lib->needed_for, why ? why : "unknown error", lib->remedy);
			if (h)
				dlclose(h);
			lib->state = -1;
		}
	}
	rc = lib->state > 0 ? 0 : -1;
	if (rc && err && errsz)
		snprintf(err, errsz, "%s", lib->err);
	pthread_mutex_unlock(&lib->lock);
	return rc;
}

int ord_dl_loaded(ord_dl_lib *lib)
{
	int s;

	pthread_mutex_lock(&lib->lock);
	s = lib->state > 0;
	pthread_mutex_unlock(&lib->lock);
	return s;
}
