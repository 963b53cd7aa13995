/*
 * help: one text, two layouts. On the terminal an option's flag takes a
 * column of 16 and its text, broken into lines in main.c, follows it; in
 * the man page roff fills the same lines into paragraphs, so only what
 * roff would read as a request or an escape is changed.
 */
#include "help.h"

#include <string.h>

/* Where an option's text starts on the terminal. */
#define HELP_COL 16

const struct help_cmd *help_find(const struct help *h, const char *name)
{
	const struct help_cmd *c;
	for (c = h->cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void help_list(FILE *out, const struct help *h)
{
	const struct help_cmd *c;

	fputs("usage: jixia <command> [options]\n\ncommands:\n", out);
	for (c = h->cmds; c->name; c++)
		fprintf(out, "  %-10s%s\n", c->name, c->summary);
	fputs("\na command's usage and options: jixia help COMMAND, or jixia COMMAND --help\n", out);
	fprintf(out, "exit status: %s", h->exit_status);
}

/* text's lines, each but the first indented to col. */
static void S_indented(FILE *out, const char *text, int col)
{
	const char *s = text, *nl;
	int first = 1;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		fprintf(out, "%*s%.*s\n", first ? 0 : col, "", (int)(nl - s), s);
		first = 0;
		if (!*nl)
			break;
	}
}

void help_command(FILE *out, const struct help_cmd *c)
{
	const struct help_opt *o;

	fprintf(out, "usage: jixia %s%s%s\n\n", c->name, c->args[0] ? " " : "", c->args);
	fputs(c->about, out);
	if (!c->opts || !c->opts[0].flag)
		return;
	fputs("\noptions:\n", out);
	for (o = c->opts; o->flag; o++) {
		int w = 2 + (int)strlen(o->flag);
		/* A flag too long for the column gets a line of its own. */
		if (w > HELP_COL - 2)
			fprintf(out, "  %s\n%*s", o->flag, HELP_COL, "");
		else
			fprintf(out, "  %s%*s", o->flag, HELP_COL - w, "");
		S_indented(out, o->text, HELP_COL);
	}
}

/*
 * n bytes of s as roff text: a backslash is printed as one, '-' is a
 * minus (a hyphen would break options apart), '"' cannot end a macro's
 * argument, and a line cannot start a request.
 */
static void S_roff(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];
		if ((i == 0 || s[i - 1] == '\n') && (ch == '.' || ch == '\''))
			fputs("\\&", out);
		if (ch == '\\')
			fputs("\\e", out);
		else if (ch == '-')
			fputs("\\-", out);
		else if (ch == '"')
			fputs("\\(dq", out);
		else
			fputc(ch, out);
	}
}

static void S_roff_str(FILE *out, const char *s)
{
	S_roff(out, s, strlen(s));
}

/* Paragraphs: their lines as text, leading blanks dropped (roff breaks there), .PP between. */
static void S_roff_text(FILE *out, const char *text)
{
	const char *s = text, *nl;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		while (s < nl && (*s == ' ' || *s == '\t'))
			s++;
		if (s == nl) {
			fputs(".PP\n", out);
		} else {
			S_roff(out, s, (size_t)(nl - s));
			fputc('\n', out);
		}
		if (!*nl)
			break;
	}
}

/* "\fBjixia NAME\fR ARGS": a command's synopsis. */
static void S_roff_synopsis(FILE *out, const struct help_cmd *c)
{
	fprintf(out, "\\fBjixia %s\\fR", c->name);
	if (c->args[0]) {
		fputc(' ', out);
		S_roff_str(out, c->args);
	}
	fputc('\n', out);
}

static void S_roff_opts(FILE *out, const struct help_opt *o)
{
	for (; o && o->flag; o++) {
		fputs(".TP\n\\fB", out);
		S_roff_str(out, o->flag);
		fputs("\\fR\n", out);
		S_roff_text(out, o->text);
	}
}

void help_man(FILE *out, const struct help *h)
{
	const struct help_cmd *c;

	/* No date: the page is built output, the same from the same sources. */
	fprintf(out, ".TH JIXIA 1 \"\" \"jixia %s\" \"User Commands\"\n", h->version);
	/* Paths and options read better whole: no hyphenation, a ragged right edge. */
	fputs(".nh\n.ad l\n", out);
	fputs(".SH NAME\njixia \\- ", out);
	S_roff_str(out, h->whatis);
	fputs("\n.SH SYNOPSIS\n.nf\n", out);
	for (c = h->cmds; c->name; c++)
		S_roff_synopsis(out, c);
	fputs(".fi\n.SH DESCRIPTION\n", out);
	S_roff_text(out, h->about);
	fputs(".SH COMMANDS\n", out);
	for (c = h->cmds; c->name; c++) {
		fputs(".SS ", out);
		S_roff_synopsis(out, c);
		S_roff_text(out, c->about);
		S_roff_opts(out, c->opts);
	}
	fputs(".SH ENVIRONMENT\n", out);
	S_roff_opts(out, h->env);
	fputs(".SH EXIT STATUS\n", out);
	S_roff_text(out, h->exit_status);
}
