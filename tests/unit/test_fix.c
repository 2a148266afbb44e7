/* fix's writer: the file keeps its mode (0600 stays 0600), the backup holds
 * the old text and is never overwritten, a file changed since it was read
 * is left alone, a symbolic link stays a link, and the backup's name comes
 * from the ctx clock with a suffix when the name is taken. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fix.h"
#include "lib/fix_write.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ordoctor-fix-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *get(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_mode_kept(void **state)
{
	char file[128], bak[160];
	struct stat st;

	(void)state;
	snprintf(file, sizeof(file), "%s/secret.env", dir);
	snprintf(bak, sizeof(bak), "%s.bak", file);
	put(file, "K=old\n", 0600);
	assert_int_equal(ord_posix_rewrite(NULL, file, "K=old\n", 6, "K=new\n", 6, bak), 0);
	assert_string_equal(get(file), "K=new\n");
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_string_equal(get(bak), "K=old\n");
	assert_int_equal(stat(bak, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* a world-readable startup file stays what it was */
	snprintf(file, sizeof(file), "%s/bashrc", dir);
	snprintf(bak, sizeof(bak), "%s.bak", file);
	put(file, "export K=old\n", 0644);
	assert_int_equal(ord_posix_rewrite(NULL, file, "export K=old\n", 13, "export K=new\n", 13, bak), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void test_backup_never_overwritten(void **state)
{
	char file[128], bak[160];

	(void)state;
	snprintf(file, sizeof(file), "%s/b.env", dir);
	snprintf(bak, sizeof(bak), "%s.bak", file);
	put(file, "K=old\n", 0600);
	put(bak, "an earlier backup\n", 0600);
	assert_int_equal(ord_posix_rewrite(NULL, file, "K=old\n", 6, "K=new\n", 6, bak), EEXIST);
	assert_string_equal(get(file), "K=old\n");
	assert_string_equal(get(bak), "an earlier backup\n");
}

static void test_changed_since_read(void **state)
{
	char file[128], bak[160];

	(void)state;
	snprintf(file, sizeof(file), "%s/c.env", dir);
	snprintf(bak, sizeof(bak), "%s.bak", file);
	put(file, "K=edited meanwhile\n", 0600);
	assert_int_equal(ord_posix_rewrite(NULL, file, "K=old\n", 6, "K=new\n", 6, bak), EAGAIN);
	assert_string_equal(get(file), "K=edited meanwhile\n");
	assert_null(get(bak));
}

static void test_symlink_stays(void **state)
{
	char file[128], link[128], bak[160];
	struct stat st;

	(void)state;
	snprintf(file, sizeof(file), "%s/dotfiles-bashrc", dir);
	snprintf(link, sizeof(link), "%s/.bashrc", dir);
	snprintf(bak, sizeof(bak), "%s.bak", file);
	put(file, "export K=old\n", 0600);
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(ord_posix_rewrite(NULL, link, "export K=old\n", 13, "export K=new\n", 13, bak), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(get(file), "export K=new\n");
}

static time_t fixed_now(void *ud)
{
	(void)ud;
	return 1764584430; /* 2025-12-01T10:20:30Z */
}

static void test_apply_backup_name(void **state)
{
	ord_ctx ctx;
	ord_fix_plan p;
	char file[128], backup[256], want[256];

	(void)state;
	snprintf(file, sizeof(file), "%s/d.env", dir);
	put(file, "K=old\n", 0600);
	assert_int_equal(ord_ctx_init(&ctx, NULL, dir, dir), 0);
	ctx.now = fixed_now;
	ord_fix_plan_init(&p);
	p.action = ORD_FIX_REPLACE;
	p.path = strdup(file);
	ord_buf_adds(&p.before, "K=old\n");
	ord_buf_adds(&p.after, "K=new\n");
	assert_int_equal(ord_fix_apply(&ctx, &p, backup, sizeof(backup)), 0);
	snprintf(want, sizeof(want), "%s.ordoctor-backup-20251201-102030", file);
	assert_string_equal(backup, want);
	assert_string_equal(get(want), "K=old\n");

	/* the same second again: the first backup stays, the second gets -2 */
	put(file, "K=old\n", 0600);
	assert_int_equal(ord_fix_apply(&ctx, &p, backup, sizeof(backup)), 0);
	snprintf(want, sizeof(want), "%s.ordoctor-backup-20251201-102030-2", file);
	assert_string_equal(backup, want);
	ord_fix_plan_release(&p);
	ord_ctx_release(&ctx);
}

static void test_tool_owned_paths(void **state)
{
	(void)state;
	assert_true(ord_fix_tool_owned_path("/h/.homeassistant/.storage/core.config_entries"));
	assert_true(ord_fix_tool_owned_path("/h/.claude-code-router/config.sqlite"));
	assert_true(ord_fix_tool_owned_path("/h/.config/Code/User/globalStorage/state.vscdb"));
	assert_true(ord_fix_tool_owned_path("/h/app/data.db"));
	assert_false(ord_fix_tool_owned_path("/h/.env"));
	assert_false(ord_fix_tool_owned_path("/h/.config/opencode/opencode.jsonc"));
	assert_false(ord_fix_tool_owned_path("/h/.db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_kept),
		cmocka_unit_test(test_backup_never_overwritten),
		cmocka_unit_test(test_changed_since_read),
		cmocka_unit_test(test_symlink_stays),
		cmocka_unit_test(test_apply_backup_name),
		cmocka_unit_test(test_tool_owned_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
