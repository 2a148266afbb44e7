/* `ordoctor mock`: argument parsing, then serve until SIGINT/SIGTERM. */
#include "cli/cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"


static int parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT".  host points into buf. */
static int parse_listen(const char *s, char *buf, size_t cap,
			const char **host, unsigned *port)
{
	const char *colon;
	size_t n;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return -1;
		n = (size_t)(close - s - 1);
		colon = close + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return parse_uint(s, 65535, port);
		if (strchr(s, ':') != colon)
			return -1; /* a bare IPv6 address needs brackets */
		n = (size_t)(colon - s);
	}
	if (n >= cap)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n)
		*host = buf;
	return parse_uint(colon + 1, 65535, port);
}

int cmd_mock(ord_cli *cli, int argc, char **argv)
{
	ord_mock_config cfg;
	ord_mock *m = NULL;
	char hostbuf[256], err[512];
	sigset_t set, old;
	const char *v;
	int i, sig = 0;

	ord_mock_config_init(&cfg);
	cfg.warn = cli->err;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((v = ord_opt_value(argc, argv, &i, "--keys")))
			cfg.keys_path = v;
		else if ((v = ord_opt_value(argc, argv, &i, "--listen"))) {
			if (parse_listen(v, hostbuf, sizeof(hostbuf), &cfg.host,
					 &cfg.port))
				return ord_cli_usage_error(cli,
					"mock: invalid --listen '%s' (HOST:PORT, [IPv6]:PORT or PORT)", v);
		} else if ((v = ord_opt_value(argc, argv, &i, "--latency-ms"))) {
			if (parse_uint(v, 600000, &cfg.latency_ms))
				return ord_cli_usage_error(cli,
					"mock: invalid --latency-ms '%s' (0 to 600000)", v);
		} else if (!strcmp(a, "--incident"))
			cfg.incident = 1;
		else if ((v = ord_opt_value(argc, argv, &i, "--flaky"))) {
			if (ord_mock_add_flaky(&cfg, v))
				return ord_cli_usage_error(cli,
					"mock: invalid --flaky '%s' (PROVIDER:RATE, RATE from 0 to 1; at most %d)",
					v, ORD_MOCK_FLAKY_MAX);
		} else if (!strcmp(a, "--redirect-http"))
			cfg.redirect_http = 1;
		else if ((v = ord_opt_value(argc, argv, &i, "--request-log")))
			cfg.request_log = v;
		else if (!strcmp(a, "--legacy-missing-auth"))
			cfg.legacy_missing_auth = 1;
		else if ((v = ord_opt_value(argc, argv, &i, "--management-status"))) {
			if (strcmp(v, "401") && strcmp(v, "403"))
				return ord_cli_usage_error(cli,
					"mock: invalid --management-status '%s' (401 or 403)", v);
			cfg.management_status = atoi(v);
		} else if (!strcmp(a, "--credits-any-key"))
			cfg.credits_any_key = 1;
		else if ((v = ord_opt_value(argc, argv, &i, "--now"))) {
			if (ord_mock_parse_time(v, &cfg.now))
				return ord_cli_usage_error(cli,
					"mock: invalid --now '%s' (epoch seconds or YYYY-MM-DDTHH:MM:SSZ)", v);
			cfg.has_now = 1;
		}
		else if (!strcmp(a, "--keys") || !strcmp(a, "--listen") ||
			 !strcmp(a, "--latency-ms") || !strcmp(a, "--flaky") ||
			 !strcmp(a, "--request-log") ||
			 !strcmp(a, "--management-status") || !strcmp(a, "--now"))
			return ord_cli_usage_error(cli, "mock: option '%s' needs a value", a);
		else
			return a[0] == '-' ? ord_cli_unknown_option(cli, "mock", a) :
			       ord_cli_usage_error(cli, "mock: unknown argument '%s' (see 'ordoctor mock --help')", a);
	}

	/* Block the stop signals before any thread starts, so every server
	 * thread inherits the mask and sigwait() below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (ord_mock_start(&cfg, &m, err, sizeof(err))) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		fprintf(cli->err, "ordoctor: mock: %s\n", err);
		return ORD_EXIT_USAGE;
	}
	fprintf(cli->out, "listening on %s\n", ord_mock_url(m));
	fflush(cli->out);
	ord_cli_warn_listen(cli, "the mock", ord_mock_url(m));
	fflush(cli->err);
	while (sigwait(&set, &sig) == EINTR)
		;
	ord_mock_stop(m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ORD_EXIT_OK;
}
