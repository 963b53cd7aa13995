/*
 * serve: build into memory, serve, watch, rebuild, reload (serve.h).
 *
 * Threads: the main thread owns the loop (signals, the watch, the
 * builds); libmicrohttpd runs one thread per connection. They share the
 * struct serve below under its lock: the live snapshot (the last site that
 * built without errors, reference-counted so a request that has it keeps
 * it while the next build replaces it), the errors of the last build, and
 * a counter of states that the event streams wait on.
 *
 * Reloading: each HTML response gets a small script (S_tag) that names the
 * snapshot it came from and opens /_jixia/events, where every state is sent
 * as one event: "reload" (the generation that is served now, and the last
 * one that changed more than stylesheets) or "errors" (the diagnostics as
 * JSON, shown over the page with textContent only). A page from an older
 * generation reloads, or swaps its stylesheets when only they changed
 * since; a stream that connects late gets the current state at once, so
 * no change made between loading a page and its stream opening is missed.
 *
 * Preview first: a stream names the page it is open on (?page=); once a
 * rebuild's model is made without errors, the most recent open pages are
 * rendered from it alone (S_preview, render_outputs) into a small site
 * that requests for exactly those files read before the live one, and
 * their streams get their reload at once, under the rebuild's number; the
 * rest of the site keeps the last committed build until the rebuild
 * commits (or fails: the preview goes either way). Every build takes a
 * new number, good or not, so the commit's state is no second reload for
 * a page that showed its preview, and a page that showed the preview of a
 * build that then failed is on a number no later state names.
 * /_jixia/ is a reserved name (plankind.h): no page or file can be there.
 *
 * SIGINT and SIGTERM are blocked in every thread and read from a
 * signalfd by the loop, so stopping is an ordinary step of it: the
 * streams are ended, the daemon joins its threads, everything is freed.
 * While a build runs, a sentry thread polls that signalfd and cancels the
 * build (pool.h), which is then dropped: stopping never waits for a build.
 *
 * Names: the site is built once, on the origin printed; a request must
 * call the server by one of the machine's own names (S_host_ok: DNS
 * rebinding), and its text files get their links on that name (S_rebase),
 * so a phone on the LAN that opened the machine's address follows links
 * that work for it.
 */
#define _GNU_SOURCE
#include "serve.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <malloc.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <microhttpd.h>

#include "build.h"
#include "diag.h"
#include "escape.h"
#include "incr.h"
#include "memsite.h"
#include "plan.h"
#include "plankind.h"
#include "pool.h"
#include "render.h"
#include "source.h"
#include "source.h"
#include "util.h"
#include "watch.h"

/*
 * The functions of libmicrohttpd that serve calls, loaded as serve starts
 * (S_mhd_load) rather than linked: linked, the library and the TLS ones it
 * needs (GnuTLS and eight more) were loaded as every command started, 2.2
 * ms of each (`jixia version`, exec to exit: 10.45 ms linked, 8.23 not;
 * medians of 60 alternated runs).
 */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_create_response_from_callback) *create_response_from_callback;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} S_mhd;

/* Loads libmicrohttpd into S_mhd (once; serve runs until the process ends). 0, or -1 after a diag error. */
static int S_mhd_load(void)
{
	/* its soname in Debian 12 (libmicrohttpd12), else the development package's link */
	static const char *const names[] = { "libmicrohttpd.so.12", "libmicrohttpd.so" };
	void *lib = lib_open(names, sizeof(names) / sizeof(names[0]));

	if (!lib) {
		diag_error(NULL, 0, 0, "cannot load libmicrohttpd, which jixia serve needs: %s", dlerror());
		return -1;
	}
	if (lib_fn(lib, "MHD_start_daemon", &S_mhd.start_daemon) ||
	    lib_fn(lib, "MHD_stop_daemon", &S_mhd.stop_daemon) ||
	    lib_fn(lib, "MHD_lookup_connection_value", &S_mhd.lookup_connection_value) ||
	    lib_fn(lib, "MHD_get_connection_info", &S_mhd.get_connection_info) ||
	    lib_fn(lib, "MHD_create_response_from_buffer", &S_mhd.create_response_from_buffer) ||
	    lib_fn(lib, "MHD_create_response_from_callback", &S_mhd.create_response_from_callback) ||
	    lib_fn(lib, "MHD_add_response_header", &S_mhd.add_response_header) ||
	    lib_fn(lib, "MHD_queue_response", &S_mhd.queue_response) ||
	    lib_fn(lib, "MHD_destroy_response", &S_mhd.destroy_response)) {
		diag_error(NULL, 0, 0, "libmicrohttpd lacks a function jixia serve calls: %s", dlerror());
		return -1;
	}
	return 0;
}

/* A batch of changes is built once the files have been quiet this long (ms) when
 * no save in it completed (a mode changed, a folder made); a half-saved file is
 * waited for, and saves that all completed are built WATCH_SETTLE_MS after their
 * last event (watch.h)... */
#define S_QUIET_MS 10
/* ...or this long after its first change, if they never are. */
#define S_MAX_WAIT_MS 500
/* What rebuilds freed goes back to the system once no change came for this long (ms). */
#define S_TRIM_IDLE_MS 400
/* An event stream with nothing to say sends a comment this often (s), so proxies keep it open. */
#define S_PING_S 15

/* The open pages a rebuild renders first, before the rest of the site (S_preview): the most recent. */
#define S_OPEN_MAX 8
/* The longest page name an event stream may give (bytes, as sent): a URL path, not a payload. */
#define S_PAGE_MAX 2048

#define S_EVENTS "/" SERVE_TOP "/events"
#define S_SCRIPT "/" SERVE_TOP "/live.js"

/* One site that built: what requests read. */
struct snapshot {
	struct memsite *site;
	unsigned long gen; /* the build's number: each build, good or not, takes the next one, so a
			      preview of a build that then failed names no generation ever served */
	int refs;          /* the server's while it is the live one, and one per request reading it */
};

