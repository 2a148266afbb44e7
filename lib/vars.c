/* vars: the vocabulary of environment variables (data/variables). */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data.h"
#include "source.h"

#define MAX_VARS 256

static ord_varspec specs[MAX_VARS];
static char *names[MAX_VARS], *forms[MAX_VARS], *tools[MAX_VARS];
static size_t nspecs;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Parse data/variables once.  The embedded file is ours and tested, so a
 * malformed line is skipped rather than reported. */
static void load(void)
{
	size_t len = 0;
	const char *d = ord_data_get("variables", &len), *p, *end;

	if (!d)
		return;
	for (p = d; p < d + len && nspecs < MAX_VARS; p = end + 1) {
		char line[512], *tok, *save = NULL;
		size_t ll;

		end = memchr(p, '\n', (size_t)(d + len - p));
		if (!end)
			end = d + len;
		ll = (size_t)(end - p);
		if (ll >= sizeof(line))
			continue;
		memcpy(line, p, ll);
		line[ll] = '\0';
		tok = strtok_r(line, " \t", &save);
		if (!tok || tok[0] == '#')
			continue;
		names[nspecs] = strdup(tok);
		tok = strtok_r(NULL, " \t", &save);
		if (!tok || !names[nspecs]) {
			free(names[nspecs]);
			continue;
		}
		specs[nspecs].name = names[nspecs];
		specs[nspecs].role = !strcmp(tok, "base_url") ? ORD_ROLE_BASE_URL :
								ORD_ROLE_KEY;
		specs[nspecs].form = NULL;
		specs[nspecs].tools = NULL;
		specs[nspecs].openrouter_only = 0;
		while ((tok = strtok_r(NULL, " \t", &save))) {
			if (!strncmp(tok, "form=", 5)) {
				forms[nspecs] = strdup(tok + 5);
				specs[nspecs].form = forms[nspecs];
			} else if (!strcmp(tok, "slot=openrouter")) {
				specs[nspecs].openrouter_only = 1;
			} else if (!strncmp(tok, "tools=", 6)) {
				tools[nspecs] = strdup(tok + 6);
				specs[nspecs].tools = tools[nspecs];
			}
		}
		nspecs++;
	}
}

const ord_varspec *ord_var_lookup(const char *name, size_t len)
{
	size_t i;

	pthread_once(&once, load);
	for (i = 0; i < nspecs; i++)
		if (strlen(specs[i].name) == len && !memcmp(specs[i].name, name, len))
			return &specs[i];
	return NULL;
}

static int contains_ci(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!strncasecmp(s + i, needle, nl))
			return 1;
	return 0;
}

int ord_var_is_near_miss(const char *name, size_t len)
{
	if (ord_var_lookup(name, len))
		return 0;
	/* OPEN_ROUTER_API_KEY, OPENROUTER_APIKEY, OPENROUTERKEY,
	 * openrouter_api_key (lower case: env names are case-sensitive). */
	if (contains_ci(name, len, "OPENROUTER") ||
	    contains_ci(name, len, "OPEN_ROUTER") ||
	    contains_ci(name, len, "OPEN-ROUTER"))
		return 1;
	/* Lower-case spelling of a known name. */
	{
		char up[128];
		size_t i;

		if (len >= sizeof(up))
			return 0;
		for (i = 0; i < len; i++)
			up[i] = (char)toupper((unsigned char)name[i]);
		if (memcmp(up, name, len) && ord_var_lookup(up, len))
			return 1;
	}
	return 0;
}
