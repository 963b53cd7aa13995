/*
 * fuzz_mustache: any bytes as a template, compiled and rendered in strict
 * and lenient mode against a small data tree (YAML), with itself as a
 * partial so recursion and inheritance are reached too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "mustache.h"
#include "yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A YAML tree as template data (the spec runner's shape, kept small). */
static enum mu_kind S_kind(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	return n->kind == YNODE_MAP ? MU_MAP : n->kind == YNODE_SEQ ? MU_LIST : MU_SCALAR;
}
static const struct mu_class S_y;
static int S_get(const struct mu_val *v, const char *key, size_t n, struct mu_val *out)
{
	const struct ynode *m = v->p;
	size_t k;
	for (k = 0; k + 1 < m->n; k += 2)
		if (m->kids[k]->len == n && memcmp(m->kids[k]->str, key, n) == 0) {
			out->cls = &S_y;
			out->p = m->kids[k + 1];
			return 1;
		}
	return 0;
}
static size_t S_len(const struct mu_val *v)
{
	return ((const struct ynode *)v->p)->n;
}
static void S_at(const struct mu_val *v, size_t i, struct mu_val *out)
{
	out->cls = &S_y;
	out->p = ((const struct ynode *)v->p)->kids[i];
}
static void S_text(const struct mu_val *v, struct buf *out)
{
	const struct ynode *n = v->p;
	if (n->str)
		buf_put(out, n->str, n->len);
}
static int S_truthy(const struct mu_val *v)
{
	const struct ynode *n = v->p;
	return n->kind != YNODE_SCALAR || n->len > 0;
}
static const struct mu_class S_y = {
	.kind = S_kind,
	.get = S_get,
	.len = S_len,
	.at = S_at,
	.text = S_text,
	.truthy = S_truthy,
};

static const char S_data[] =
	"a: 1\nb: [x, y, {c: z}]\nd: {e: {f: deep}}\nlist: [1, 2, 3]\nt: true\ns: '<b>'\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ynode *tree;
	int strict;

	if (!tree && yaml_load(&tree, "data.yaml", S_data, sizeof(S_data) - 1, 0, NULL))
		return 0;
	for (strict = 0; strict < 2; strict++) {
		struct mu_set *set = mu_set_new(strict);
		struct mu_val root = { &S_y, tree, NULL, 0 };
		struct buf out = BUF_INIT;
		if (mu_set_add(set, "t", "t.html", (const char *)data, size) == 0 &&
		    mu_set_add(set, "p", "p.html", (const char *)data, size) == 0 && mu_set_check(set) == 0)
			mu_render(&out, set, "t", &root);
		buf_release(&out);
		mu_set_free(set);
	}
	diag_reset();
	return 0;
}
