/*
 * serve: the serve command, a preview of the site as it is edited. The
 * site is built into memory (memsite.h) through build_run, served over
 * HTTP (libmicrohttpd) on a local address, rebuilt when an input changes
 * (watch.h), and every open page reloads itself through one Server-Sent
 * Events stream, or shows the build's errors over the last good site.
 * Nothing is written to disk.
 */
#ifndef JIXIA_SERVE_H
#define JIXIA_SERVE_H

/* The port jixia serve listens on by default. */
#define SERVE_PORT 8383

struct serve_opts {
	const char *dir;  /* the site folder, "." by default */
	const char *bind; /* --bind: the address to listen on, "127.0.0.1" by default */
	int port;         /* --port: SERVE_PORT by default, 0 for any free port */
	int jobs;         /* -j, 0 for the number of CPUs */
	int drafts;       /* --drafts */
	int verbose;      /* -v: each rebuild's stages */
	long long now;    /* --now or SOURCE_DATE_EPOCH, or -1: the clock at each rebuild */
};

/*
 * Serves until SIGINT or SIGTERM. Returns the exit code: 0 when stopped
 * by a signal, 2 when it could not start (the port is taken, no inotify).
 * Content errors never end it: they are shown, and the last good site
 * stays served.
 */
int serve_run(const struct serve_opts *opts);

#endif
