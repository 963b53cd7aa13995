/*
 * test_mapped: a cache file read through a mapping (mapped.h) and cut
 * short under it by another descriptor, as another program would: the
 * reads after the cut give zeros, not SIGBUS, and the mapping says it was
 * cut; a mapping not made through mapped_open still dies of the fault (in
 * a child), as it would without the handler (or by the sanitizer's); a span from an offset that
 * is not on a page's start.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "mapped.h"

#define S_LEN (3 * 65536 + 100) /* pages of any size up to 64 KB, and a part of one */

/* A file of S_LEN bytes, byte i being i % 251, open read and write: its name into path. */
static int S_file(char *path)
{
	unsigned char *b = malloc(S_LEN);
	int fd, i;

	strcpy(path, "/tmp/jixia-test-mapped.XXXXXX");
	fd = mkstemp(path);
	for (i = 0; i < S_LEN; i++)
		b[i] = (unsigned char)(i % 251);
	if (fd < 0 || write(fd, b, S_LEN) != S_LEN)
		abort();
	free(b);
	return fd;
}

/* A child that maps the file itself, cuts it and reads past the cut: how it ended. */
static int S_plain_child(int fd)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		volatile const unsigned char *p = mmap(NULL, S_LEN, PROT_READ, MAP_PRIVATE, fd, 0);
		int nul = open("/dev/null", O_WRONLY);
		if (nul >= 0) /* (under AddressSanitizer, its report of the fault) */
			(void)dup2(nul, 2);
		if (p == MAP_FAILED || ftruncate(fd, 0) != 0)
			_exit(20);
		_exit(p[S_LEN - 1] == 0 ? 21 : 22);
	}
	waitpid(pid, &status, 0);
	return status;
}

int main(void)
{
	char path[64];
	int fd = S_file(path), ro = open(path, O_RDONLY), status;
	struct mapped *m = NULL, *n = NULL;
	const unsigned char *at = NULL, *at2 = NULL;
	volatile const unsigned char *v;
	long sum = 0;
	size_t i;

	CHECK(mapped_open(&m, &at, ro, 0, S_LEN) == 0);
	CHECK(at != NULL && at[0] == 0 && at[1000] == 1000 % 251 && at[S_LEN - 1] == (S_LEN - 1) % 251);
	CHECK(!mapped_cut(m));
	CHECK(mapped_open(&n, &at2, ro, 5000, 300) == 0);
	CHECK(at2 != NULL && at2[0] == 5000 % 251 && at2[299] == 5299 % 251);
	CHECK(!mapped_cut(n));
	mapped_free(n);
	CHECK(mapped_open(&n, &at2, ro, 0, 0) == -1 && n == NULL); /* nothing to map */

	/* cut short by another descriptor, the mapping's pages left in place */
	CHECK(ftruncate(fd, 4096) == 0);
	v = at;
	CHECK(v[S_LEN - 1] == 0); /* past the cut: zeros, no SIGBUS */
	CHECK(mapped_cut(m));
	for (i = 65536; i < S_LEN; i++) /* and every byte after the fault's page */
		sum += v[i];
	CHECK(sum == 0);
	mapped_free(m);

	mapped_open(&n, &at2, ro, 0, 100); /* the head, still there */
	CHECK(n != NULL && at2[99] == 99 && !mapped_cut(n));
	mapped_free(n);
	mapped_free(NULL);

	/* cut within a page a read had mapped: no fault there, zeros past the new end; the
	   file's size tells */
	CHECK(ftruncate(fd, S_LEN) == 0);
	CHECK(mapped_open(&n, &at2, ro, 0, S_LEN) == 0 && at2[S_LEN - 1] == 0); /* (grown: zeros) */
	CHECK(!mapped_cut(n));
	CHECK(ftruncate(fd, S_LEN - 100) == 0);
	CHECK(mapped_cut(n));
	mapped_free(n);

	/* another mapping's fault: the process dies of it, as without the handler (under
	   AddressSanitizer its handler, the one before ours, reports it and exits 1) */
	CHECK(ftruncate(fd, S_LEN) == 0);
	status = S_plain_child(fd);
	CHECK(WIFSIGNALED(status) ? WTERMSIG(status) == SIGBUS
				  : WIFEXITED(status) && WEXITSTATUS(status) == 1);

	close(ro);
	close(fd);
	unlink(path);
	return CHECK_DONE("test_mapped");
}