struct serve {
	const struct serve_opts *opts;
	char *origin;      /* "http://127.0.0.1:8383/": the base URL the site is built with */
	int listen_fd;     /* until the daemon owns it */
	int family;        /* of listen_fd's address */
	int port;          /* the port listened on */
	struct incr *incr; /* the incremental engine's state, one for every rebuild */
	int loopback;      /* listening on a loopback address */
	int wildcard;      /* listening on every address (0.0.0.0, ::) */
	char *hostname;    /* gethostname's, "" when a URL cannot carry it (S_host_ok) */
	int sigfd;         /* SIGINT and SIGTERM, read by the loop */
	int built_fd;      /* an eventfd: the build the sentry watches over ended */
	pthread_mutex_t lock;
	pthread_cond_t changed; /* broadcast when seq moves or stopping is set */
	/* under lock: */
	struct snapshot *live; /* NULL until a build succeeds */
	unsigned long full;    /* the last generation that changed more than stylesheets */
	char *errors;          /* the last build's diagnostics (a JSON array) when it failed, else NULL */
	unsigned long seq;     /* moves with every build, good or not */
	int stopping;
	int streams; /* event streams open */
	int trim;    /* the loop's: a rebuild freed a site since memory last went back (S_loop) */
	/* the preview (S_preview), under lock: */
	struct snapshot *preview; /* the open pages rendered by the build under way, its number as
				     gen, read before live for exactly those paths; NULL when none */
	struct stream *open;      /* the event streams that named their page, the newest first */
	/* the loop's own: */
	unsigned long gens; /* the last build number taken */
	const char *hold;   /* JIXIA_TEST_PREVIEW_HOLD (S_test_hold), or NULL */
	int full_next;      /* a build showed a preview, then failed: the next one reloads pages */
};

/* clang-format off */
/*
 * The script every served HTML page gets (never jixia build's output). It
 * shows untrusted text (paths, messages) through textContent only.
 */
static const char S_live_js[] =
"// jixia serve: reloads the page when the site is rebuilt, swaps its\n"
"// stylesheets when only they changed, shows the build's errors over it.\n"
"(() => {\n"
"\tlet gen = Number(document.currentScript.dataset.gen);\n"
"\tlet box = null;\n"
"\tconst hide = () => { if (box) box.remove(); box = null; };\n"
"\tconst show = (errors) => {\n"
"\t\thide();\n"
"\t\tbox = document.createElement('div');\n"
"\t\tbox.id = 'jixia-errors';\n"
"\t\tbox.setAttribute('role', 'alert');\n"
"\t\tbox.lang = 'en';\n"
"\t\tbox.style.cssText = 'position:fixed;top:0;left:0;right:0;max-height:70vh;z-index:2147483647;' +\n"
"\t\t\t'overflow:auto;margin:0;padding:1rem 1.5rem;background:#1b1b1f;color:#f4f4f5;' +\n"
"\t\t\t'border-bottom:4px solid #e5484d;box-shadow:0 4px 24px #0008;' +\n"
"\t\t\t'font:14px/1.5 ui-monospace,monospace;text-align:left;overflow-wrap:anywhere';\n"
"\t\tconst h = document.createElement('p');\n"
"\t\th.style.cssText = 'margin:0 0 1rem;font-weight:bold;color:#ff9b9b';\n"
"\t\th.textContent = 'jixia serve: the site has errors; this is the last good build. Fix them and the page reloads.';\n"
"\t\tbox.append(h);\n"
"\t\tfor (const e of errors) {\n"
"\t\t\tconst p = document.createElement('pre');\n"
"\t\t\tp.style.cssText = 'margin:0 0 .75rem;white-space:pre-wrap;font:inherit';\n"
"\t\t\tconst at = (e.file ?? 'jixia') + (e.line ? ':' + e.line + (e.col ? ':' + e.col : '') : '');\n"
"\t\t\tp.textContent = at + ': ' + e.severity + ': ' + e.message;\n"
"\t\t\tbox.append(p);\n"
"\t\t}\n"
"\t\tdocument.body.append(box);\n"
"\t};\n"
"\tconst events = new EventSource('" S_EVENTS "?page=' + encodeURIComponent(location.pathname));\n"
"\tevents.addEventListener('errors', (ev) => show(JSON.parse(ev.data).errors));\n"
"\tevents.addEventListener('reload', (ev) => {\n"
"\t\tconst d = JSON.parse(ev.data);\n"
"\t\thide();\n"
"\t\tif (d.gen === gen) return;\n"
"\t\tif (gen > 0 && gen >= d.full) {\n"
"\t\t\tfor (const l of document.querySelectorAll('link[rel~=\"stylesheet\"]')) {\n"
"\t\t\t\tconst u = new URL(l.href);\n"
"\t\t\t\tu.searchParams.set('jixia', d.gen);\n"
"\t\t\t\tl.href = u.href;\n"
"\t\t\t}\n"
"\t\t\tgen = d.gen;\n"
"\t\t\treturn;\n"
"\t\t}\n"
"\t\tevents.close();\n"
"\t\tlocation.reload();\n"
"\t});\n"
"})();\n";
/* clang-format on */

/* The tag put before </body> of every HTML page served, naming its generation. */
static void S_tag(struct buf *out, unsigned long gen)
{
	buf_printf(out, "<script src=\"" S_SCRIPT "\" data-gen=\"%lu\"></script>", gen);
}

/* The last "</body>" of s (n bytes), in any letter case, or NULL. */
static const char *S_body_end(const char *s, size_t n)
{
	size_t i = n;
	while (i >= 7) {
		i--;
		if (s[i - 6] == '<' && strncasecmp(s + i - 6, "</body>", 7) == 0)
			return s + i - 6;
	}
	return NULL;
}

/* An HTML page with the reload script in (caller releases out). */
static void S_inject(struct buf *out, const char *html, size_t n, unsigned long gen)
{
	const char *end = S_body_end(html, n);
	size_t at = end ? (size_t)(end - html) : n;

	buf_put(out, html, at);
	S_tag(out, gen);
	buf_put(out, html + at, n - at);
}

/* FNV-1a of the bytes served, as an ETag. */
static void S_etag(char out[24], const char *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 24, "\"%016llx\"", h);
}

