/* causes: the vocabulary of data/causes (id, category, meaning, fix). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "data.h"

#define MAX_CAUSES 64

static struct cause {
	char *id, *category, *meaning, *fix, *check;
} causes[MAX_CAUSES];
static size_t ncauses;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static char *field(const char **p, const char *end)
{
	const char *s = *p, *bar = memchr(s, '|', (size_t)(end - s));
	const char *e = bar ? bar : end;

	*p = bar ? bar + 1 : end;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return strndup(s, (size_t)(e - s));
}

static void load(void)
{
	size_t len = 0;
	const char *d = ord_data_get("causes", &len), *p, *end;

	for (p = d; d && p < d + len && ncauses < MAX_CAUSES; p = end + 1) {
		const char *q = p;

		end = memchr(p, '\n', (size_t)(d + len - p));
		if (!end)
			end = d + len;
		if (*p == '#' || *p == '\n' || !memchr(p, '|', (size_t)(end - p)))
			continue;
		causes[ncauses].id = field(&q, end);
		causes[ncauses].category = field(&q, end);
		causes[ncauses].meaning = field(&q, end);
		causes[ncauses].fix = field(&q, end);
		causes[ncauses].check = q < end ? field(&q, end) : NULL;
		ncauses++;
	}
}

static const struct cause *find(const char *id)
{
	size_t i;

	pthread_once(&once, load);
	for (i = 0; id && i < ncauses; i++)
		if (causes[i].id && !strcmp(causes[i].id, id))
			return &causes[i];
	return NULL;
}

const char *ord_cause_category(const char *cause)
{
	const struct cause *c = find(cause);

	return c ? c->category : NULL;
}

const char *ord_cause_fix(const char *cause)
{
	const struct cause *c = find(cause);

	return c ? c->fix : NULL;
}

const char *ord_cause_meaning(const char *cause)
{
	const struct cause *c = find(cause);

	return c ? c->meaning : NULL;
}

const char *ord_cause_check(const char *cause)
{
	const struct cause *c = find(cause);

	return c && c->check && *c->check ? c->check : NULL;
}
