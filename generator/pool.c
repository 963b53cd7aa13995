/*
 * pool: a fixed set of pthreads per call. Starting threads costs tens of
 * microseconds, far below one stage's work, so there is no long-lived pool
 * to keep in sync.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

/* Set once by pool_cancel, never cleared: the process is stopping. */
static atomic_int S_cancel;

void pool_cancel(void)
{
	atomic_store(&S_cancel, 1);
}

int pool_cancelled(void)
{
	return atomic_load_explicit(&S_cancel, memory_order_relaxed);
}

struct pool_job {
	atomic_size_t next;
	size_t n;
	void (*fn)(size_t i, int worker, void *payload);
	void *payload;
};

struct pool_worker {
	struct pool_job *job;
	int id;
};

int pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static void *S_work(void *arg)
{
	struct pool_worker *w = arg;
	struct pool_job *job = w->job;
	size_t i;
	/* one relaxed load an item: nothing next to the work it guards */
	while (!pool_cancelled() && (i = atomic_fetch_add(&job->next, 1)) < job->n)
		job->fn(i, w->id, job->payload);
	return NULL;
}

void pool_run(int nthreads, size_t n, void (*fn)(size_t i, int worker, void *payload), void *payload)
{
	struct pool_job job;
	struct pool_worker *workers;
	pthread_t *threads;
	int t, started = 1;

	atomic_init(&job.next, 0);
	job.n = n;
	job.fn = fn;
	job.payload = payload;
	if (nthreads < 1)
		nthreads = 1;
	if ((size_t)nthreads > n)
		nthreads = n ? (int)n : 1;
	workers = xcalloc((size_t)nthreads, sizeof(*workers));
	threads = xcalloc((size_t)nthreads, sizeof(*threads));
	for (t = 0; t < nthreads; t++) {
		workers[t].job = &job;
		workers[t].id = t;
	}
	/* If a thread cannot start, the others (and this one) do its share. */
	for (t = 1; t < nthreads; t++)
		if (pthread_create(&threads[t], NULL, S_work, &workers[t]) == 0)
			started = t + 1;
		else
			break;
	S_work(&workers[0]);
	for (t = 1; t < started; t++)
		pthread_join(threads[t], NULL);
	free(workers);
	free(threads);
}
