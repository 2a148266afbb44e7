/* rcfile parser: being written (see rcfile.h). */
#include "rcfile.h"

int ord_rc_parse(const char *data, size_t len, ord_rc_dialect dialect,
		 ord_assign_fn fn, ord_parse_error_fn err, void *arg)
{
	(void)data; (void)len; (void)dialect; (void)fn; (void)err; (void)arg;
	return 0;
}
