/*
 * test_write: the output folder. Swaps with RENAME_EXCHANGE and with the
 * two-rename fallback (forced through output_test_no_exchange), a failed
 * second rename, builds that really die (kill -9 in a child process) in the
 * middle of writing and between the two renames, a running build's folder
 * left alone, look-alike folders that survive, and outputs reached through
 * symbolic links inside and outside the repository, in a folder git takes
 * for a bare repository, and in the folder jixia runs in; the cap on the
 * whole output (lowered through max_bytes), also with threads racing; the
 * folders' record (which folders of the spare the removal walk reads).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "util.h"
#include "scratch.h"
#include "write.h"

/* The first line of scratch_dir/rel, or "" when it cannot be read. */
static const char *S_read(const char *rel)
{
	static char line[256];
	FILE *f = fopen(scratch_at(rel), "r");
	line[0] = '\0';
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* How many names in scratch_dir start with prefix. */
static int S_count(const char *prefix)
{
	struct buf cmd = BUF_INIT;
	char line[64] = "";
	FILE *p;

	buf_printf(&cmd, "ls -A '%s' | awk -v p='%s' 'index($0, p) == 1' | wc -l", scratch_dir, prefix);
	p = popen(cmd.ptr, "r");
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	buf_release(&cmd);
	return atoi(line);
}

/* One build of the site in scratch_dir/site into scratch_dir/out: its index.html says text. */
static int S_build(const char *out, const char *text)
{
	struct output o;
	int rc;

	rc = output_begin(&o, scratch_at(out), scratch_at("site"));
	if (rc == 0)
		rc = output_write(&o, "index.html", text, strlen(text));
	if (rc == 0)
		rc = output_commit(&o);
	output_release(&o);
	return rc;
}

static void S_test_swaps(void)
{
	struct output o;

	CHECK_INT(S_build("pub", "one\n"), 0);
	CHECK_STR(S_read("pub/index.html"), "one");
	CHECK(access(scratch_at("pub/.jixia-output"), F_OK) == 0);
	/* Over an existing output: the exchange. */
	CHECK_INT(S_build("pub", "two\n"), 0);
	CHECK_STR(S_read("pub/index.html"), "two");
	CHECK_INT(S_count(".pub."), 1); /* the previous site, kept as the spare */
	CHECK_INT(S_count(".pub.spare"), 1);

	/* The two-rename fallback: the same result, nothing left beside. */
	output_test_no_exchange = 1;
	CHECK_INT(S_build("pub", "three\n"), 0);
	CHECK_STR(S_read("pub/index.html"), "three");
	CHECK_INT(S_count(".pub."), 1);
	CHECK_INT(S_count(".pub.spare"), 1);

	/* Its second rename fails (the new folder vanished): the previous site
	 * is moved straight back. */
	CHECK_INT(output_begin(&o, scratch_at("pub"), scratch_at("site")), 0);
	CHECK_INT(output_write(&o, "index.html", "four\n", 5), 0);
	CHECK_INT(scratch_sh("rm -rf '%s'", o.tmp), 0);
	CHECK_INT(output_commit(&o), -1);
	output_release(&o);
	output_test_no_exchange = 0;
	CHECK(diag_errors() > 0);
	diag_reset();
	CHECK_STR(S_read("pub/index.html"), "three");
	CHECK_INT(S_count(".pub."), 0);

	/* A failed build leaves the output as it was and nothing beside. */
	CHECK_INT(output_begin(&o, scratch_at("pub"), scratch_at("site")), 0);
	CHECK_INT(output_write(&o, "index.html", "five\n", 5), 0);
	output_abort(&o);
	output_release(&o);
	CHECK_STR(S_read("pub/index.html"), "three");
	CHECK_INT(S_count(".pub."), 1);
	CHECK_INT(S_count(".pub.spare"), 1);
}

/*
 * A child process begins a build of out, writes, optionally moves the old
 * output aside as the fallback's first rename does, and dies by SIGKILL.
 */
static void S_die(const char *out, int between_renames)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		struct output o;
		if (output_begin(&o, scratch_at(out), scratch_at("site")) ||
		    output_write(&o, "index.html", "dead\n", 5))
			_exit(1);
		if (between_renames) {
			struct buf old = BUF_INIT;
			buf_printf(&old, "%s/.%s.old-%s", scratch_dir, out, o.tmp + strlen(o.tmp) - 6);
			if (rename(scratch_at(out), old.ptr) != 0)
				_exit(1);
		}
		raise(SIGKILL);
		_exit(1);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void S_test_killed(void)
{
	struct output o;

	/* kill -9 while writing: the next build removes its folder. */
	CHECK_INT(S_build("k", "one\n"), 0);
	S_die("k", 0);
	CHECK_INT(S_count(".k.tmp-"), 1);
	/* Look-alikes that are not jixia's, or not folders, stay: no marker,
	 * a longer suffix, a symbolic link to a marked folder. */
	CHECK_INT(scratch_sh("mkdir .k.tmp-zzzzzz && echo keep >.k.tmp-zzzzzz/keep && "
			     "mkdir .k.tmp-zzzzzzz && : >.k.tmp-zzzzzzz/.jixia-output && "
			     "mkdir elsewhere && : >elsewhere/.jixia-output && echo keep >elsewhere/keep && "
			     "ln -s elsewhere .k.old-yyyyyy && ln -s elsewhere .k.tmp-yyyyyy"),
		  0);
	CHECK_INT(S_build("k", "two\n"), 0);
	CHECK_STR(S_read("k/index.html"), "two");
	CHECK_INT(S_count(".k.tmp-"), 3);
	CHECK_STR(S_read(".k.tmp-zzzzzz/keep"), "keep");
	CHECK(access(scratch_at(".k.tmp-zzzzzzz/.jixia-output"), F_OK) == 0);
	CHECK_STR(S_read(".k.old-yyyyyy/keep"), "keep");
	CHECK_STR(S_read("elsewhere/keep"), "keep");

	/* A removal cut short (here by a folder too deep to follow) takes the
	 * marker last, so the folder is still known as jixia's next time. */
	CHECK_INT(
		scratch_sh(
			"mkdir -p .k.tmp-deep01/$(printf 'd/%%.0s' $(seq 130)) && echo x >.k.tmp-deep01/f && "
			": >.k.tmp-deep01/.jixia-output"),
		0);
	CHECK_INT(S_build("k", "two\n"), 0);
	CHECK(access(scratch_at(".k.tmp-deep01/f"), F_OK) != 0);
	CHECK(access(scratch_at(".k.tmp-deep01/.jixia-output"), F_OK) == 0);
	CHECK_INT(scratch_sh("rm -rf .k.tmp-deep01"), 0);

	/* kill -9 between the fallback's two renames: the output is missing,
	 * the previous site is aside. The next build moves it back first, so
	 * even when that build fails, the previous site is in place. */
	S_die("k", 1);
	CHECK(access(scratch_at("k"), F_OK) != 0);
	CHECK_INT(S_count(".k.old-"), 2);
	CHECK_INT(output_begin(&o, scratch_at("k"), scratch_at("site")), 0);
	CHECK_STR(S_read("k/index.html"), "two");
	CHECK_INT(S_count(".k.old-"), 1);
	CHECK_INT(S_count(".k.tmp-"), 4); /* the three look-alikes and this build's */
	output_abort(&o);
	output_release(&o);
	CHECK_STR(S_read("k/index.html"), "two");
	CHECK_INT(S_count(".k.tmp-"), 3);
	CHECK_STR(S_read("elsewhere/keep"), "keep");
}

/* A build that is still running keeps its folder while another begins. */
static void S_test_concurrent(void)
{
	struct output o;
	int ready[2], go[2], status = 0;
	char c = 0;
	pid_t pid;

	CHECK_INT(pipe(ready), 0);
	CHECK_INT(pipe(go), 0);
	pid = fork();
	if (pid == 0) {
		struct output mine;
		int rc = output_begin(&mine, scratch_at("c"), scratch_at("site")) ||
			 output_write(&mine, "index.html", "child\n", 6);
		if (write(ready[1], "x", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		rc = rc || output_commit(&mine);
		output_release(&mine);
		_exit(rc);
	}
	CHECK(pid > 0);
	CHECK_INT(read(ready[0], &c, 1), 1);
	CHECK_INT(output_begin(&o, scratch_at("c"), scratch_at("site")), 0);
	CHECK_INT(S_count(".c.tmp-"), 2);
	output_abort(&o);
	output_release(&o);
	CHECK_INT(write(go[1], "x", 1), 1);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(S_read("c/index.html"), "child");
	CHECK_INT(S_count(".c.tmp-"), 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

static void S_test_links(void)
{
	struct output o;
	struct buf want = BUF_INIT;

	CHECK_INT(
		scratch_sh(
			"mkdir outside && echo keep >outside/keep && : >outside/.jixia-output && "
			"mkdir -p site2 repo/docs && ln -s ../outside site2/public && ln -s site2 link && "
			"mkdir real && ln -s real mine && git init -q repo && ln -s ../../outside repo/build"),
		0);
	/* The default output is a link a commit made: refused. */
	CHECK_INT(output_begin(&o, NULL, scratch_at("site2")), -1);
	output_release(&o);
	/* The same through a link of the user's own on the way in. */
	CHECK_INT(output_begin(&o, scratch_at("link/public"), scratch_at("site2")), -1);
	output_release(&o);
	/* A folder of the repository above the site (in docs/) is a link. */
	CHECK_INT(output_begin(&o, scratch_at("repo/build/out"), scratch_at("repo/docs")), -1);
	output_release(&o);
	CHECK(diag_errors() == 3);
	diag_reset();
	CHECK_INT(
		scratch_sh(
			"test \"$(ls -A site2)\" = public && test \"$(ls -A repo)\" = \"$(printf '.git\\nbuild\\ndocs')\""),
		0);
	CHECK_INT(scratch_sh("test \"$(ls -A outside)\" = \"$(printf '.jixia-output\\nkeep')\""), 0);

	/* Where no working tree says so. A committed folder that git takes for
	 * a bare repository (HEAD, objects/, refs/) holds a link, from a
	 * folder elsewhere; a checkout with no .git (a tarball) is the folder
	 * jixia runs in. */
	CHECK_INT(
		scratch_sh(
			"mkdir -p ck/a/objects ck/a/refs && echo 'ref: refs/heads/main' >ck/a/HEAD && "
			"printf '[core]\\n\\tbare = true\\n' >ck/a/config && ln -s ../../outside ck/a/out && "
			"ln -s ../outside run/pub"),
		0);
	CHECK_INT(output_begin(&o, scratch_at("ck/a/out"), scratch_at("site2")), -1);
	output_release(&o);
	CHECK_INT(output_begin(&o, "pub/x", scratch_at("site2")), -1);
	output_release(&o);
	CHECK(diag_errors() == 2);
	diag_reset();
	CHECK_INT(scratch_sh("test \"$(ls -A outside)\" = \"$(printf '.jixia-output\\nkeep')\""), 0);

	/* A link outside the repository is the user's: followed. */
	CHECK_INT(output_begin(&o, scratch_at("mine"), scratch_at("site2")), 0);
	buf_printf(&want, "%s/real", scratch_dir);
	{
		char *rp = realpath(want.ptr, NULL);
		CHECK_STR(o.dir, rp);
		free(rp);
	}
	CHECK_INT(output_commit(&o), 0);
	output_release(&o);
	CHECK(access(scratch_at("real/.jixia-output"), F_OK) == 0);
	CHECK_INT(diag_errors(), 0);
	buf_release(&want);
}

/* The pending diagnostics as text (caller frees); they are forgotten. */
static char *S_diags(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	diag_flush(f, DIAG_TEXT);
	fclose(f);
	return text;
}

struct filler {
	struct output *o;
	int worker;
	int bad; /* files refused (S_fill_folders) */
};

/* Writes ten-byte files w<worker>-<n>.html until one is refused. */
static void *S_fill(void *payload)
{
	struct filler *f = payload;
	char name[64];
	int n;

	for (n = 0; n < 1000; n++) {
		snprintf(name, sizeof(name), "w%d-%d.html", f->worker, n);
		if (output_write(f->o, name, "0123456789", 10))
			break;
	}
	return NULL;
}

/*
 * The whole output's cap (lowered from 4 GiB): a file that would cross it
 * is named and not written, nor is anything after it, and the previous
 * output stays; threads racing for the last bytes never write past it.
 */
static void S_test_cap(void)
{
	struct output o;
	struct stat st;
	char *text;

	CHECK_INT(S_build("cap", "before\n"), 0);
	CHECK_INT(output_begin(&o, scratch_at("cap"), scratch_at("site")), 0);
	CHECK(o.max_bytes == OUTPUT_MAX_BYTES);
	o.max_bytes = 100;
	CHECK_INT(output_write(&o, "a.html", "012345678901234567890123456789012345678901234567890123456789",
			       60),
		  0);
	CHECK_INT(output_write(&o, "b/c.html", "0123456789012345678901234567890123456789", 40), 0);
	CHECK_INT(output_write(&o, "d/e.html", "x", 1), -1);
	CHECK_INT(output_write(&o, "f.html", "", 0), -1);
	CHECK(fstatat(o.tmpfd, "d/e.html", &st, 0) != 0 && fstatat(o.tmpfd, "f.html", &st, 0) != 0);
	CHECK_INT(diag_errors(), 1);
	text = S_diags();
	CHECK(strstr(text, "output file 'd/e.html' takes the site's output over 100 bytes") != NULL);
	free(text);
	diag_reset();
	output_abort(&o);
	output_release(&o);
	CHECK_STR(S_read("cap/index.html"), "before");
	CHECK_INT(S_count(".cap.tmp-"), 0);

	/* Four threads, 1,000 bytes: exactly 100 files, whoever wins. */
	CHECK_INT(output_begin(&o, scratch_at("cap"), scratch_at("site")), 0);
	o.max_bytes = 1000;
	{
		struct filler args[4];
		pthread_t th[4];
		int i;
		for (i = 0; i < 4; i++) {
			args[i].o = &o;
			args[i].worker = i;
			CHECK_INT(pthread_create(&th[i], NULL, S_fill, &args[i]), 0);
		}
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
	}
	CHECK_INT(atomic_load(&o.files), 1 + 100);
	CHECK_INT(atomic_load(&o.bytes), 1000);
	CHECK_INT(diag_errors(), 1);
	diag_reset();
	output_abort(&o);
	output_release(&o);
	CHECK_STR(S_read("cap/index.html"), "before");
}

/* The inode number of scratch_dir/rel, 0 when missing. */
static ino_t S_ino(const char *rel)
{
	struct stat st;
	return lstat(scratch_at(rel), &st) == 0 ? st.st_ino : 0;
}

/* One build of out from files: pairs of name and text, NULL-ended. */
static int S_build_files(const char *out, struct output *o, const char *const *files)
{
	int rc = output_begin(o, scratch_at(out), scratch_at("site"));
	for (; rc == 0 && *files; files += 2)
		rc = output_write(o, files[0], files[1], strlen(files[1]));
	if (rc == 0)
		rc = output_commit(o);
	return rc;
}

/*
 * Writing only what changed: the third build takes the first one's site
 * (the spare) and writes only files whose bytes differ, removes the rest,
 * and gives exactly what a fresh folder would even when the spare was
 * tampered with (a link where a folder goes, a FIFO, a file where a folder
 * goes and the reverse, another mode, a second link to a file, strays).
 */
static void S_test_recycle(void)
{
	static const char *const one[] = { "a.html", "same\n",    "d/b.html", "b1\n", "d/e/c.html",
					   "c\n",    "gone.html", "x\n",      NULL };
	static const char *const two[] = { "a.html", "same\n", "d/b.html", "b2\n", NULL };
	static const char *const three[] = { "a.html",   "same\n",       "d/b.html",         "b3\n",
					     "x/y.html", "through?\n",   "fifo.html",        "f\n",
					     "m.html",   "mode\n",       "file/inside.html", "i\n",
					     "folder",   "now a file\n", "linked.html",      "l\n",
					     NULL };
	struct output o;
	ino_t a1;

	CHECK_INT(S_build_files("r", &o, one), 0);
	output_release(&o);
	a1 = S_ino("r/a.html");
	CHECK_INT(S_build_files("r", &o, two), 0); /* fresh: no spare yet */
	CHECK_INT(atomic_load(&o.changed), 2); /* the marker and b; a linked from the output (its bytes) */
	output_release(&o);
	CHECK(S_ino("r/a.html") == a1);
	CHECK(S_ino(".r.spare/a.html") == a1);

	/* Tampered with, as a spare beside the output could be. */
	CHECK_INT(scratch_sh("mkdir -p outside-r && cd .r.spare && rm -rf x && ln -s ../outside-r x && "
			     "mkfifo fifo.html && printf 'mode\\n' >m.html && chmod 600 m.html && "
			     "printf i >file && mkdir -p folder/sub && printf l >linked.html && "
			     "ln linked.html ../outside-r/hard && printf s >stray.html && mkdir -p e/f && "
			     "printf s >e/f/g"),
		  0);
	CHECK_INT(S_build_files("r", &o, three), 0);
	CHECK(o.recycled);
	/* the marker kept; a (the current output's too: a second link), b3, y, fifo, m (mode),
	 * inside, folder, linked (a second link) written. */
	CHECK_INT(atomic_load(&o.files), 1 + 8);
	CHECK_INT(atomic_load(&o.changed), 8);
	output_release(&o);
	CHECK(S_ino("r/a.html") != a1);
	CHECK(S_ino(".r.spare/a.html") == a1);
	CHECK_STR(S_read("r/d/b.html"), "b3");
	CHECK_STR(S_read("r/x/y.html"), "through?");
	CHECK_INT(scratch_sh("test -d r/x && ! test -L r/x && test -f r/fifo.html && test -f r/folder && "
			     "test -d r/file && test \"$(stat -c %%a r/m.html)\" = 644 && "
			     "test \"$(ls -A outside-r)\" = hard && test \"$(cat outside-r/hard)\" = l"),
		  0);
	CHECK_INT(scratch_sh("test \"$(cd r && find . | LC_ALL=C sort | tr '\\n' ' ')\" = "
			     "'. ./.jixia-output ./a.html ./d ./d/b.html ./fifo.html ./file "
			     "./file/inside.html ./folder ./linked.html ./m.html ./x ./x/y.html '"),
		  0);

	/* Two outputs at one name are still an error in a recycled folder. */
	CHECK_INT(output_begin(&o, scratch_at("r"), scratch_at("site")), 0);
	CHECK(o.recycled);
	CHECK_INT(output_write(&o, "a.html", "same\n", 5), 0);
	CHECK_INT(output_write(&o, "a.html", "same\n", 5), -1);
	CHECK_INT(output_write(&o, "d/b.html", "b\n", 2), 0);
	CHECK_INT(output_write(&o, "d", "b\n", 2), -1);
	CHECK_INT(diag_errors(), 2);
	diag_reset();
	output_abort(&o);
	output_release(&o);
	CHECK_STR(S_read("r/d/b.html"), "b3");
	CHECK_INT(S_count(".r.spare"), 1);
	CHECK_INT(S_count(".r.tmp-"), 0);
}

/*
 * One build of out from files with the folders' record rec (taken, then
 * this build's: output_folders_load and _save, as build.c passes them
 * through a file), its folders all taken as older than the build (t0 in
 * the future: no tick of the clock to wait for). *walked: the folders it
 * read. 0 or -1.
 */
static int S_build_recorded(const char *out, struct buf *rec, const char *const *files, size_t *walked)
{
	struct output o;
	int rc = output_begin(&o, scratch_at(out), scratch_at("site"));

	if (rc == 0) {
		output_folders_load(&o, rec->ptr, rec->len);
		o.t0 += 100 * 1000000000LL;
	}
	for (; rc == 0 && *files; files += 2)
		rc = output_write(&o, files[0], files[1], strlen(files[1]));
	if (rc == 0)
		rc = output_commit(&o);
	if (rc == 0) {
		buf_reset(rec);
		output_folders_save(&o, rec);
	}
	*walked = o.walked;
	output_release(&o);
	return rc;
}

/* Builds q until two builds in a row read the top folder alone (both folders
   recorded; at most 6 builds): 1 when they did. */
static int S_steady(struct buf *rec, const char *const *files)
{
	size_t walked = 0;
	int k, row = 0;

	for (k = 0; k < 6 && row < 2; k++) {
		if (S_build_recorded("q", rec, files, &walked) != 0)
			return 0;
		row = walked == 1 ? row + 1 : 0;
	}
	return row == 2;
}

/*
 * The folders' record: once two builds recorded their folders, a build
 * reads only the top folder; a folder changed by hand since (a stray, a
 * stray with the folder's modification time set back, a stray folder), or
 * by a build that failed, is read again and the strays go; a record that
 * is garbage, cut, of another count, out of order or that claims another
 * number of names is a folder read, never a stray kept.
 */
static void S_test_record(void)
{
	static const char *const files[] = { "a.html", "a\n",      "d/b.html", "b\n", "d/e/c.html",
					     "c\n",    "f/g.html", "g\n",      NULL };
	static const char *const tree =
		"'. ./.jixia-output ./a.html ./d ./d/b.html ./d/e ./d/e/c.html ./f ./f/g.html '";
	struct buf rec = BUF_INIT, bad = BUF_INIT;
	struct output o;
	size_t walked = 0;
	int k;

	/* fresh, fresh (no spare yet), then two that read every folder and record them */
	for (k = 0; k < 4; k++)
		CHECK_INT(S_build_recorded("q", &rec, files, &walked), 0);
	CHECK_INT(walked, 4);
	CHECK_INT(S_steady(&rec, files), 1);

	CHECK_INT(scratch_sh("printf s >.q.spare/d/e/stray.html"), 0);
	CHECK_INT(S_build_recorded("q", &rec, files, &walked), 0);
	CHECK_INT(walked, 2);
	CHECK_INT(scratch_sh("test \"$(cd q && find . | LC_ALL=C sort | tr '\\n' ' ')\" = %s", tree), 0);

	/* its modification time set back: the change time tells */
	CHECK_INT(S_steady(&rec, files), 1);
	CHECK_INT(
		scratch_sh(
			"m=$(stat -c %%y .q.spare/d) && printf s >.q.spare/d/stray && mkdir .q.spare/f/h && "
			"printf s >.q.spare/f/h/i && touch -d \"$m\" .q.spare/d"),
		0);
	CHECK_INT(S_build_recorded("q", &rec, files, &walked), 0);
	CHECK_INT(walked, 3);
	CHECK_INT(scratch_sh("test \"$(cd q && find . | LC_ALL=C sort | tr '\\n' ' ')\" = %s", tree), 0);

	/* a build that failed after it wrote a stray into the spare */
	CHECK_INT(S_steady(&rec, files), 1);
	CHECK_INT(output_begin(&o, scratch_at("q"), scratch_at("site")), 0);
	CHECK(o.recycled);
	CHECK_INT(output_write(&o, "d/e/failed.html", "x\n", 2), 0);
	output_abort(&o);
	output_release(&o);
	CHECK_INT(S_build_recorded("q", &rec, files, &walked), 0);
	CHECK_INT(walked, 2); /* the top, d/e: the failed build changed it */
	CHECK_INT(scratch_sh("test \"$(cd q && find . | LC_ALL=C sort | tr '\\n' ' ')\" = %s", tree), 0);

	/* records that do not hold: every folder read (steady again first) */
	for (k = 0; k < 6; k++) {
		size_t i;
		CHECK_INT(S_steady(&rec, files), 1);
		CHECK_INT(scratch_sh("printf s >.q.spare/d/e/stray.html"), 0);
		buf_reset(&bad);
		buf_put(&bad, rec.ptr, rec.len);
		switch (k) {
		case 0: /* garbage */
			for (i = 0; i < bad.len; i++)
				bad.ptr[i] = (char)(i * 131 + 7);
			break;
		case 1: bad.len -= 5; break;    /* cut */
		case 2: bad.ptr[24]++; break;   /* a count of another */
		case 3: bad.ptr[0] ^= 1; break; /* another device */
		case 4:                         /* every folder claims one name more: read, the stray goes */
			for (i = 32; i + 32 <= bad.len; i += 32)
				bad.ptr[i + 16]++;
			break;
		default: /* out of order: the first two swapped */
			if (bad.len >= 32 + 64) {
				char t[32];
				memcpy(t, bad.ptr + 32, 32);
				memcpy(bad.ptr + 32, bad.ptr + 64, 32);
				memcpy(bad.ptr + 64, t, 32);
			}
			break;
		}
		CHECK_INT(S_build_recorded("q", &bad, files, &walked), 0);
		CHECK(walked >= 4);
		CHECK_INT(scratch_sh("test \"$(cd q && find . | LC_ALL=C sort | tr '\\n' ' ')\" = %s", tree),
			  0);
		buf_reset(&rec);
		buf_put(&rec, bad.ptr, bad.len);
	}
	buf_release(&rec);
	buf_release(&bad);
}

/* Writes 300 files g<k%16>/h<k%7>/w<worker>-<k>.html; a refused one counts in bad. */
static void *S_fill_folders(void *payload)
{
	struct filler *f = payload;
	char name[64];
	int k;

	for (k = 0; k < 300; k++) {
		snprintf(name, sizeof(name), "g%d/h%d/w%d-%d.html", k % 16, k % 7, f->worker, k);
		if (output_write(f->o, name, "x", 1))
			f->bad++;
	}
	return NULL;
}

/*
 * output_keep_many once the folders are recorded: a file the build
 * before kept (shared) is kept by its folder's record alone, each folder
 * looked at once; one replaced by hand in the spare (its folder changed)
 * is the current output's file again; files not shared, or shared by a
 * state of another build than the record's newest, are looked at;
 * another mode (umask) than the record's trusts nothing.
 */
static void S_test_keep_many(void)
{
	static const char *const files[] = { "a.html", "a\n", "d/b.html", "b\n", "d/e/c.html", "c\n", NULL };
	struct output_kept v[3] = {
		{ "a.html", 2, 1, -1 }, { "d/b.html", 2, 1, -1 }, { "d/e/c.html", 2, 1, -1 }
	};
	struct buf rec = BUF_INIT;
	struct output o;
	size_t walked = 0, k;
	mode_t mask;

	for (k = 0; k < 6; k++)
		CHECK_INT(S_build_recorded("m", &rec, files, &walked), 0);
	CHECK_INT(scratch_sh("printf B >.m.spare/d/new && mv .m.spare/d/new .m.spare/d/b.html && "
			     "printf C >.m.spare/d/e/c.html"),
		  0);
	CHECK_INT(output_begin(&o, scratch_at("m"), scratch_at("site")), 0);
	output_folders_load(&o, rec.ptr, rec.len);
	CHECK_INT(output_keep_many(&o, v, 3, o.record_gen, 2), 0);
	CHECK_INT(v[0].rc, 0); /* the top folder is never vouched for: looked at */
	CHECK_INT(v[1].rc, 0);
	CHECK_INT(v[2].rc, 0);
	CHECK_INT((int)o.vouched, 1); /* d/e/c.html, its bytes changed in place: as before, its own */
	CHECK_INT((int)o.looked, 2);  /* d, d/e */
	CHECK_INT((int)atomic_load(&o.linked), 3);
	CHECK_INT(output_commit(&o), 0);
	output_release(&o);
	CHECK_STR(S_read("m/d/b.html"), "b");
	CHECK_STR(S_read("m/a.html"), "a");

	/* a state of another build than the record's newest: its shared vouches for nothing */
	CHECK_INT(output_begin(&o, scratch_at("m"), scratch_at("site")), 0);
	output_folders_load(&o, rec.ptr, rec.len);
	for (k = 0; k < 3; k++)
		v[k].rc = -1;
	CHECK_INT(output_keep_many(&o, v, 3, o.record_gen - 1, 2), 0);
	CHECK_INT((int)o.vouched, 0);
	CHECK_INT(v[0].rc + v[1].rc + v[2].rc, 0); /* each looked at, kept */
	output_abort(&o);
	output_release(&o);

	/* another umask than the record's: every file looked at, none of the other mode kept */
	mask = umask(077);
	CHECK_INT(output_begin(&o, scratch_at("m"), scratch_at("site")), 0);
	output_folders_load(&o, rec.ptr, rec.len);
	for (k = 0; k < 3; k++)
		v[k].rc = -1;
	CHECK_INT(output_keep_many(&o, v, 3, o.record_gen, 2), 0);
	CHECK_INT((int)o.vouched, 0);
	CHECK_INT(v[0].rc + v[1].rc + v[2].rc, 3);
	output_abort(&o);
	output_release(&o);
	umask(mask);
	buf_release(&rec);
}

/*
 * The first rebuilds after a cold build (output_record_current): the one
 * with no spare links the files whose bytes are the output's and reads
 * the output's folders for the record; the one after it (its spare that
 * output, its files kept as jixia keeps them: output_keep) reads only
 * the top folder and the stray's, and reads its own output's folders
 * (the fresh one, none in the record); the one after that reads only the
 * top folder, and none of its output's (recorded). A stray left in the
 * output before the first rebuild still goes (its folder's names are not
 * the build's).
 */
static void S_test_record_current(void)
{
	static const char *const files[] = { "a.html", "a\n", "d/b.html", "b\n", "d/e/c.html", "c\n", NULL };
	static const char *const tree = "'. ./.jixia-output ./a.html ./d ./d/b.html ./d/e ./d/e/c.html '";
	struct buf rec = BUF_INIT;
	struct output o;
	const char *const *f;
	int k;

	CHECK_INT(S_build_files("n", &o, files), 0); /* cold: no record */
	output_release(&o);
	CHECK_INT(scratch_sh("printf s >n/d/stray.html"), 0);
	for (k = 0; k < 3; k++) {
		CHECK_INT(output_begin(&o, scratch_at("n"), scratch_at("site")), 0);
		CHECK(o.recycled == (k > 0));
		output_folders_load(&o, rec.ptr, rec.len);
		o.t0 += 100 * 1000000000LL; /* every folder older than the build */
		for (f = files; *f; f += 2)
			CHECK_INT(k ? output_keep(&o, f[0]) : output_write(&o, f[0], f[1], strlen(f[1])), 0);
		/* d, d/e of the output in place: unrecorded but at the third build */
		CHECK_INT((int)output_record_current(&o, 2), k < 2 ? 2 : 0);
		CHECK_INT((int)o.ncur_record, k < 2 ? 2 : 0);
		if (k == 0)
			CHECK_INT((int)atomic_load(&o.changed), 1); /* the marker: the files linked */
		CHECK_INT(output_commit(&o), 0);
		if (k > 0) /* the top folder alone; d, its stray (the first's) */
			CHECK_INT((int)o.walked, k == 1 ? 2 : 1);
		buf_reset(&rec);
		output_folders_save(&o, &rec);
		output_release(&o);
		CHECK_INT(scratch_sh("test \"$(cd n && find . | LC_ALL=C sort | tr '\\n' ' ')\" = %s", tree),
			  0);
	}
	CHECK(S_ino("n/a.html") == S_ino(".n.spare/a.html"));
	buf_release(&rec);
}

/*
 * Four threads writing into the same 128 folders of a fresh output (the
 * folders are made outside the lock, S_mkdir_fresh): every file written,
 * every folder made exactly once, and a file where a folder goes still
 * refused.
 */
static void S_test_folders_threads(void)
{
	struct output o;
	struct filler args[4];
	pthread_t th[4];
	char *text;
	int i, bad = 0;

	CHECK_INT(output_begin(&o, scratch_at("fold"), scratch_at("site")), 0);
	CHECK_INT(o.recycled, 0);
	for (i = 0; i < 4; i++) {
		args[i].o = &o;
		args[i].worker = i;
		args[i].bad = 0;
		CHECK_INT(pthread_create(&th[i], NULL, S_fill_folders, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		bad += args[i].bad;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(atomic_load(&o.files), 1 + 4 * 300);
	CHECK_INT(atomic_load(&o.mkdirs), 16 + 16 * 7);
	CHECK_INT(output_write(&o, "g4/h6/w1-20.html", "y", 1), -1);
	CHECK_INT(output_write(&o, "file.html", "z", 1), 0);
	CHECK_INT(output_write(&o, "file.html/inside.html", "z", 1), -1);
	CHECK_INT(diag_errors(), 2);
	text = S_diags();
	CHECK(strstr(text, "two outputs write the same file 'g4/h6/w1-20.html'") != NULL);
	CHECK(strstr(text, "cannot create folders for 'file.html/inside.html'") != NULL);
	free(text);
	diag_reset();
	CHECK_INT(output_commit(&o), 0);
	output_release(&o);
	CHECK_STR(S_read("fold/g11/h5/w3-299.html"), "x");
	CHECK_STR(S_read("fold/g0/h0/w0-0.html"), "x");
}

int main(void)
{
	if (scratch_make("write"))
		return 1;
	mkdir(scratch_at("site"), 0755);
	/* jixia runs in a folder of its own: the others are elsewhere. */
	mkdir(scratch_at("run"), 0755);
	if (chdir(scratch_at("run")) != 0) {
		perror("chdir");
		return 1;
	}
	S_test_swaps();
	S_test_killed();
	S_test_concurrent();
	S_test_links();
	S_test_cap();
	S_test_recycle();
	S_test_record();
	S_test_keep_many();
	S_test_record_current();
	S_test_folders_threads();
	diag_flush(stderr, DIAG_TEXT);
	if (chdir("/") == 0)
		scratch_sh("cd / && rm -rf '%s'", scratch_dir);
	return CHECK_DONE("test_write");
}
