/* sysinfo: the versions an issue report needs, found cheaply and only in
 * files (no tool is ever run: `claude --version` could start a login, a
 * network call or an update).  Everything is read through the ctx.
 */
#ifndef ORD_SYSINFO_H
#define ORD_SYSINFO_H

#include <stddef.h>

#include "ctx.h"
#include "profile.h"

/* PRETTY_NAME of <etc>/os-release (or NAME VERSION_ID), else "unknown".
 * Returns 0 or an errno value (out is filled either way). */
int ord_os_release(ord_ctx *ctx, char *out, size_t cap);

/* The version of a tool installed as an npm package: the package.json of
 * a node_modules package the profile names as present (`dir
 * <cwd>/node_modules/X`) or, in the global npm prefixes
 * (/usr/local/lib, /usr/lib, ~/.npm-global/lib, ~/.local/lib), one whose
 * "bin" has a command the profile names (`command claude`).  0 and
 * version and from (the package.json, malloc'd) filled, or ENOENT. */
int ord_tool_version(ord_ctx *ctx, const ord_profile *p, char *version, size_t cap,
		     char **from);

#endif
