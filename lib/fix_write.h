/* fix_write: the POSIX `rewrite` of the file table (lib/ctx.h), the one
 * place ordoctor changes a file of the user's (`fix --apply`).  It sits
 * below ctx and uses nothing but libc. */
#ifndef ORD_FIX_WRITE_H
#define ORD_FIX_WRITE_H

#include <stddef.h>

/* See ord_fs_ops.rewrite.  Returns 0 or an errno value. */
int ord_posix_rewrite(void *ud, const char *path, const void *expect, size_t expect_len,
		      const void *data, size_t len, const char *backup);

#endif
