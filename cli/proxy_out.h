/* Shared by cmd_proxy.c and cmd_run.c: option parsing, start-up and the
 * rendering of proxy records (text line or JSON object). */
#ifndef ORD_CLI_PROXY_OUT_H
#define ORD_CLI_PROXY_OUT_H

#include <pthread.h>
#include <stdio.h>

#include "cli.h"
#include "lib/facts.h"
#include "lib/proxy.h"

typedef struct proxy_out {
	ord_cli *cli;
	ord_facts *d;
	const char *schema;     /* "ordoctor.proxy/1" or "ordoctor.run/1" */
	FILE *live;             /* print each record as it comes, or NULL */
	int json;
	unsigned long nreq;     /* requests seen */
	/* Kept for a summary (run): causes and counts, no bodies. */
	int keep;
	ord_proxy_record *recs;
	size_t n, cap;
} proxy_out;

/* The options both commands take.  Returns 1 when argv[*i] was one (and
 * advances), 0 when not, -1 on a usage error (printed). */
typedef struct proxy_opts {
	ord_proxy_config cfg;
	const char *listen;
	const char *tool;
	char tool_buf[64];      /* --tool as the profile spells it */
} proxy_opts;

void proxy_opts_init(ord_cli *cli, proxy_opts *o);
int proxy_opt(ord_cli *cli, proxy_opts *o, int argc, char **argv, int *i);
/* Discovery, tool choice, start; 0 or ORD_EXIT_USAGE (printed). */
int proxy_begin(ord_cli *cli, proxy_opts *o, proxy_out *out, ord_facts *d,
		ord_proxy **px);

void proxy_out_record(void *ud, const ord_proxy_record *r);
void proxy_out_print(proxy_out *o, FILE *f, const ord_proxy_record *r);
void proxy_out_release(proxy_out *o);

#endif
