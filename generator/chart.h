/*
 * chart: bar charts (one series, or stacked series) as inline SVG for the
 * build's HTML, drawn in the text's colour (currentColor: legible in light
 * and dark themes), each with its title and description for screen readers
 * and a table of its numbers in a <details> under it. Integers only, laid
 * out in integer arithmetic: the same bytes on every machine.
 */
#ifndef JIXIA_CHART_H
#define JIXIA_CHART_H

#include <stddef.h>

#include "util.h"

struct chart {
	const char *id;      /* unique in the page: the title's and description's ids start with it */
	const char *title;   /* plain text */
	const char *desc;    /* plain text */
	const char *xhead;   /* the table's heading of the first column (the periods) */
	const char **labels; /* the bars' labels (periods), n of them */
	size_t n;
	const char **series; /* the series' names, nseries of them (1: a plain bar chart) */
	size_t nseries;
	const long long *values; /* values[s * n + i]: series s at bar i; negative is drawn as 0 */
};

/* Appends the chart's <figure> (SVG and its table) to out; every text is escaped. */
void chart_bars(struct buf *out, const struct chart *c);

#endif