/* If-None-Match names tag (among others, or "*"). */
static int S_etag_match(const char *header, const char *tag)
{
	const char *p = header;
	size_t n = strlen(tag);

	if (strcmp(header, "*") == 0)
		return 1;
	while ((p = strstr(p, tag))) {
		if ((p == header || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

enum range { RANGE_NONE, RANGE_OK, RANGE_UNSATISFIABLE };

/* Digits at *p into *v (no overflow past what a size can hold). 0 when there are none. */
static int S_number(const char **p, unsigned long long *v)
{
	const char *s = *p;
	*v = 0;
	while (*s >= '0' && *s <= '9') {
		if (*v > (~0ULL - 9) / 10)
			return 0;
		*v = *v * 10 + (unsigned)(*s++ - '0');
	}
	if (s == *p)
		return 0;
	*p = s;
	return 1;
}

/*
 * A Range header over len bytes: one range "bytes=A-B", "bytes=A-" or
 * "bytes=-N" into [*from, *to] (inclusive). Several ranges, or a header
 * that is not one of these, are ignored (the whole file, as RFC 9110
 * allows); a range that starts past the end cannot be satisfied.
 */
static enum range S_range(const char *h, size_t len, size_t *from, size_t *to)
{
	unsigned long long a, b;
	const char *p = h;

	if (strncasecmp(p, "bytes=", 6) != 0)
		return RANGE_NONE;
	p += 6;
	while (*p == ' ')
		p++;
	if (*p == '-') {
		p++;
		if (!S_number(&p, &b) || *p)
			return RANGE_NONE;
		if (b == 0 || len == 0)
			return RANGE_UNSATISFIABLE;
		*from = b >= len ? 0 : len - (size_t)b;
		*to = len - 1;
		return RANGE_OK;
	}
	if (!S_number(&p, &a) || *p++ != '-')
		return RANGE_NONE;
	if (*p == '\0')
		b = ~0ULL;
	else if (!S_number(&p, &b) || *p || b < a)
		return RANGE_NONE;
	if (a >= len)
		return RANGE_UNSATISFIABLE;
	*from = (size_t)a;
	*to = b >= len ? len - 1 : (size_t)b;
	return RANGE_OK;
}

/*
 * Queues one response: body (len bytes, copied) with its type, ETag and
 * no-cache (a reload always asks again), answering If-None-Match and, when
 * ranges is set, a byte range.
 */
static enum MHD_Result S_reply(struct MHD_Connection *conn, unsigned status, const char *type,
			       const char *body, size_t len, int ranges)
{
	struct MHD_Response *r;
	char etag[24], cr[96];
	const char *inm = S_mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *rh = S_mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	size_t total = len, from, to;
	enum MHD_Result ret;

	cr[0] = '\0';
	S_etag(etag, body, len);
	if (status == MHD_HTTP_OK && inm && S_etag_match(inm, etag)) {
		status = MHD_HTTP_NOT_MODIFIED;
		len = 0;
	} else if (status == MHD_HTTP_OK && ranges && rh) {
		switch (S_range(rh, len, &from, &to)) {
		case RANGE_NONE: break;
		case RANGE_OK:
			status = MHD_HTTP_PARTIAL_CONTENT;
			body += from;
			len = to - from + 1;
			snprintf(cr, sizeof(cr), "bytes %zu-%zu/%zu", from, to, total);
			break;
		case RANGE_UNSATISFIABLE:
			status = MHD_HTTP_RANGE_NOT_SATISFIABLE;
			len = 0;
			snprintf(cr, sizeof(cr), "bytes */%zu", total);
			break;
		}
	}
	r = S_mhd.create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (status != MHD_HTTP_RANGE_NOT_SATISFIABLE)
		S_mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	S_mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (ranges)
		S_mhd.add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	if (cr[0])
		S_mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
	ret = S_mhd.queue_response(conn, status, r);
	S_mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result S_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return S_reply(conn, status, "text/plain; charset=utf-8", text, strlen(text), 0);
}

/* The live snapshot with a reference taken, or NULL before the first good build. */
static struct snapshot *S_acquire(struct serve *s)
{
	struct snapshot *snap;
	pthread_mutex_lock(&s->lock);
	if ((snap = s->live))
		snap->refs++;
	pthread_mutex_unlock(&s->lock);
	return snap;
}

static void S_snapshot_free(struct snapshot *snap)
{
	if (!snap)
		return;
	memsite_free(snap->site);
	free(snap);
}

/*
 * The preview with a reference taken when it has the file rel (an open
 * page the build under way rendered first: S_preview), else NULL.
 */
static struct snapshot *S_acquire_preview(struct serve *s, const char *rel)
{
	struct snapshot *snap = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->preview && memsite_get(s->preview->site, rel)) {
		snap = s->preview;
		snap->refs++;
	}
	pthread_mutex_unlock(&s->lock);
	return snap;
}

static void S_release(struct serve *s, struct snapshot *snap)
{
	int last;
	if (!snap)
		return;
	pthread_mutex_lock(&s->lock);
	last = --snap->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (last)
		S_snapshot_free(snap);
}

/*
 * The site's 404 page for url: LANG/404.html when url is under a language
 * folder that has one, else the top 404.html; NULL when the site has none.
 */
static const struct memsite_file *S_notfound(const struct memsite *m, const char *url)
{
	const char *seg = url + 1;
	size_t n = strcspn(seg, "/");
	const struct memsite_file *f = NULL;

	if (seg[n] == '/' && n > 0) {
		struct buf p = BUF_INIT;
		buf_printf(&p, "%.*s/404.html", (int)n, seg);
		f = memsite_get(m, p.ptr);
		buf_release(&p);
	}
	return f ? f : memsite_get(m, "404.html");
}

/* Before the first good build: a page that waits for it (and shows the errors). */
static enum MHD_Result S_not_yet(struct MHD_Connection *conn)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	buf_puts(&b,
		 "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>jixia serve</title>\n"
		 "<body>\n<p>jixia serve: the site has not built yet; the terminal shows why.</p>\n");
	S_tag(&b, 0);
	buf_puts(&b, "\n</body>\n</html>\n");
	ret = S_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/html; charset=utf-8", b.ptr, b.len, 0);
	buf_release(&b);
	return ret;
}

/* A redirect from a folder's name to the folder (its index.html): "/talks" to "/talks/". */
static enum MHD_Result S_redirect(struct MHD_Connection *conn, const char *url)
{
	struct MHD_Response *r = S_mhd.create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	struct buf loc = BUF_INIT;
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	escape_url_path(&loc, url, strlen(url));
	buf_putc(&loc, '/');
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.ptr);
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	/* 302, not 301: a browser keeps a permanent one, and the folder may become a file */
	ret = S_mhd.queue_response(conn, MHD_HTTP_FOUND, r);
	S_mhd.destroy_response(r);
	buf_release(&loc);
	return ret;
}

/* Whether a file of this Content-Type is text the origin may be rewritten in (S_rebase). */
static int S_textual(const char *type)
{
	return str_starts(type, "text/") || strstr(type, "json") || strstr(type, "xml");
}

/*
 * The site is built once, with the base URL s->origin; a browser that
 * calls the server by another of its names (S_host_ok's canon) gets its
 * text files with each "http://ORIGIN" (not followed by a digit: another
 * port) as "http://CANON:PORT", so its links stay on what it reached.
 * Returns 1 when out holds the rewritten bytes, 0 when nothing changes.
 */
static int S_rebase(const struct serve *s, const char *canon, const char *type, const char *p, size_t n,
		    struct buf *out)
{
	size_t olen = strlen(s->origin) - 1; /* without its '/' */
	const char *end = p + n, *at;
	char with[NI_MAXHOST + 32];

	if (!canon[0] || !S_textual(type))
		return 0;
	snprintf(with, sizeof(with), "http://%s:%d", canon, s->port);
	if (strlen(with) == olen && strncmp(with, s->origin, olen) == 0)
		return 0;
	while ((at = memmem(p, (size_t)(end - p), s->origin, olen))) {
		buf_put(out, p, (size_t)(at - p));
		if (at + olen < end && at[olen] >= '0' && at[olen] <= '9')
			buf_put(out, at, olen);
		else
			buf_puts(out, with);
		p = at + olen;
	}
	if (!out->len)
		return 0;
	buf_put(out, p, (size_t)(end - p));
	return 1;
}

/*
 * A file of the site: its folder's index.html, the redirect to the folder,
 * or the 404 page; its links on canon when that is set (S_rebase).
 */
static enum MHD_Result S_file(struct serve *s, struct MHD_Connection *conn, const char *url,
			      const char *canon)
{
	struct snapshot *snap;
	const struct memsite_file *f;
	struct buf rel = BUF_INIT, html = BUF_INIT, rebased = BUF_INIT;
	const char *data;
	size_t len;
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;

	buf_puts(&rel, url + 1);
	if (rel.len == 0 || rel.ptr[rel.len - 1] == '/')
		buf_puts(&rel, "index.html");
	/* an open page the build under way rendered first: its new bytes, under the build's number */
	if ((snap = S_acquire_preview(s, rel.ptr))) {
		f = memsite_get(snap->site, rel.ptr);
	} else if (!(snap = S_acquire(s))) {
		buf_release(&rel);
		return S_not_yet(conn);
	} else if (!(f = memsite_get(snap->site, rel.ptr))) {
		buf_puts(&rel, "/index.html");
		if (url[1] && memsite_get(snap->site, rel.ptr)) {
			ret = S_redirect(conn, url);
			goto done;
		}
		status = MHD_HTTP_NOT_FOUND;
		if (!(f = S_notfound(snap->site, url))) {
			ret = S_text(conn, status, "404 not found\n");
			goto done;
		}
	}
	data = f->data;
	len = f->len;
	if (S_rebase(s, canon, memsite_type(f->path), data, len, &rebased)) {
		data = rebased.ptr;
		len = rebased.len;
	}
	if (str_ends(f->path, ".html")) {
		S_inject(&html, data, len, snap->gen);
		ret = S_reply(conn, status, memsite_type(f->path), html.ptr, html.len, 1);
	} else {
		ret = S_reply(conn, status, memsite_type(f->path), data, len, 1);
	}
done:
	S_release(s, snap);
	buf_release(&rel);
	buf_release(&html);
	buf_release(&rebased);
	return ret;
}

/* One open event stream. */
struct stream {
	struct serve *s;
	unsigned long seq; /* the state last sent; 0: none yet */
	struct buf out;    /* what is being sent */
	size_t off;
	char *rel;                  /* the file of the page it named ("talks/x/index.html"), or NULL */
	unsigned long pgen;         /* the preview last told (its build's number), 0: none */
	struct stream *prev, *next; /* in s->open (under lock), when rel is set */
};

/* A preview (s->preview) has st's page and st was not told of it yet (under s->lock). */
static int S_preview_due(const struct serve *s, const struct stream *st)
{
	return s->preview && st->rel && st->pgen != s->preview->gen &&
	       memsite_get(s->preview->site, st->rel) != NULL;
}

/* The current state as one event (under s->lock). */
static void S_state(struct buf *out, const struct serve *s)
{
	unsigned long gen = s->live ? s->live->gen : 0;
	if (s->errors)
		buf_printf(out, "event: errors\ndata: {\"gen\":%lu,\"errors\":%s}\n\n", gen, s->errors);
	else
		buf_printf(out, "event: reload\ndata: {\"gen\":%lu,\"full\":%lu}\n\n", gen, s->full);
}

/*
 * libmicrohttpd asks for the stream's next bytes: sends what is left of
 * the last event, else waits for the next state (a comment every
 * S_PING_S seconds meanwhile); the stream ends when the server stops.
 */
static ssize_t S_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	struct serve *s = st->s;
	size_t n;

	(void)pos;
	if (st->off == st->out.len) {
		struct timespec until;
		buf_reset(&st->out);
		st->off = 0;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += S_PING_S;
		pthread_mutex_lock(&s->lock);
		while (!s->stopping && st->seq == s->seq && !S_preview_due(s, st))
			if (pthread_cond_timedwait(&s->changed, &s->lock, &until) == ETIMEDOUT)
				break;
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (S_preview_due(s, st)) {
			/* its page is rendered from the build under way: it reloads now, into
			   that build's number, so the state that build's commit sends (the same
			   number) is no second reload; a state before it is behind it */
			unsigned long g = s->preview->gen;
			if (st->seq == 0)
				buf_puts(&st->out, "retry: 500\n\n");
			st->seq = s->seq;
			st->pgen = g;
			buf_printf(&st->out,
				   "event: reload\ndata: {\"gen\":%lu,\"full\":%lu,\"preview\":true}\n\n", g,
				   g);
		} else if (st->seq == s->seq) {
			buf_puts(&st->out, ": ping\n\n");
		} else {
			if (st->seq == 0)
				buf_puts(&st->out, "retry: 500\n\n");
			st->seq = s->seq;
			S_state(&st->out, s);
		}
		pthread_mutex_unlock(&s->lock);
	}
	n = st->out.len - st->off < max ? st->out.len - st->off : max;
	memcpy(buf, st->out.ptr + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void S_stream_free(void *cls)
{
	struct stream *st = cls;
	struct serve *s = st->s;
	pthread_mutex_lock(&s->lock);
	s->streams--;
	if (st->rel) {
		if (st->prev)
			st->prev->next = st->next;
		else
			s->open = st->next;
		if (st->next)
			st->next->prev = st->prev;
	}
	pthread_mutex_unlock(&s->lock);
	buf_release(&st->out);
	free(st->rel);
	free(st);
}

static int S_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The file of the page an event stream names (its ?page=, the page's
 * location.pathname as the browser writes it, percent-encoded), as the
 * site's files are named: "/talks/x/" to "talks/x/index.html". Untrusted:
 * only ever looked up among the files of a site in memory, never a path
 * on the disk; a name that is not a path, too long, malformed or with a
 * NUL in it is none. Returns the file (caller frees) or NULL.
 */
static char *S_page_rel(const char *page)
{
	struct buf b = BUF_INIT;
	size_t i, n = page ? strnlen(page, S_PAGE_MAX + 1) : 0;

	if (n == 0 || n > S_PAGE_MAX || page[0] != '/')
		return NULL;
	for (i = 1; i < n; i++) {
		int hi, lo;
		if (page[i] != '%') {
			buf_putc(&b, page[i]);
			continue;
		}
		if (i + 2 >= n)
			goto bad;
		if ((hi = S_hex(page[i + 1])) < 0 || (lo = S_hex(page[i + 2])) < 0 || (hi | lo) == 0)
			goto bad;
		buf_putc(&b, (char)(hi << 4 | lo));
		i += 2;
	}
	if (b.len == 0 || b.ptr[b.len - 1] == '/')
		buf_puts(&b, "index.html");
	return buf_detach(&b, NULL);
bad:
	buf_release(&b);
	return NULL;
}

static enum MHD_Result S_events(struct serve *s, struct MHD_Connection *conn)
{
	struct stream *st = xcalloc(1, sizeof(*st));
	struct MHD_Response *r;
	enum MHD_Result ret;

	st->s = s;
	buf_init(&st->out);
	st->rel = S_page_rel(S_mhd.lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "page"));
	r = S_mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, S_stream_read, st, S_stream_free);
	if (!r) {
		buf_release(&st->out);
		free(st->rel);
		free(st);
		return MHD_NO;
	}
	pthread_mutex_lock(&s->lock);
	s->streams++;
	if (st->rel) { /* the newest first: S_preview takes the most recent pages */
		st->next = s->open;
		if (s->open)
			s->open->prev = st;
		s->open = st;
	}
	pthread_mutex_unlock(&s->lock);
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
	S_mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	ret = S_mhd.queue_response(conn, MHD_HTTP_OK, r);
	S_mhd.destroy_response(r);
	return ret;
}

