/* libFuzzer target for Compose's interpolation (lib/compose_interp.c) and
 * its .env / env_file reading (lib/compose_dotenv.c).  The first byte picks
 * the reader: interpolation of the rest, a .env, or a `format: raw` env_file.
 * Invariants: no crash, bounded output, a lowercase reason on EINVAL, and a
 * value for every variable read (NULL only for a bare NAME). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* Names starting with A are set ("A-value"), with E set and empty, others
 * unset: every branch of the modifiers is reachable. */
static int lookup(void *arg, const char *name, const char **v, size_t *len)
{
	(void)arg;
	CHECK(name && strlen(name) < 128);
	if (name[0] == 'A') {
		*v = "A-value";
		*len = 7;
		return 1;
	}
	if (name[0] == 'E') {
		*v = "";
		*len = 0;
		return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	char err[256];
	int rc;

	if (!size)
		return 0;
	size--;
	if (data[0] % 3 == 0) {
		ord_buf out = ORD_BUF_INIT(1 << 20);
		ord_interp_info info;
		rc = ord_compose_interp(s, size, lookup, NULL, &out, err, sizeof(err), &info);
		CHECK(rc == 0 || rc == EINVAL || rc == ENOSPC || rc == ENOMEM);
		if (rc == EINVAL)
			CHECK(err[0] && !(err[0] >= 'A' && err[0] <= 'Z'));
		CHECK(info.nrefs >= 0 && strlen(info.ref) < sizeof(info.ref));
		ord_buf_release(&out);
	} else {
		ord_cenvs e = {0};
		size_t i;
		rc = ord_compose_dotenv(s, size, data[0] % 3 == 2, lookup, NULL, &e, err, sizeof(err));
		CHECK(rc == 0 || rc == EINVAL || rc == ENOMEM);
		if (rc == EINVAL)
			CHECK(err[0] && !(err[0] >= 'A' && err[0] <= 'Z'));
		for (i = 0; i < e.n; i++) {
			CHECK(e.v[i].name && e.v[i].name[0]);
			CHECK(e.v[i].value);
			CHECK(e.v[i].line >= 1);
			CHECK(ord_cenvs_get(&e, e.v[i].name) == &e.v[i]);
		}
		ord_cenvs_release(&e);
	}
	return 0;
}
