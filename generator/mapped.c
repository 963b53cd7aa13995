/*
 * mapped: cache files read through the page cache, and the SIGBUS
 * handler that keeps a file cut short under a mapping from killing the
 * build (mapped.h). The handler finds the fault's mapping in a fixed
 * table of slots (no lock, no allocation: it runs in a signal), maps
 * anonymous zero pages over the rest of it with MAP_FIXED (mmap is a
 * plain system call on Linux, safe there in practice though POSIX does
 * not list it) and sets the slot's flag; the faulting read then runs
 * again and reads zeros. A fault outside every slot puts the action
 * before back and returns, so the fault comes again and is handled as
 * it would have been without us (the default: the process dies of it).
 */
#include "mapped.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define S_SLOTS 64 /* mappings open at once: a build holds a few */

struct mapped {
	void *base;   /* page-aligned */
	size_t len;   /* of the mapping from base */
	int fd;       /* the file's (the caller's, open as long as the mapping is read) */
	uint64_t end; /* the offset in the file just past what is mapped */
	int slot;
};

/* Per slot: the mapping's first byte and the one past its end (lo 0: a free slot), and
   whether a fault found its file cut. lo is set last and cleared first. */
static _Atomic uintptr_t S_lo[S_SLOTS], S_hi[S_SLOTS];
static atomic_int S_cut[S_SLOTS];
static pthread_mutex_t S_slots_lock = PTHREAD_MUTEX_INITIALIZER; /* claiming and freeing slots */
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static struct sigaction S_before; /* SIGBUS's action before the handler's */
static int S_installed;
static uintptr_t S_page;

static void S_bus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	int saved = errno, i;

	for (i = 0; si->si_code > 0 && i < S_SLOTS; i++) {
		uintptr_t lo = atomic_load(&S_lo[i]), hi = atomic_load(&S_hi[i]);
		if (lo && a >= lo && a < hi) {
			uintptr_t pg = a & ~(S_page - 1);
			if (mmap((void *)pg, hi - pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				 0) == MAP_FAILED)
				break;
			atomic_store(&S_cut[i], 1);
			errno = saved;
			return;
		}
	}
	/* not one of ours: as it would have been without the handler. A handler before ours is
	   called (the guard stays for the faults after, if it comes back); the default or an
	   ignored SIGBUS is put back, so that the fault, coming again, kills the process */
	errno = saved;
	if ((S_before.sa_flags & SA_SIGINFO) && S_before.sa_sigaction) {
		S_before.sa_sigaction(sig, si, uc);
		return;
	}
	if (!(S_before.sa_flags & SA_SIGINFO) && S_before.sa_handler != SIG_DFL &&
	    S_before.sa_handler != SIG_IGN) {
		S_before.sa_handler(sig);
		return;
	}
	(void)signal(SIGBUS, SIG_DFL);
	if (si->si_code <= 0) /* sent, not a fault: it does not come again by itself */
		(void)raise(sig);
	errno = saved;
}

static void S_install(void)
{
	struct sigaction sa;
	long page = sysconf(_SC_PAGESIZE);

	S_page = page > 0 ? (uintptr_t)page : 4096;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = S_bus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	S_installed = sigaction(SIGBUS, &sa, &S_before) == 0;
}

int mapped_open(struct mapped **out, const unsigned char **at, int fd, uint64_t off, size_t len)
{
	struct mapped *m;
	uint64_t base;
	void *p;
	int i;

	*out = NULL;
	pthread_once(&S_once, S_install);
	if (!S_installed || len == 0)
		return -1;
	base = off & ~(uint64_t)(S_page - 1);
	if (off - base > SIZE_MAX - len)
		return -1;
	/* populated now: the pages are the page cache's, mapped in one call rather than faulted in */
	p = mmap(NULL, (size_t)(off - base) + len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)base);
	if (p == MAP_FAILED)
		return -1;
	m = xmalloc(sizeof(*m));
	m->base = p;
	m->len = (size_t)(off - base) + len;
	m->fd = fd;
	m->end = off + len;
	m->slot = -1;
	pthread_mutex_lock(&S_slots_lock);
	for (i = 0; i < S_SLOTS && m->slot < 0; i++)
		if (!atomic_load(&S_lo[i])) {
			m->slot = i;
			atomic_store(&S_cut[i], 0);
			atomic_store(&S_hi[i], (uintptr_t)p + m->len);
			atomic_store(&S_lo[i], (uintptr_t)p);
		}
	pthread_mutex_unlock(&S_slots_lock);
	if (m->slot < 0) { /* no slot: unguarded it must not be read */
		(void)munmap(p, m->len);
		free(m);
		return -1;
	}
	*out = m;
	*at = (const unsigned char *)p + (off - base);
	return 0;
}

int mapped_cut(const struct mapped *m)
{
	struct stat st;

	if (!m)
		return 0;
	if (atomic_load(&S_cut[m->slot]))
		return 1;
	/* cut within the page a read had mapped: the bytes past the new end read as zeros
	   with no fault. (Cut and grown again before any read faulted is not seen: only
	   another program does either, and its bytes are checked where they are taken.) */
	return fstat(m->fd, &st) != 0 || (uint64_t)st.st_size < m->end;
}

void mapped_free(struct mapped *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&S_slots_lock);
	atomic_store(&S_lo[m->slot], 0);
	atomic_store(&S_hi[m->slot], 0);
	pthread_mutex_unlock(&S_slots_lock);
	(void)munmap(m->base, m->len);
	free(m);
}
