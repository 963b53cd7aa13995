/*
 * mustache: the template engine. Templates are compiled once into a set and
 * rendered many times, concurrently, from any thread: the compiled set is
 * read-only after loading, and rendering keeps its state on the caller's
 * stack and buffer. Data is reached through struct mu_val, a handle with a
 * class of callbacks, so the generator lets a template walk its own model
 * (pages, lists, site, i18n) without copying it into a generic tree.
 *
 * Implements the official Mustache spec: interpolation, sections, inverted
 * sections, comments, partials (with standalone indentation), set
 * delimiters, and inheritance ({{<parent}} {{$block}}).
 */
#ifndef JIXIA_MUSTACHE_H
#define JIXIA_MUSTACHE_H

#include <stddef.h>

#include "util.h"

enum mu_kind {
	MU_NULL,   /* missing or null: falsy, renders as "" */
	MU_BOOL,   /* truthy per class->truthy */
	MU_SCALAR, /* string or number: truthy per class->truthy, renders class->text */
	MU_LIST,   /* falsy when empty; a section iterates it */
	MU_MAP     /* truthy; a section pushes it as context */
};

struct mu_val;

/*
 * The callbacks behind a value. A class need only fill what its kinds use:
 * get for MU_MAP, len/at for MU_LIST, text/truthy for MU_BOOL/MU_SCALAR.
 * All must be safe to call from several threads at once on shared data.
 * Write a class with designated initializers ({ .kind = ..., .get = ... }):
 * the callbacks that are left out are NULL, and no callback can land in
 * the slot of another of the same type.
 */
struct mu_class {
	enum mu_kind (*kind)(const struct mu_val *v);
	/* MU_MAP: look up key (keylen bytes, not NUL-terminated); 1 found, 0 not. */
	int (*get)(const struct mu_val *v, const char *key, size_t keylen, struct mu_val *out);
	size_t (*len)(const struct mu_val *v);
	void (*at)(const struct mu_val *v, size_t i, struct mu_val *out);
	/* Appends the value's text, unescaped; the engine escapes it. */
	void (*text)(const struct mu_val *v, struct buf *out);
	int (*truthy)(const struct mu_val *v);
	/*
	 * 1 when the class's text is HTML the generator made itself (rendered
	 * Markdown, a table of contents) and may go out raw through {{{x}}} /
	 * {{&x}}; 0 (the default) for everything else. A property of the
	 * class, never of a value: a class of HTML holds nothing but HTML, and
	 * no field of a value can make text trusted.
	 */
	int trusted;
};

/*
 * For class callbacks whose work grows with the data (a lookup that scans
 * n entries): adds n steps to the render running on this thread, so slow
 * data counts against the same bounds as the template itself. Does
 * nothing outside a render.
 */
void mu_charge(unsigned long n);

/* A value handle: a class and up to three words of the class's own state. */
struct mu_val {
	const struct mu_class *cls; /* NULL means MU_NULL */
	const void *p;
	const void *q;
	size_t i;
};

/*
 * The two classes of ready-made text, so no caller builds its own: s (n
 * bytes) is borrowed for as long as the value is used. mu_val_str is plain
 * text, never trusted: {{x}} escapes it and, in strict mode, {{{x}}}
 * refuses it. mu_val_html is HTML the generator made itself (trusted),
 * which {{{x}}} writes as it is. Both are truthy when not empty and
 * overwrite every field of *out. s must not lie in the buffer the render
 * writes into: {{x}} and {{{x}}} write from s itself, and that buffer
 * moves as it grows.
 */
void mu_val_str(struct mu_val *out, const char *s, size_t n);
void mu_val_html(struct mu_val *out, const char *s, size_t n);

/* A compiled set of named templates (layouts and partials). */
struct mu_set;

/*
 * Options for a set. strict: an unknown partial is an error found by
 * mu_set_check() and raw tags on untrusted values are render errors (the
 * generator's mode); without it, the spec's lenient behaviour (unknown
 * partial renders "", raw is always allowed).
 */
struct mu_set *mu_set_new(int strict);
void mu_set_free(struct mu_set *set);

/*
 * Compiles src under name: the name that {{>name}} and {{<name}} use and
 * that mu_render takes (the generator names layouts/page.html "page" and
 * layouts/partials/header.html "header"). path is the file name used in
 * diagnostics (e.g. "layouts/page.html"). Syntax errors are reported
 * through diag as path:line:col and return -1. A later add of the same name
 * replaces the earlier one. The set copies what it needs from src.
 */
int mu_set_add(struct mu_set *set, const char *name, const char *path, const char *src, size_t len);

/*
 * After all adds: in strict mode, reports each partial or parent tag that
 * names no template in the set, at its line:col. Returns 0 or -1.
 */
int mu_set_check(const struct mu_set *set);

/* 1 when the set has a template of that name. */
int mu_set_has(const struct mu_set *set, const char *name);

/*
 * Renders template name with data as the root context, appending to out.
 * Returns 0, or -1 after reporting a render error through diag at the
 * template's path:line:col (raw tag on untrusted data in strict mode,
 * partial nesting deeper than 64, more than 64 MiB of output or too many
 * steps for one render, unknown template name); out is then as it was.
 */
int mu_render(struct buf *out, const struct mu_set *set, const char *name, const struct mu_val *data);

/*
 * The names a set's tags found, counted over many renders at once (from
 * any thread): for each variable and section tag, whether a render reached
 * it and whether its name ever resolved. A name that a map's data has on
 * one page and lacks on another is found; a misspelt one never is. Made
 * after the last mu_set_add and freed before the set.
 */
struct mu_names;
struct mu_names *mu_names_new(const struct mu_set *set);
void mu_names_free(struct mu_names *names);

/*
 * Calls fn for each tag that some render reached and that never resolved,
 * with its template file (borrowed from the set), position and name (n
 * bytes). known(name, n, payload), when not NULL, is asked about each
 * dotted part of such a name: when it says 1 for every part, the name is one
 * the data can have though no render had it (an optional field nobody
 * filled in yet), and fn is not called. Returns how many times fn was
 * called.
 */
size_t
mu_names_unknown(const struct mu_names *names, int (*known)(const char *name, size_t n, void *payload),
		 void (*fn)(const char *path, int line, int col, const char *name, size_t n, void *payload),
		 void *payload);

/* What one mu_render_run did: its cost, and its error kept for the caller. */
struct mu_run {
	struct mu_names *names; /* set by the caller: where this render counts the
	                           names its tags looked up, or NULL */
	unsigned long steps;    /* work done (nodes visited, context levels searched),
	                        error or not */
	const char *path;       /* the error's template file, borrowed from the set;
	                        NULL for an unknown template name */
	int line, col;
	struct buf msg; /* the error's message, without location; empty
	                        when the render succeeded */
};

/*
 * As mu_render, but a render error goes into *run (replacing what it held;
 * the caller releases run->msg) rather than to diag, and run->steps counts
 * the work, so a caller rendering many outputs can bound their total and
 * decide which error to report.
 */
int mu_render_run(struct buf *out, struct mu_run *run, const struct mu_set *set, const char *name,
		  const struct mu_val *data);

#endif
