/*
 * test_spec: runs the official Mustache spec (the tests/ YAML files of
 * github.com/mustache/spec) against the engine in lenient mode. Each case's
 * data is the YAML tree itself, seen through a mu_class, the way the
 * generator lets templates walk its own model. Prints one FAIL line (with
 * got/want) per mismatch and ends with "spec-mustache: N passed, N failed".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "mustache.h"
#include "util.h"
#include "yaml.h"

static int passed, failed;

/* ---- struct ynode as template data -------------------------------- */

/*
 * A plain scalar that reads as a number, reformatted the way the spec's
 * reference implementations print numbers (JSON/JavaScript): integers as
 * written, decimals in their shortest round-trip form (1.210 -> 1.21).
 */
static int S_number(const struct ynode *n, struct buf *out)
{
	char tmp[64], *end;
	double d;
	int prec;
	long long ll;

	if (!n->plain || n->len == 0)
		return 0;
	if (ynode_int(n, &ll)) {
		if (out)
			buf_printf(out, "%lld", ll);
		return 1;
	}
	if (!strchr("+-.0123456789", n->str[0]))
		return 0;
	errno = 0;
	d = strtod(n->str, &end);
	if (*end || errno || !isfinite(d))
		return 0;
	if (!out)
		return 1;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
	return 1;
}

static enum mu_kind S_ykind(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	int b;

	if (!n)
		return MU_NULL;
	if (n->kind == YNODE_MAP)
		return MU_MAP;
	if (n->kind == YNODE_SEQ)
		return MU_LIST;
	if (n->plain && ynode_is_null(n))
		return MU_NULL;
	if (n->plain && ynode_bool(n, &b))
		return MU_BOOL;
	return MU_SCALAR;
}

static int S_yget(const struct mu_val *v, const char *key, size_t keylen, struct mu_val *out)
{
	const struct ynode *n = v->p;
	size_t i;

	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		if (k->kind == YNODE_SCALAR && k->len == keylen && memcmp(k->str, key, keylen) == 0) {
			out->cls = v->cls;
			out->p = n->kids[i + 1];
			return 1;
		}
	}
	return 0;
}

static size_t S_ylen(const struct mu_val *v)
{
	return ((const struct ynode *)v->p)->n;
}

static void S_yat(const struct mu_val *v, size_t i, struct mu_val *out)
{
	const struct ynode *n = v->p;
	out->cls = v->cls;
	out->p = i < n->n ? n->kids[i] : NULL;
}

static void S_ytext(const struct mu_val *v, struct buf *out)
{
	const struct ynode *n = v->p;
	int b;

	if (n->kind != YNODE_SCALAR)
		return;
	if (n->plain && ynode_bool(n, &b))
		buf_puts(out, b ? "true" : "false");
	else if (!S_number(n, out))
		buf_put(out, n->str, n->len);
}

static int S_ytruthy(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	int b;

	if (n->plain && ynode_bool(n, &b))
		return b;
	return n->len > 0;
}

static const struct mu_class ynode_class = {
	.kind = S_ykind,
	.get = S_yget,
	.len = S_ylen,
	.at = S_yat,
	.text = S_ytext,
	.truthy = S_ytruthy,
};

/* ---- the runner --------------------------------------------------- */

static char *S_slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

static const char *S_str(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);
	return n && n->kind == YNODE_SCALAR ? n->str : NULL;
}

static void S_fail(const char *file, const char *name, const char *got, const char *want)
{
	failed++;
	printf("FAIL %s: %s\n", file, name);
	if (got || want)
		printf("  got:  [%s]\n  want: [%s]\n", got ? got : "(error)", want ? want : "(null)");
	diag_flush(stdout, DIAG_TEXT);
}

static void S_run_case(const char *file, const struct ynode *tc)
{
	const char *name = S_str(tc, "name"), *tmpl = S_str(tc, "template");
	const char *want = S_str(tc, "expected");
	const struct ynode *partials = ynode_get(tc, "partials");
	struct mu_val data = { &ynode_class, ynode_get(tc, "data"), NULL, 0 };
	struct mu_set *set = mu_set_new(0);
	struct buf out = BUF_INIT;
	size_t i;
	int ok = 1;

	if (!name)
		name = "(unnamed)";
	if (!tmpl || !want) {
		S_fail(file, name, NULL, NULL);
		goto done;
	}
	if (partials && partials->kind == YNODE_MAP) {
		for (i = 0; i + 1 < partials->n; i += 2) {
			const struct ynode *k = partials->kids[i], *v = partials->kids[i + 1];
			if (v->kind != YNODE_SCALAR || mu_set_add(set, k->str, k->str, v->str, v->len) < 0)
				ok = 0;
		}
	}
	/* No partial tag can name "", so the case's own template cannot clash. */
	if (!ok || mu_set_add(set, "", name, tmpl, strlen(tmpl)) < 0 || mu_render(&out, set, "", &data) < 0) {
		S_fail(file, name, NULL, want);
		goto done;
	}
	if (out.len != strlen(want) || memcmp(buf_cstr(&out), want, out.len) != 0) {
		S_fail(file, name, buf_cstr(&out), want);
		goto done;
	}
	passed++;
done:
	buf_release(&out);
	mu_set_free(set);
}

static void S_run_file(const char *path)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct yaml_limits lim = { 64, 0 };
	struct ynode *doc = NULL;
	const struct ynode *tests;
	size_t len, i;
	char *src = S_slurp(path, &len);

	if (!src) {
		printf("FAIL %s: cannot read: %s\n", file, strerror(errno));
		failed++;
		return;
	}
	if (yaml_load(&doc, path, src, len, 0, &lim) < 0 || !doc) {
		S_fail(file, "(loading the file)", NULL, NULL);
		free(src);
		return;
	}
	tests = ynode_get(doc, "tests");
	for (i = 0; tests && tests->kind == YNODE_SEQ && i < tests->n; i++) {
		const struct ynode *tc = tests->kids[i];
		const struct ynode *data = ynode_get(tc, "data");
		/*
		 * Lambdas (!code) are an optional module the engine does not
		 * have; the YAML reader refuses the tag, so they only show up
		 * as a key.
		 */
		if (data && data->kind == YNODE_MAP && ynode_get(data, "lambda"))
			continue;
		S_run_case(file, tc);
	}
	ynode_free(doc);
	free(src);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: test_spec FILE.yml...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		S_run_file(argv[i]);
	printf("spec-mustache: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
