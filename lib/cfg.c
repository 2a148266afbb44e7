/* cfg: ord_cfg_parse, the dispatcher on top of the readers (cfg_json.c,
 * cfg_yaml.c, cfg_toml.c).  The tree they all build is in cfg_tree.c;
 * queries are in cfg_query.c. */
#include "cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cfg_internal.h"

int ord_cfg_parse(ord_cfg **out, ord_cfg_format f, const char *data,
		  size_t len, char *err, size_t errcap, unsigned *errline)
{
	ord_cfg *c;
	uint64_t seed;
	int rc;

	*out = NULL;
	if (err && errcap)
		err[0] = '\0';
	if (errline)
		*errline = 0;
	c = calloc(1, sizeof(*c));
	if (!c) {
		if (err && errcap)
			snprintf(err, errcap, "out of memory");
		return ENOMEM;
	}
	/* Address-space randomisation is enough unpredictability here. */
	seed = (uint64_t)(uintptr_t)c ^ ((uint64_t)(uintptr_t)&seed << 17) ^
	       (uint64_t)(uintptr_t)data;
	c->seed = seed * 0x9e3779b97f4a7c15ULL;
	c->err = err;
	c->errcap = errcap;
	if (!data && len)
		cfg_fail(c, 1, "no data");
	else if (f == ORD_CFG_JSON || f == ORD_CFG_JSON5)
		cfg_parse_json(c, data ? data : "", len, f == ORD_CFG_JSON5);
	else if (f == ORD_CFG_YAML)
		cfg_parse_yaml(c, data ? data : "", len);
	else if (f == ORD_CFG_TOML)
		cfg_parse_toml(c, data ? data : "", len);
	else
		cfg_fail(c, 1, "unknown format");
	if (!c->failed && c->n == 0)
		cfg_fail(c, 1, "empty document");
	free(c->hash);
	c->hash = NULL;
	c->hcap = c->hused = 0;
	c->err = NULL;
	rc = c->failed;
	if (rc) {
		if (errline)
			*errline = c->errline;
		ord_cfg_free(c);
		return rc;
	}
	*out = c;
	return 0;
}
