/*
 * test_util: the primitives every module builds on: arrays growing by
 * ARRAY_GROW (and aborting rather than wrapping when a size would not fit
 * in a size_t).
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

/* Runs fn in a child with stderr closed: true when it died of SIGABRT. */
static int S_aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		close(2);
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void S_grow_past_size_max(void)
{
	array_grow_cap(SIZE_MAX / 16 + 1, 8, 8);
}

static void S_grow_wide_first(void)
{
	array_grow_cap(0, SIZE_MAX / 4 + 1, 4);
}

static void S_grow_macro_past_size_max(void)
{
	long *v = NULL;
	size_t n = SIZE_MAX / sizeof(*v) / 2 + 1, cap = n;
	ARRAY_GROW(v, n, cap, 16);
}

static void test_array_grow(void)
{
	int *v = NULL;
	size_t n = 0, cap = 0, i;
	int sorted = 1;

	CHECK_INT(array_grow_cap(0, 16, 8), 16);
	CHECK_INT(array_grow_cap(16, 16, 8), 32);
	CHECK_INT(array_grow_cap(3, 64, 1), 6);
	/* the largest doubling that still fits, then one past it */
	CHECK(array_grow_cap(SIZE_MAX / 16, 8, 8) == SIZE_MAX / 16 * 2);
	CHECK(S_aborts(S_grow_past_size_max));
	CHECK(S_aborts(S_grow_wide_first));
	CHECK(S_aborts(S_grow_macro_past_size_max));

	for (i = 0; i < 1000; i++) {
		ARRAY_GROW(v, n, cap, 4);
		v[n++] = (int)i;
	}
	CHECK_INT(n, 1000);
	CHECK_INT(cap, 1024); /* 4, 8, ... 1024 */
	for (i = 0; i < n; i++)
		sorted &= v[i] == (int)i;
	CHECK(sorted);
	free(v);

	/* room for a sentinel: n + 1 reached cap */
	v = NULL;
	n = cap = 0;
	ARRAY_GROW(v, n + 1, cap, 2);
	CHECK_INT(cap, 2);
	n = 1;
	ARRAY_GROW(v, n + 1, cap, 2);
	CHECK_INT(cap, 4);
	free(v);
}

int main(void)
{
	test_array_grow();
	return CHECK_DONE("test_util");
}