/* The address conn connected to, as a browser writes it in a URL's host: "192.0.2.2", "[fd00::2]". */
static int S_local_name(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		S_mhd.get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char text[INET6_ADDRSTRLEN];

	if (!ci || getsockname(ci->connect_fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	if (sa.ss_family == AF_INET) {
		if (!inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, out, (socklen_t)size))
			return -1;
		return 0;
	}
	if (sa.ss_family != AF_INET6)
		return -1;
	{
		const struct in6_addr *a = &((struct sockaddr_in6 *)&sa)->sin6_addr;
		/* an IPv4 client of a socket on "::" */
		if (IN6_IS_ADDR_V4MAPPED(a))
			return inet_ntop(AF_INET, a->s6_addr + 12, out, (socklen_t)size) ? 0 : -1;
		if (!inet_ntop(AF_INET6, a, text, sizeof(text)))
			return -1;
		snprintf(out, size, "[%s]", text);
	}
	return 0;
}

/*
 * Which name a request calls this server by. A browser sends the host of
 * the page's URL, so a page of another site that gets its own name pointed
 * at this machine (DNS rebinding) sends that name: it must not read the
 * preview, drafts and all. A request is answered when its Host is one of:
 * a loopback name (127.0.0.1, localhost, [::1]); the very address it
 * connected to (a browser on the LAN that opened http://192.0.2.2:8383/);
 * the machine's host name, alone or with ".local" (mDNS), which no other
 * site can answer for unless it already controls this network's names;
 * each with the port listened on (or none on port 80). Requests without a
 * Host (HTTP/1.0) come from no browser. The name matched goes into canon in
 * jixia's own spelling, never the request's bytes: the links of the pages
 * served are rewritten to it (S_rebase). 0 when answered, -1 when not.
 */
static int S_host_ok(const struct serve *s, struct MHD_Connection *conn, const char *host, char *canon,
		     size_t size)
{
	static const char *const names[] = { "127.0.0.1", "localhost", "[::1]" };
	const char *colon, *end;
	char name[NI_MAXHOST + 8], local[INET6_ADDRSTRLEN + 2];
	size_t i, n;

	canon[0] = '\0';
	if (!host)
		return 0;
	end = host[0] == '[' ? strchr(host, ']') : NULL;
	colon = strrchr(end ? end : host, ':');
	if (colon) {
		char want[16];
		snprintf(want, sizeof(want), "%d", s->port);
		if (strcmp(colon + 1, want) != 0)
			return -1;
		n = (size_t)(colon - host);
	} else {
		if (s->port != 80)
			return -1;
		n = strlen(host);
	}
	if (n == 0 || n >= sizeof(name))
		return -1;
	memcpy(name, host, n);
	name[n] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcasecmp(name, names[i]) == 0) {
			snprintf(canon, size, "%s", names[i]);
			return 0;
		}
	if (S_local_name(conn, local, sizeof(local)) == 0 && strcasecmp(name, local) == 0) {
		snprintf(canon, size, "%s", local);
		return 0;
	}
	if (s->hostname[0]) {
		size_t hn = strlen(s->hostname);
		if (strcasecmp(name, s->hostname) == 0 ||
		    (n == hn + 6 && strncasecmp(name, s->hostname, hn) == 0 &&
		     strcasecmp(name + hn, ".local") == 0)) {
			snprintf(canon, size, "%s%s", s->hostname, n > hn ? ".local" : "");
			return 0;
		}
	}
	return -1;
}

