/* knownbugs: tools' own credential bugs with the versions they affect
 * (data/known-bugs, docs/signatures.md "Known bugs").
 *
 * One bug per line, fields separated by blanks:
 *
 *   TOOL  AFFECTED  FIXED  URL  SYMPTOM...
 *
 * TOOL is a tool id (lowercase letters, digits, '.', '_', '-'; a '-'
 * also matches a blank in the text: "home-assistant" is named by "Home
 * Assistant"); AFFECTED is a version ("0.81.3") or an inclusive range
 * ("1.2.0..1.2.9", "1.2.0.." from there on, "..1.2.9" up to there);
 * FIXED is the first version without the bug, or "-" when no fixed
 * release is known; URL is the https:// thread that established it;
 * SYMPTOM (the rest of the line) is a text the error shows, matched
 * without regard to case.  '#' starts a comment line.
 *
 * The file is data a user may edit: parsing is pure and never fails as a
 * whole; a bad line is skipped with a one-line error naming file:line
 * (never quoting the line, which could hold a secret pasted by mistake).
 */
#ifndef ORD_KNOWNBUGS_H
#define ORD_KNOWNBUGS_H

#include <stddef.h>

#define ORD_KB_MAX 256         /* bugs in one database */
#define ORD_KB_ERRORS_MAX 16   /* errors kept (the rest are counted) */
#define ORD_KB_LINE_MAX 1024   /* bytes in one line */

typedef struct ord_kbug {
	char tool[48];
	char from[32], to[32];  /* the affected range; "" = open on that side */
	char fixed[32];         /* "" when no fixed release is known */
	char url[256];
	char symptom[256];
	int line;
} ord_kbug;

typedef struct ord_kbugs {
	ord_kbug bugs[ORD_KB_MAX];
	size_t n;
	char errors[ORD_KB_ERRORS_MAX][300];
	size_t nerrors, errors_dropped;
} ord_kbugs;

/* A bug the text shows: the tool is named, the symptom is there, and the
 * version the text gives (if any) is in the affected range. */
typedef struct ord_kbug_hit {
	const ord_kbug *bug;
	char version[32];       /* the version the text names, "" none */
} ord_kbug_hit;

void ord_kbugs_init(ord_kbugs *kb);
/* Parse one file's text (name is for errors).  Never fails. */
void ord_kbugs_parse(ord_kbugs *kb, const char *name, const char *text, size_t len);
/* The built-in data/known-bugs. */
void ord_kbugs_load_builtin(ord_kbugs *kb);

/* Bugs whose tool is named in text with its symptom and, when the text
 * gives the tool's version, a version in range.  Returns how many were
 * stored in out (at most max). */
size_t ord_kbugs_match(const ord_kbugs *kb, const char *text, size_t len, ord_kbug_hit *out, size_t max);

/* Compare dotted versions numerically ("1.10" > "1.9"); a leading 'v' is
 * ignored, and so is anything after the numeric part. */
int ord_version_cmp(const char *a, const char *b);

#endif
