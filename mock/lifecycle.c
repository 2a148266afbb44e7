/* mock/lifecycle: configuration, binding the socket, start and stop. */
#include "internal.h"
#include "lib/listen.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void ord_mock_config_init(ord_mock_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = ORD_MOCK_DEFAULT_HOST;
	cfg->port = ORD_MOCK_DEFAULT_PORT;
	cfg->management_status = 401;
}

int ord_mock_add_flaky(ord_mock_config *cfg, const char *spec)
{
	const char *colon = strrchr(spec, ':');
	char *end;
	double rate;
	size_t n;

	if (!colon || colon == spec || cfg->nflaky >= ORD_MOCK_FLAKY_MAX)
		return -1;
	n = (size_t)(colon - spec);
	if (n >= sizeof(cfg->flaky[0].provider))
		return -1;
	errno = 0;
	rate = strtod(colon + 1, &end);
	if (errno || end == colon + 1 || *end || !(rate >= 0 && rate <= 1))
		return -1;
	memcpy(cfg->flaky[cfg->nflaky].provider, spec, n);
	cfg->flaky[cfg->nflaky].provider[n] = '\0';
	cfg->flaky[cfg->nflaky].rate = rate;
	cfg->nflaky++;
	return 0;
}

int ord_mock_parse_time(const char *s, time_t *out)
{
	long long v = 0;
	size_t i;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") != strlen(s))
		return mock_parse_iso8601(s, out);
	/* Epoch seconds, up to 9999-12-31T23:59:59Z. */
	for (i = 0; s[i]; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > 253402300799LL)
			return -1;
	}
	*out = (time_t)v;
	return 0;
}

static void warn_to(void *ud, const char *msg)
{
	if (ud) {
		fprintf(ud, "%s\n", msg);
		fflush(ud);
	}
}

static int bind_socket(ord_mock *m, char *err, size_t errlen)
{
	ord_listen l;
	int fd = ord_listen_socket(m->cfg.host, m->cfg.port, 512, &l, err, errlen);

	if (fd >= 0) {
		m->port = l.port;
		snprintf(m->host, sizeof(m->host), "%s", l.host);
		snprintf(m->url, sizeof(m->url), "%s", l.url);
	}
	return fd;
}

static char *dup_or_null(const char *s, int *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

int ord_mock_start(const ord_mock_config *cfg, ord_mock **out, char *err,
		   size_t errlen)
{
	ord_mock *m;
	int fd, fail = 0, rc;

	*out = NULL;
	/* loaded here, not at start-up (lib/dl.h) */
	if (ord_dl_mhd(err, errlen))
		return -1;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->cfg = *cfg;
	if (!m->cfg.host || !*m->cfg.host)
		m->cfg.host = ORD_MOCK_DEFAULT_HOST;
	if (m->cfg.management_status != 403)
		m->cfg.management_status = 401;
	m->keys_path = dup_or_null(cfg->keys_path, &fail);
	m->request_log = dup_or_null(cfg->request_log, &fail);
	m->host_arg = dup_or_null(m->cfg.host, &fail);
	m->cfg.keys_path = m->keys_path;
	m->cfg.request_log = m->request_log;
	m->cfg.host = m->host_arg;
	m->cfg.keys_text = NULL;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->log_lock, NULL);
	m->rng = mock_seed();
	atomic_init(&m->stopping, 0);
	atomic_init(&m->incident, cfg->incident ? 1 : 0);
	if (fail) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (cfg->keys_text)
		rc = mock_keys_parse(&m->keys, cfg->keys_text,
				     strlen(cfg->keys_text), "keys", warn_to,
				     cfg->warn);
	else if (m->keys_path)
		rc = mock_keys_load(&m->keys, m->keys_path, warn_to, cfg->warn);
	else
		rc = 0;
	if (rc) {
		snprintf(err, errlen, "cannot read the keys file '%s': %s",
			 m->keys_path ? m->keys_path : "keys", strerror(rc));
		goto fail;
	}
	if (m->request_log) {
		m->log = ord_gate_fopen(m->request_log, "ae");
		if (!m->log) {
			snprintf(err, errlen, "cannot open the request log '%s': %s",
				 m->request_log, strerror(errno));
			goto fail;
		}
	}
	fd = bind_socket(m, err, errlen);
	if (fd < 0)
		goto fail;
	m->d = mock_daemon_start(m, fd);
	if (!m->d) {
		close(fd);
		snprintf(err, errlen, "cannot start the HTTP server on %s",
			 m->url);
		goto fail;
	}
	*out = m;
	return 0;
fail:
	ord_mock_stop(m);
	return -1;
}

unsigned ord_mock_port(const ord_mock *m)
{
	return m->port;
}

const char *ord_mock_url(const ord_mock *m)
{
	return m->url;
}

void ord_mock_set_incident(ord_mock *m, int on)
{
	atomic_store(&m->incident, on ? 1 : 0);
}

void ord_mock_stop(ord_mock *m)
{
	if (!m)
		return;
	atomic_store(&m->stopping, 1);
	if (m->d)
		sym_MHD_stop_daemon(m->d); /* joins every connection thread */
	ord_gate_close(m->log);
	mock_keys_release(&m->keys);
	pthread_mutex_destroy(&m->lock);
	pthread_mutex_destroy(&m->log_lock);
	free(m->keys_path);
	free(m->request_log);
	free(m->host_arg);
	ord_wipe(m, sizeof(*m));
	free(m);
}