static enum MHD_Result S_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				const char *version, const char *upload_data, size_t *upload_size, void **req)
{
	struct serve *s = cls;
	char canon[NI_MAXHOST + 8];

	(void)version;
	(void)upload_data;
	(void)req;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		*upload_size = 0;
		return S_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "jixia serve answers GET and HEAD only\n");
	}
	if (url[0] != '/')
		return S_text(conn, MHD_HTTP_BAD_REQUEST, "bad request\n");
	if (S_host_ok(s, conn, S_mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
		      canon, sizeof(canon)))
		return S_text(conn, MHD_HTTP_FORBIDDEN,
			      "jixia serve answers requests for this machine's own addresses only\n");
	if (strcmp(url, S_EVENTS) == 0)
		return S_events(s, conn);
	if (strcmp(url, S_SCRIPT) == 0)
		return S_reply(conn, MHD_HTTP_OK, "text/javascript; charset=utf-8", S_live_js,
			       sizeof(S_live_js) - 1, 0);
	return S_file(s, conn, url, canon);
}

/* The JSON lines diag_flush copied into one array, or NULL when there are none. */
static char *S_errors_json(const char *lines, size_t n)
{
	struct buf b = BUF_INIT;
	const char *p = lines, *end = lines + n;

	buf_putc(&b, '[');
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len) {
			if (b.len > 1)
				buf_putc(&b, ',');
			buf_put(&b, p, len);
		}
		p += len + 1;
	}
	buf_putc(&b, ']');
	if (b.len == 2) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* A path from the watch, for the terminal. */
