/* Writing a set of files into a directory all or nothing (tunc compile).
 *
 * The set is written into a temporary directory beside the target,
 * .NAME.tunc-tmp-PID-XXXXXX (mode 0700, key files 0600), synced once, and
 * swapped with the target in one rename, so the target holds either the
 * previous set or the complete new one, never a mixture.  Files of the
 * previous directory that the new set does not replace are carried over
 * (hard links), so writing some gateways keeps the others' files.
 * SIGINT, SIGTERM and SIGHUP remove the temporary directory before the
 * process dies of them; a run killed outright (SIGKILL, power loss) leaves
 * only that directory, which the next run into the same target removes. */
#ifndef TUNC_OUTSET_H
#define TUNC_OUTSET_H

#include <stddef.h>

struct outset_file {
	const char *name;               /* a plain name: no '/' */
	const char *data;
	size_t len;
	unsigned mode;                  /* 0600 for files holding keys */
};

/* Writes FILES[0..N) into DIR (created with its parents).  Returns 0, or
 * -1 with a message naming the path and the reason in ERR; the target is
 * then unchanged.  A caught signal is re-raised once the temporary
 * directory is gone. */
int outset_write(const char *dir, const struct outset_file *files, size_t n,
		 char *err, size_t err_size);

/* Writes FILES[0..N) into DIR among what else it holds (tunc import: a
 * .tun and its key files beside the configurations): each file under a
 * temporary name beside it, .NAME.tunc-tmp-PID-XXXXXX (created 0600, then
 * given its mode), then one sync pass for the set, then each renamed into
 * place in the order given, with SIGINT, SIGTERM and SIGHUP held, and the
 * directory synced.  DIR is created with its parents.  A name that is in
 * DIR as anything but a regular file (a directory, a link, a device) is
 * refused before anything is written.  On any failure before the renames
 * every temporary file is removed and DIR is unchanged; temporary files a
 * killed run left (its process gone) are removed first.  Returns 0, or -1
 * with a message naming the path and the reason in ERR. */
int outset_write_among(const char *dir, const struct outset_file *files, size_t n,
		       char *err, size_t err_size);

#endif
