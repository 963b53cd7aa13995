/*
 * new: the `jixia new` command. It writes one content file for a type of
 * site.yaml, with the title filled in, every required field present and
 * every optional one shown commented out, so a first-time contributor
 * starts from a file that `jixia check` understands. It never overwrites a
 * file and never writes outside DIR/content.
 */
#ifndef JIXIA_NEW_H
#define JIXIA_NEW_H

/*
 * Runs `jixia new TYPE "Title" [--slug S] [--lang L] [--dir D] [--date D]`;
 * argv[0] is "new". Prints the path written on stdout and what is left to
 * fill in on stderr. Returns the exit code: 0, 1 when the file already
 * exists or site.yaml has errors, 2 for usage or environment errors.
 */
int new_run(int argc, char **argv);

#endif