static void S_print_change(const struct watch_batch *b)
{
	struct buf clean = BUF_INIT;

	if (b->lost) { /* watch.h: nothing names what changed */
		fprintf(stderr,
			"jixia: changes were missed (the system's queue of file events overflowed, or "
			"a watched folder went): watching every folder again, rebuilding\n");
		return;
	}
	diag_clean_line(&clean, b->first.ptr, b->first.len);
	if (b->changes > 1)
		fprintf(stderr, "jixia: %s and %zu more changed\n", clean.ptr, b->changes - 1);
	else
		fprintf(stderr, "jixia: %s changed\n", clean.ptr);
	buf_release(&clean);
}

static double S_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Wakes the sentry (S_build_watched); a short write cannot happen to an eventfd. */
static void S_poke(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		return;
}

/*
 * While a build runs on the loop's thread, the sentry waits for SIGINT or
 * SIGTERM beside it. It leaves the signal to the loop to read, and cancels
 * the build's pool (pool.h): the stages stop within one page's work and
 * the build returns BUILD_CANCELLED, so stopping never waits for the
 * rebuild of a large site to end.
 */
static void *S_sentry(void *arg)
{
	struct serve *s = arg;
	struct pollfd pf[2] = { { s->sigfd, POLLIN, 0 }, { s->built_fd, POLLIN, 0 } };

	while (poll(pf, 2, -1) < 0)
		if (errno != EINTR)
			return NULL;
	if (pf[0].revents & POLLIN)
		pool_cancel();
	return NULL;
}

/* build_run with the sentry watching for a signal meanwhile. */
static int S_build_watched(struct serve *s, const struct build_opts *bo)
{
	pthread_t t;
	uint64_t n;
	int watched = pthread_create(&t, NULL, S_sentry, s) == 0, code;

	code = build_run(bo);
	if (watched) {
		S_poke(s->built_fd);
		pthread_join(t, NULL);
		if (read(s->built_fd, &n, sizeof(n)) < 0) /* back to 0 for the next build */
			n = 0;
	}
	return code;
}

/* The preview goes (under s->lock); returns it when it is to be freed by the caller, else NULL. */
static struct snapshot *S_drop_preview(struct serve *s)
{
	struct snapshot *pv = s->preview;
	s->preview = NULL;
	if (pv && --pv->refs > 0)
		pv = NULL; /* a request still reads it: the last one frees it */
	return pv;
}

/*
 * A hook for tests only (tests/e2e/serve-preview.sh): with
 * JIXIA_TEST_PREVIEW_HOLD=FILE, a build that showed a preview waits there
 * until FILE exists (10 s at most), so a test sees the preview and the
 * last committed site side by side, which a real build leaves for a few
 * hundred milliseconds only.
 */
static void S_test_hold(const struct serve *s)
{
	int i;

	if (!s->hold)
		return;
	for (i = 0; i < 1000 && access(s->hold, F_OK) != 0 && !pool_cancelled(); i++)
		usleep(10000);
}

/* The build under way: its number, for its preview (S_preview). */
struct building {
	struct serve *s;
	unsigned long gen;
};

/*
 * build_opts.preview: the model of the build under way is done and has no
 * error, so the open pages (the S_OPEN_MAX whose streams opened last) are
 * rendered from it now, alone (render_outputs: the bytes the whole render
 * will give them), into a site of their own that requests for exactly
 * those files read before the live one (S_file), and their streams are
 * told at once (S_stream_read) while the rest of the site renders. The
 * preview goes at the build's end, whatever its result (S_rebuild).
 * Returns how many pages were rendered.
 */
static size_t S_preview(const struct site *site, const struct theme *theme, const struct lists *lists,
			const struct plan *plan, void *payload)
{
	struct building *bd = payload;
	struct serve *s = bd->s;
	char *want[S_OPEN_MAX];
	size_t found[S_OPEN_MAX];
	size_t nwant = 0, nfound = 0, done = 0, i, k;
	const struct stream *st;
	struct memsite *m = NULL;
	struct snapshot *snap, *old;
	struct output out;

	pthread_mutex_lock(&s->lock);
	for (st = s->open; st && nwant < S_OPEN_MAX; st = st->next) {
		for (k = 0; k < nwant && strcmp(want[k], st->rel) != 0; k++)
			;
		if (k == nwant)
			want[nwant++] = xstrdup(st->rel);
	}
	pthread_mutex_unlock(&s->lock);
	if (!nwant)
		return 0;
	m = memsite_new();
	output_begin_memory(&out, m);
	/* the names are looked up among the plan's HTML outputs only: nothing else is rendered */
	for (i = 0; i < plan->html.n && nfound < nwant; i++) {
		const char *path = plan->v[plan->html.first + i].out_path;
		for (k = 0; k < nwant; k++)
			if (strcmp(path, want[k]) == 0) {
				found[nfound++] = i;
				break;
			}
	}
	if (nfound && !pool_cancelled())
		done = render_outputs(site, theme, lists, plan, found, nfound, &out);
	output_release(&out);
	for (k = 0; k < nwant; k++)
		free(want[k]);
	if (!done) {
		memsite_free(m);
		return 0;
	}
	snap = xcalloc(1, sizeof(*snap));
	snap->site = m;
	snap->gen = bd->gen;
	snap->refs = 1;
	pthread_mutex_lock(&s->lock);
	old = S_drop_preview(s); /* none: each build drops its own (S_rebuild) */
	s->preview = snap;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	S_snapshot_free(old);
	S_test_hold(s);
	return done;
}

/*
 * Builds the site into a new memsite through build_run, the one pipeline
 * jixia build runs. Built: it becomes the live snapshot. Errors: they were
 * printed (as jixia check prints them) and are kept for the pages'
 * overlay, and the live snapshot stays. Either way the streams are told.
 */
