/*
 * highlight: syntax highlighting of fenced code blocks at build time, for
 * the languages the community writes (SQL first, then shell, YAML, JSON, C,
 * Python, Go, Java, diff). Each language is a table read by one small
 * lexer; a block in any other language stays plain. The output is spans
 * with a class per kind of token (hl-k keyword, hl-t type or built-in,
 * hl-s string, hl-c comment, hl-n number, hl-v variable, hl-a key or
 * attribute, hl-p preprocessor or decorator, hl-i/hl-d/hl-h a diff's
 * added, deleted and hunk lines), coloured by the theme's CSS.
 */
#ifndef JIXIA_HIGHLIGHT_H
#define JIXIA_HIGHLIGHT_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "util.h"

/*
 * The canonical name of the language an info string names ("sql",
 * "postgresql", "psql", "Bash"... up to its first space), or NULL when
 * none of the tables knows it. Static storage.
 */
const char *highlight_language(const char *info);

/*
 * Appends code (len bytes of UTF-8) in the language named lang, HTML
 * escaped, its tokens in spans. Returns 0, or -1 when the language is not
 * known (nothing appended).
 */
int highlight_code(struct buf *out, const char *lang, const char *code, size_t len);

/*
 * Replaces each code block of doc by a custom block holding its
 * <pre tabindex="0"><code class="language-NAME">, highlighted when the
 * language is known, plain otherwise (the <pre> scrolls, so it takes
 * focus). Run it after everything that reads the blocks' text (search
 * text, links) and before rendering. mem: the allocator of doc's nodes
 * (cmark joins no nodes of two allocators).
 */
void highlight_blocks(cmark_node *doc, cmark_mem *mem);

#endif
