/* Writing an output file without harming what is at its path.
 *
 * A regular file (or a path that does not exist yet) is replaced whole: a
 * temporary file beside it, then rename, so a failed or interrupted run
 * leaves the old file.  A device, FIFO or socket (/dev/null, /dev/stdout, a
 * pipe) is written in place, as gcc and sort do: renaming over it would
 * turn /dev/null into a regular file.  A symbolic link stays a link: the
 * file it points to is replaced.  A directory, or a link to nothing, is
 * refused. */
#ifndef TUNC_OUTFILE_H
#define TUNC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct outfile {
	int fd;
	char *target;                   /* the file finally written */
	char *tmp;                      /* the temporary file; NULL in place */
};

/* Opens PATH for writing; MODE is the permission of a new file (0600 for
 * files holding keys: the temporary file has it from the start).  Returns
 * 0, or -1 with errno set. */
int outfile_open(struct outfile *of, const char *path, unsigned mode);
/* Writes all of BUF (retrying short writes).  Returns 0 or -1 with errno. */
int outfile_write(struct outfile *of, const void *buf, size_t len);
/* Closes the file and, unless written in place, renames it into place
 * (after fsync when SYNC).  Returns 0, or -1 with errno set and the
 * temporary file removed. */
int outfile_commit(struct outfile *of, bool sync);
/* Closes and removes the temporary file: nothing changes at the path. */
void outfile_abort(struct outfile *of);

/* mkdir -p DIR (new directories get MODE, less the umask).  Returns 0, or
 * -1 with errno set (ENOTDIR when DIR or a parent is not a directory). */
int make_dirs(const char *dir, unsigned mode);

#endif