static void S_rebuild(struct serve *s, const struct watch_batch *batch)
{
	struct build_opts bo;
	struct memsite *m = memsite_new();
	struct snapshot *old = NULL, *snap, *pv;
	struct building bd = { s, ++s->gens };
	struct timespec t0;
	char *lines = NULL, *errors;
	size_t nlines = 0;
	FILE *copy;
	int code;

	if (batch)
		S_print_change(batch);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&bo, 0, sizeof(bo));
	bo.dir = s->opts->dir;
	bo.jobs = s->opts->jobs;
	bo.drafts = s->opts->drafts;
	bo.verbose = s->opts->verbose;
	/* the clock, unless a time was given: upcoming events as of now, and an
	 * uncommitted page's date is its edit's, at the latest now (history.c) */
	bo.now = s->opts->now >= 0 ? s->opts->now : (long long)time(NULL);
	bo.format = DIAG_TEXT;
	bo.mem = m;
	bo.base_url = s->origin;
	bo.incr = s->incr; /* what the last rebuild read and walked (incr.h) */
	/* the open pages first, once the model is made: not for a change of
	   stylesheets only, which swaps them without a reload */
	if (batch && !batch->css_only) {
		bo.preview = S_preview;
		bo.preview_payload = &bd;
	}
	/* bo.mem starts empty; the outputs whose inputs did not change are
	 * shared from the last good site, which s->incr holds (rerender.h) */

	diag_reset();
	copy = open_memstream(&lines, &nlines);
	diag_set_copy(copy);
	code = S_build_watched(s, &bo);
	diag_set_copy(NULL);
	if (copy)
		fclose(copy);
	if (code == BUILD_CANCELLED) {
		/* stopping: thrown away like a failed build, nothing told or kept */
		fprintf(stderr, "jixia: stopping: the build under way is dropped\n");
		pthread_mutex_lock(&s->lock);
		pv = S_drop_preview(s);
		pthread_mutex_unlock(&s->lock);
		S_snapshot_free(pv);
		free(lines);
		memsite_free(m);
		return;
	}
	errors = code ? S_errors_json(lines ? lines : "", lines ? nlines : 0) : NULL;
	if (code && !errors)
		errors = xstrdup("[{\"severity\":\"error\",\"file\":null,\"line\":0,\"col\":0,"
				 "\"message\":\"the build failed: the terminal shows why\"}]");
	free(lines);

	pthread_mutex_lock(&s->lock);
	/* a page shown from a preview of a build that then failed is of no
	   generation ever served: the next that builds reloads it, even for a
	   change of stylesheets only */
	if (code && s->preview)
		s->full_next = 1;
	pv = S_drop_preview(s);
	if (code == 0) {
		snap = xcalloc(1, sizeof(*snap));
		snap->site = m;
		snap->refs = 1;
		snap->gen = bd.gen;
		if (!s->live || !batch || !batch->css_only || s->full_next)
			s->full = snap->gen;
		s->full_next = 0;
		if ((old = s->live) && --old->refs > 0)
			old = NULL; /* a request still reads it: the last one frees it */
		s->live = snap;
		m = NULL;
	}
	free(s->errors);
	s->errors = errors;
	s->seq++;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);

	if (code == 0 && batch)
		fprintf(stderr, "jixia: rebuilt in %.2f s; %s the open pages\n", S_since(&t0),
			batch->css_only ? "restyling" : "reloading");
	else if (code)
		fprintf(stderr, "jixia: the site has errors; still serving the last good build\n");
	S_snapshot_free(old);
	S_snapshot_free(pv);
	memsite_free(m);
	/* a site's worth of small blocks was just freed: the pages go back once
	 * the files are quiet (S_loop), or the server holds two sites' worth
	 * between rebuilds; not now, when the next save of a burst would fault
	 * them all in again */
	s->trim = 1;
}

/* The URL host for a numeric address: 127.0.0.1, [::1]; a wildcard is reached at the loopback. */
static void S_origin(struct serve *s, const struct sockaddr *sa, socklen_t len, int port)
{
	char host[NI_MAXHOST];
	struct buf b = BUF_INIT;
	int v6 = sa->sa_family == AF_INET6;

	if (getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST) != 0)
		strcpy(host, v6 ? "::1" : "127.0.0.1");
	s->wildcard = strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
	if (strcmp(host, "0.0.0.0") == 0)
		strcpy(host, "127.0.0.1");
	else if (strcmp(host, "::") == 0)
		strcpy(host, "::1");
	buf_printf(&b, v6 ? "http://[%s]:%d/" : "http://%s:%d/", host, port);
	s->origin = buf_detach(&b, NULL);
}

/* Opens the listening socket. 0, or -1 after a diag error (the port is taken, say). */
static int S_listen(struct serve *s)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage sa;
	socklen_t salen = sizeof(sa);
	char port[16];
	int fd = -1, one = 1, e, rc = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", s->opts->port);
	if ((e = getaddrinfo(s->opts->bind, port, &hints, &ai)) != 0) {
		diag_error(NULL, 0, 0, "cannot listen on '%s': %s", s->opts->bind, gai_strerror(e));
		goto done;
	}
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		diag_error(NULL, 0, 0, "cannot listen on '%s': %s", s->opts->bind, strerror(errno));
		goto done;
	}
	/* a server stopped a moment ago leaves connections in TIME_WAIT: not a reason to refuse */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 64) != 0) {
		if (errno == EADDRINUSE)
			diag_error(
				NULL, 0, 0,
				"port %d on %s is in use (another jixia serve?): choose another with --port N, "
				"or --port 0 for any free one",
				s->opts->port, s->opts->bind);
		else
			diag_error(NULL, 0, 0, "cannot listen on %s port %d: %s", s->opts->bind,
				   s->opts->port, strerror(errno));
		goto done;
	}
	if (getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
		diag_error(NULL, 0, 0, "cannot listen on '%s': %s", s->opts->bind, strerror(errno));
		goto done;
	}
	S_origin(s, (struct sockaddr *)&sa, salen,
		 ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
						: ((struct sockaddr_in *)&sa)->sin_port));
	s->family = sa.ss_family;
	s->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
						 : ((struct sockaddr_in *)&sa)->sin_port);
	s->loopback = sa.ss_family == AF_INET6
			      ? IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&sa)->sin6_addr)
			      : (ntohl(((struct sockaddr_in *)&sa)->sin_addr.s_addr) >> 24) == 127;
	s->listen_fd = fd;
	fd = -1;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (ai)
		freeaddrinfo(ai);
	return rc;
}

/* The machine's host name, when it is one a URL can carry as it is (S_host_ok). */
static void S_hostname(struct serve *s)
{
	char name[HOST_NAME_MAX + 1];
	size_t i;

	if (gethostname(name, sizeof(name)) != 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	for (i = 0; name[i]; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.')) {
			name[0] = '\0';
			break;
		}
	}
	if (strcasecmp(name, "localhost") == 0)
		name[0] = '\0';
	s->hostname = xstrdup(name);
}

