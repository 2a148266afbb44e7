/* fix_write: replace a user's file without ever leaving it half written.
 *
 * The order matters: the backup is complete and on disk before anything
 * else happens; the new text goes to a temporary file in the same
 * directory (rename is atomic only within one file system), gets the old
 * file's mode and owner, is fsync'd, and only then renamed over the file.
 * A crash at any point leaves either the old file or the new one, and the
 * backup.  A symbolic link (dotfiles kept in a repository) is followed: the
 * file it points to is replaced, so the link stays a link.
 */
#include "fix_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole of fd's file, if it is at most cap bytes; NULL otherwise. */
static char *slurp(int fd, size_t cap, size_t *len, int *err)
{
	size_t have = 0, size = 4096;
	char *buf = malloc(size);

	*err = 0;
	if (!buf) {
		*err = ENOMEM;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (have == size) {
			char *nb;
			if (size >= cap) {
				*err = EFBIG;
				break;
			}
			size *= 2;
			/* a fresh block, the old one wiped: it holds a key */
			nb = malloc(size);
			if (!nb) {
				*err = ENOMEM;
				break;
			}
			memcpy(nb, buf, have);
			explicit_bzero(buf, have);
			free(buf);
			buf = nb;
		}
		n = read(fd, buf + have, size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = errno;
			break;
		}
		if (!n) {
			*len = have;
			return buf;
		}
		have += (size_t)n;
	}
	explicit_bzero(buf, have);
	free(buf);
	return NULL;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The backup: created (never overwritten), owner-only, the same owner. */
static int write_backup(const char *backup, const struct stat *st, const void *data, size_t len)
{
	int fd = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0)
		return errno;
	rc = write_all(fd, data, len);
	if (!rc && fchown(fd, st->st_uid, st->st_gid) && errno != EPERM)
		rc = errno;
	if (!rc && fsync(fd))
		rc = errno;
	if (close(fd) && !rc)
		rc = errno;
	if (rc)
		unlink(backup);
	return rc;
}

static void sync_dir(const char *file)
{
	char dir[PATH_MAX];
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (!slash)
		return;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd); /* best effort: the rename is done either way */
		close(fd);
	}
}

static int replace(const char *real, const struct stat *st, const void *data, size_t len)
{
	size_t pl = strlen(real);
	char *tmp = malloc(pl + 32), *slash;
	int fd, rc = 0;

	if (!tmp)
		return ENOMEM;
	/* ".NAME.ordoctor-XXXXXX" beside the file: hidden, same file system */
	memcpy(tmp, real, pl + 1);
	slash = strrchr(tmp, '/');
	snprintf(slash ? slash + 1 : tmp, pl + 32 - (size_t)(slash ? slash + 1 - tmp : 0),
		 ".%s.ordoctor-XXXXXX", slash ? real + (slash - tmp) + 1 : real);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = errno;
		free(tmp);
		return rc;
	}
	rc = write_all(fd, data, len);
	if (!rc && fchmod(fd, st->st_mode & 07777))
		rc = errno;
	/* keeping the owner needs root when it is not us; an unchanged owner
	 * is fine (EPERM then means it already matches or cannot: check) */
	if (!rc && fchown(fd, st->st_uid, st->st_gid)) {
		struct stat now;
		if (fstat(fd, &now) || now.st_uid != st->st_uid || now.st_gid != st->st_gid)
			rc = errno ? errno : EPERM;
	}
	if (!rc && fsync(fd))
		rc = errno;
	if (close(fd) && !rc)
		rc = errno;
	if (!rc && rename(tmp, real))
		rc = errno;
	if (rc)
		unlink(tmp);
	else
		sync_dir(real);
	free(tmp);
	return rc;
}

int ord_posix_rewrite(void *ud, const char *path, const void *expect, size_t expect_len,
		      const void *data, size_t len, const char *backup)
{
	char real[PATH_MAX];
	struct stat st;
	size_t have = 0;
	char *old;
	int fd, rc;

	(void)ud;
	if (!realpath(path, real))
		return errno;
	fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st)) {
		rc = errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return EINVAL;
	}
	old = slurp(fd, expect_len + 1, &have, &rc);
	close(fd);
	if (!old)
		return rc == EFBIG ? EAGAIN : rc;
	/* the file changed since it was planned: write nothing */
	if (have != expect_len || memcmp(old, expect, have))
		rc = EAGAIN;
	else
		rc = write_backup(backup, &st, old, have);
	explicit_bzero(old, have);
	free(old);
	if (rc)
		return rc;
	return replace(real, &st, data, len);
}
