/*
 * pool: run one function over the indices 0..n-1 on N threads. Workers take
 * the next index from a shared counter, so uneven pages balance out; each
 * call gets its worker number so it can use that worker's own state.
 * Results go to per-index slots, so the order of work never shows in
 * the output.
 */
#ifndef JIXIA_POOL_H
#define JIXIA_POOL_H

#include <stddef.h>

/* The number of online CPUs, at least 1. */
int pool_cpus(void);

/*
 * Calls fn(i, worker, payload) once for each i in [0, n), on nthreads
 * threads (the caller's thread is worker 0). Returns when all are done.
 */
void pool_run(int nthreads, size_t n, void (*fn)(size_t i, int worker, void *payload), void *payload);

/*
 * Cancelling (jixia serve stopping during a build): once pool_cancel is
 * called, from any thread, every pool_run calls fn for no more indices,
 * so a stage ends within one item's time. The work is then incomplete: a
 * caller whose later code reads every index's result checks
 * pool_cancelled() first, and a build that was cancelled is thrown away
 * (build.c). Nothing in a plain build cancels; the flag is the process's,
 * as the signal that sets it is.
 */
void pool_cancel(void);
int pool_cancelled(void);

#endif
