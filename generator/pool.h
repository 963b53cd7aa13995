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

#endif
