/*
 * test_poster: pictures drawn by poster.c: a PNG of the shape's size, the
 * same bytes from two threads drawing at once with fonts of their own as
 * from the main thread, a key that changes with what is drawn and only with
 * it, a 100,000-byte title (and invalid UTF-8) cut before layout, and an
 * avatar that is no PNG drawn as initials.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "poster.h"

/* Width and height from the PNG's IHDR; 0 when it is not a whole PNG. */
static int S_size(const struct buf *b, uint32_t *w, uint32_t *h)
{
	const unsigned char *p = (const unsigned char *)b->ptr;
	static const unsigned char iend[8] = { 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	if (b->len < 45 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0 ||
	    memcmp(p + b->len - 8, iend, 8) != 0)
		return 0;
	*w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
	*h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
	return 1;
}

static void S_card(struct poster *p, const char *title)
{
	memset(p, 0, sizeof(*p));
	p->shape = POSTER_CARD;
	p->lang = "zh-cn";
	p->kicker = "演讲 · 2025-05-24";
	p->title = title;
	p->subtitle = "孙浩、王芳 · 杭州";
	p->footer = "PostgreSQL 中文社区";
	p->accent = 0x1b5fc1;
}

struct S_job {
	const struct poster *p;
	struct buf out;
	int rc;
};

static void *S_draw(void *arg)
{
	struct S_job *j = arg;
	struct poster_fonts *f = poster_fonts_new();
	int k;
	/* several times each, so the two threads overlap */
	for (k = 0; k < 3; k++) {
		buf_reset(&j->out);
		j->rc |= poster_png(&j->out, f, j->p);
	}
	poster_fonts_free(f);
	return NULL;
}

int main(void)
{
	struct poster_fonts *f = poster_fonts_new();
	struct poster p, q;
	struct buf a = BUF_INIT, b = BUF_INIT, k1 = BUF_INIT, k2 = BUF_INIT;
	struct S_job jobs[2];
	pthread_t th[2];
	uint32_t w = 0, h = 0;
	char *huge;
	int i;

	S_card(&p, "Patroni 高可用：切换演练与脑裂防护");
	CHECK_INT(poster_png(&a, f, &p), 0);
	CHECK(S_size(&a, &w, &h));
	CHECK_INT(w, 1200);
	CHECK_INT(h, 630);
	CHECK(a.len > 10000 && a.len < 1000000);

	/* two threads at once, each with its own fonts: the main thread's bytes */
	for (i = 0; i < 2; i++) {
		jobs[i].p = &p;
		buf_init(&jobs[i].out);
		jobs[i].rc = 0;
		CHECK_INT(pthread_create(&th[i], NULL, S_draw, &jobs[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(jobs[i].rc, 0);
		CHECK(jobs[i].out.len == a.len && memcmp(jobs[i].out.ptr, a.ptr, a.len) == 0);
		buf_release(&jobs[i].out);
	}

	/* the key: the same for the same poster, another for another title */
	poster_key(&k1, &p);
	poster_key(&k2, &p);
	CHECK(k1.len == k2.len && memcmp(k1.ptr, k2.ptr, k1.len) == 0);
	S_card(&q, "Patroni 高可用：切换演练与脑裂防护！");
	buf_reset(&k2);
	poster_key(&k2, &q);
	CHECK(!(k1.len == k2.len && memcmp(k1.ptr, k2.ptr, k1.len) == 0));

	/* 100,000 bytes of title with invalid UTF-8 and controls: cut, drawn, a valid PNG */
	huge = malloc(100001);
	for (i = 0; i < 100000; i++)
		huge[i] = "\xe8\xb6\x85\xff\x01 x\xe2\x80\xae"[i % 10];
	huge[100000] = 0;
	S_card(&q, huge);
	buf_reset(&b);
	CHECK_INT(poster_png(&b, f, &q), 0);
	CHECK(S_size(&b, &w, &h) && w == 1200 && h == 630);
	buf_reset(&k2);
	poster_key(&k2, &q);
	CHECK(k2.len < 2 * POSTER_TEXT_MAX + 400); /* the key holds the title as cut */
	free(huge);

	/* a tall poster with numbers, a JPEG "avatar" (initials instead) */
	memset(&q, 0, sizeof(q));
	q.shape = POSTER_TALL;
	q.lang = "en";
	q.headline = "2025";
	q.title = "Ada Lovelace";
	q.initials = "Ada Lovelace";
	q.avatar = "\xff\xd8\xff\xe0 not a png";
	q.avatar_len = 16;
	q.footer = "example.org";
	q.accent = 0x1b5fc1;
	for (i = 0; i < POSTER_STATS; i++) {
		q.stats[i].label = "Commits";
		q.stats[i].num = 1234567 * (long long)i;
	}
	q.nstats = POSTER_STATS;
	buf_reset(&b);
	CHECK_INT(poster_png(&b, f, &q), 0);
	CHECK(S_size(&b, &w, &h) && w == 1080 && h == 1350);

	buf_release(&a);
	buf_release(&b);
	buf_release(&k1);
	buf_release(&k2);
	poster_fonts_free(f);
	poster_cleanup();
	return CHECK_DONE("test_poster");
}
