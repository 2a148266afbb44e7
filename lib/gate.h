/* gate: the one output gate.
 *
 * Every byte ordoctor writes (stdout, stderr, the proxy's and the mock's
 * logs, JSON) passes ord_gate_buf() or a stream that calls it.  It
 *
 *   - replaces every key with its label form ("sk-or-v1-abc...xyz", the
 *     prefix and the first and last 3 characters of what follows it) in
 *     whatever encoding it came: raw, glued to other characters,
 *     percent-encoded (sk%2Dor%2Dv1%2D…), JSON- or \u-escaped, \x-escaped,
 *     HTML character references, base64 (HTTP Basic credentials), and so
 *     inside a URL's userinfo, path, query or fragment.  Long hex runs and
 *     long random-looking tokens (a key without its prefix) become
 *     first3...last3; masked keys keep at most 4 characters around the
 *     mask;
 *   - replaces control characters with '?' (C0 except \t and \n, DEL, C1,
 *     and the Unicode bidirectional and line-separator controls), so text
 *     from an untrusted file cannot move the cursor, retitle the terminal
 *     or reorder a line; with ORD_GATE_SGR, ordoctor's own colour
 *     sequences (exactly ESC[0m ESC[1m ESC[2m ESC[31m ESC[32m ESC[33m
 *     ESC[36m) are kept;
 *   - guarantees valid UTF-8: an invalid byte, an overlong form or a
 *     surrogate becomes U+FFFD.
 *
 * Keys never span lines, so a stream gates whole lines.  The vendor
 * prefixes are the one table of lib/key.c (ord_vendor_prefixes).
 */
#ifndef ORD_GATE_H
#define ORD_GATE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/* Keep ordoctor's own colour sequences (only when colour is on). */
#define ORD_GATE_SGR 1u

/* Append the gated form of in[0..len) (which may hold NULs) to out.
 * Returns 0, ENOMEM or ENOSPC (out's maximum; nothing ungated is ever
 * appended). */
int ord_gate_buf(const char *in, size_t len, unsigned flags, ord_buf *out);
/* The gated form as a new NUL-terminated string; NULL when out of memory. */
char *ord_gate_dup(const char *in, size_t len);
/* The gated form of src[0..len) into dst, cut on a character boundary to
 * fit cap bytes (NUL included).  Gating the whole source before cutting
 * means a key is never cut into a piece that no longer looks like one. */
void ord_gate_copy(char *dst, size_t cap, const char *src, size_t len);
/* Gate the NUL-terminated string s in place; the result is cut on a
 * character boundary to fit cap bytes (NUL included). */
void ord_gate_str(char *s, size_t cap);

/* A stream whose every byte is gated before it reaches under: whole lines
 * at a time (a partial line waits for its newline, or for the close).
 * Writes to under only; never closes it.  NULL when out of memory. */
typedef struct ord_gate ord_gate;
ord_gate *ord_gate_open(FILE *under, unsigned flags);
FILE *ord_gate_file(ord_gate *g);
/* Change the flags (--no-color after the gate was opened). */
void ord_gate_set_flags(ord_gate *g, unsigned flags);
/* A one-line status that rewrites itself (a progress bar): "\r", the
 * gated text, then erase to the end of the line; "" clears it. */
void ord_gate_status(ord_gate *g, const char *text);
/* Flush what is pending (a last line without newline too) and free; under
 * stays open.  Returns 0 or EOF when under failed. */
int ord_gate_close(ord_gate *g);
/* A file opened for writing ("a" or "w" modes of fopen) behind a gate, for
 * logs: the gate owns the file and closes it with ord_gate_close(). */
ord_gate *ord_gate_fopen(const char *path, const char *mode);

#endif