/*
 * Listening on every address: where other machines reach the server (its
 * host name, each address of an interface that is up, loopback and
 * IPv6 link-local ones aside: a URL cannot name those without a zone),
 * IPv6 ones only on "::". Said on stdout after the "serving" line.
 */
static void S_print_reach(const struct serve *s)
{
	struct ifaddrs *ifs = NULL, *i;
	char text[INET6_ADDRSTRLEN];
	int any = 0;

	if (s->hostname[0])
		printf("jixia: from other machines: http://%s:%d/\n", s->hostname, s->port);
	if (getifaddrs(&ifs) == 0) {
		for (i = ifs; i; i = i->ifa_next) {
			const struct sockaddr *sa = i->ifa_addr;
			if (!sa || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
				continue;
			if (sa->sa_family == AF_INET &&
			    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text,
				      sizeof(text))) {
				printf("jixia: from other machines: http://%s:%d/\n", text, s->port);
				any = 1;
			} else if (sa->sa_family == AF_INET6 && s->family == AF_INET6) {
				const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
				if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a) ||
				    !inet_ntop(AF_INET6, a, text, sizeof(text)))
					continue;
				printf("jixia: from other machines: http://[%s]:%d/\n", text, s->port);
				any = 1;
			}
		}
		freeifaddrs(ifs);
	}
	if (!any)
		printf("jixia: from other machines: this machine's address, port %d\n", s->port);
}

/* Starts the HTTP server on the listening socket and says where it is. 0, or -1 after a diag error. */
static int S_start(struct serve *s, struct MHD_Daemon **d)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;

	if (s->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	*d = S_mhd.start_daemon(flags, 0, NULL, NULL, S_handle, s, MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)256, MHD_OPTION_END);
	if (!*d) {
		diag_error(NULL, 0, 0, "cannot start the HTTP server on %s", s->origin);
		return -1;
	}
	s->listen_fd = -1; /* the daemon's now: it closes it */
	printf("jixia: serving %s (Ctrl-C stops)\n", s->origin);
	if (s->wildcard)
		S_print_reach(s);
	if (!s->loopback)
		fprintf(stderr,
			"jixia: warning: listening beyond this machine: whoever reaches it can read "
			"the preview%s\n",
			s->opts->drafts ? ", drafts included" : "");
	fflush(stdout);
	return 0;
}

/*
 * The files the watcher saw change since the last rebuild, handed to the
 * source stage: it looks at those instead of walking every folder
 * (source_cache_changed). When the watcher cannot name them all (a
 * folder, lost events), nothing is handed and the tree is walked.
 */
static void S_hand_paths(struct serve *s, struct watch *w)
{
	char **paths;
	size_t n, i;

	if (watch_take_paths(w, &paths, &n) != 0)
		return;
	source_cache_changed(s->incr->files, (const char *const *)paths, n);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Waits for changes and rebuilds after each batch, until a signal. */
static void S_loop(struct serve *s, struct watch *w, int sigfd)
{
	struct watch_batch batch;

	memset(&batch, 0, sizeof(batch));
	buf_init(&batch.first);
	for (;;) {
		struct pollfd pf[2] = { { sigfd, POLLIN, 0 }, { watch_fd(w), POLLIN, 0 } };
		int r = poll(pf, 2, s->trim ? S_TRIM_IDLE_MS : -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (r == 0) { /* quiet since the last rebuild: what it freed goes back */
			malloc_trim(0);
			s->trim = 0;
			continue;
		}
		if (pf[0].revents & POLLIN)
			break;
		if (!(pf[1].revents & POLLIN))
			continue;
		watch_collect(w, sigfd, S_QUIET_MS, S_MAX_WAIT_MS, &batch);
		if (batch.stopped)
			break;
		if (batch.changes) {
			S_hand_paths(s, w);
			S_rebuild(s, &batch);
		}
	}
	buf_release(&batch.first);
}

int serve_run(const struct serve_opts *opts)
{
	struct serve s;
	struct watch *w = NULL;
	struct MHD_Daemon *d = NULL;
	git_repository *repo = NULL;
	pthread_condattr_t ca;
	sigset_t set, old;
	int sigfd = -1, code = 2;

	memset(&s, 0, sizeof(s));
	s.opts = opts;
	s.listen_fd = -1;
	s.hold = getenv("JIXIA_TEST_PREVIEW_HOLD");
	s.built_fd = -1;
	S_hostname(&s);
	pthread_mutex_init(&s.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s.changed, &ca);
	pthread_condattr_destroy(&ca);

	/* Blocked before any thread starts (the daemon's, the build's pool), so
	 * every thread inherits it and only the signalfd sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN); /* a browser that closes a page mid-response */
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (s.built_fd = eventfd(0, EFD_CLOEXEC)) < 0) {
		diag_error(NULL, 0, 0, "cannot wait for signals: %s", strerror(errno));
		goto done;
	}
	s.sigfd = sigfd;
	if (S_mhd_load() || S_listen(&s) || watch_open(&w, opts->dir))
		goto done;
	if (source_repo_open(&repo, opts->dir) == 0)
		watch_git(w, git_repository_path(repo), git_repository_commondir(repo));
	source_repo_free(repo);
	repo = NULL;
	s.incr = incr_new(); /* kept between rebuilds, freed below */
	S_rebuild(&s, NULL);
	/* a signal during the first build: stopped before serving anything */
	if (!pool_cancelled()) {
		if (S_start(&s, &d))
			goto done;
		S_loop(&s, w, sigfd);
	}
	code = 0;
	{
		/* read, or the mask restored below would deliver it again */
		struct signalfd_siginfo si;
		while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			;
	}
done:
	pthread_mutex_lock(&s.lock);
	s.stopping = 1;
	pthread_cond_broadcast(&s.changed);
	pthread_mutex_unlock(&s.lock);
	if (d)
		S_mhd.stop_daemon(d); /* joins every connection's thread */
	if (s.listen_fd >= 0)
		close(s.listen_fd);
	if (code)
		diag_flush(stderr, DIAG_TEXT);
	else
		fprintf(stderr, "jixia: stopped\n");
	if (s.live && --s.live->refs == 0)
		S_snapshot_free(s.live);
	S_snapshot_free(S_drop_preview(&s)); /* the daemon's threads are gone: no lock needed */
	incr_free(s.incr);
	free(s.errors);
	free(s.origin);
	free(s.hostname);
	watch_free(w);
	if (sigfd >= 0)
		close(sigfd);
	if (s.built_fd >= 0)
		close(s.built_fd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_cond_destroy(&s.changed);
	pthread_mutex_destroy(&s.lock);
	return code;
}
