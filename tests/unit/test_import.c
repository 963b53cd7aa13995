/*
 * test_import: what `jixia import hugo` makes of one content file, exactly:
 * TOML and JSON front matter as YAML (strings that need quotes get them),
 * each shortcode kind, code blocks and spans untouched, blocks inside list
 * items, nesting, and what is left with its line.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "import.h"
#include "util.h"

static char S_out[65536];

static const char *S_conv(const char *src)
{
	struct buf b = BUF_INIT;
	import_convert_file(&b, "content/docs/x.md", src, strlen(src));
	diag_reset();
	snprintf(S_out, sizeof(S_out), "%s", buf_cstr(&b));
	buf_release(&b);
	return S_out;
}

#define CONV(src, want) CHECK_STR(S_conv(src), want)

static void S_front_matter(void)
{
	CONV("+++\ntitle = \"A: b\"\ndate = 2024-01-02\ntags = [\"x\", \"y, z\"]\n[menu.main]\nweight = 3\n+++\nBody\n",
	     "---\ntitle: \"A: b\"\ndate: 2024-01-02\ntags: [x, \"y, z\"]\nmenu:\n  main:\n    weight: 3\n---\nBody\n");
	CONV("+++\nt = \"true\"\nn = \"12\"\ne = \"\"\nu = \"中文 ok\"\nq = \"it's\"\n+++\n",
	     "---\nt: \"true\"\n\"n\": \"12\"\ne: \"\"\nu: 中文 ok\nq: it's\n---\n");
	CONV("+++\n[[people]]\nname = \"a\"\nrole = \"b\"\n[[people]]\nname = \"c\"\n+++\n",
	     "---\npeople:\n  - name: a\n    role: b\n  - name: c\n---\n");
	CONV("{\n  \"title\": \"J\",\n  \"weight\": 2\n}\n\nText\n",
	     "---\ntitle: J\nweight: 2\n---\n\nText\n");
	/* YAML front matter is kept byte for byte */
	CONV("---\ntitle:   Spaced   # a comment\n---\n{{< note >}}\nN\n{{< /note >}}\n",
	     "---\ntitle:   Spaced   # a comment\n---\n\n> [!NOTE]\n> N\n");
	/* Hugo's url, and a slug below the type's folder, mean other addresses than in jixia: listed */
	CONV("---\nurl: /old/\nslug: y\n---\n",
	     "---\nurl: /old/\nslug: y\n---\n\n%% left content/docs/x.md:2: url: jixia's "
	     "address comes from the file's path; add the old one to 'aliases:' to keep it working");
	{
		struct buf b = BUF_INIT;
		const char *src = "---\nslug: y\n---\n";
		import_convert_file(&b, "content/docs/a/x.md", src, strlen(src));
		CHECK(strstr(b.ptr, "content/docs/a/x.md:2: slug: Hugo keeps the page's folders before it") !=
		      NULL);
		import_convert_file(&b, "content/docs/x.md", src, strlen(src));
		CHECK_STR(b.ptr, src);
		buf_release(&b);
	}
	CONV("+++\ntitle = \"x\n+++\n",
	     "+++\ntitle = \"x\n+++\n\n%% left content/docs/x.md:1: TOML front matter that does not "
	     "parse (the error is above)");
}

static void S_shortcodes(void)
{
	CONV("a\n{{% alert title=\"Heads up\" color=\"danger\" %}}\nText *here*.\n\nMore.\n{{% /alert %}}\nb\n",
	     "a\n\n> [!CAUTION]\n> **Heads up**\n>\n> Text *here*.\n>\n> More.\n\nb\n");
	CONV("{{< warning >}}W{{< /warning >}}", "> [!WARNING]\n> W\n");
	CONV("1. Step\n\n   {{% alert color=\"warning\" %}}\n   Careful.\n   {{% /alert %}}\n",
	     "1. Step\n\n   > [!WARNING]\n   > Careful.\n");
	CONV("{{< figure src=\"a b.png\" caption=\"Cap\" link=\"https://x.org\" >}}\n",
	     "[![Cap](<a b.png>)](https://x.org)\\\nCap\n");
	CONV("{{< figure src=\"x.png\" alt=\"[a]\" >}}", "![\\[a\\]](x.png)");
	CONV("{{< youtube id=\"abc_-1\" title=\"Talk\" >}} {{< youtube \"bad id\" >}}",
	     "[Talk](https://www.youtube.com/watch?v=abc_-1) {{< youtube \"bad id\" >}}\n%% left content/docs/x.md:1: "
	     "shortcode 'youtube'");
	CONV("# T\n{{< tabpane lang=\"go\" >}}\n{{< tab header=\"One\" >}}\nx := 1\n{{< /tab >}}\n{{% tab header=\"Two\" %}}\n*md*\n{{% /tab %}}\n{{< /tabpane >}}\n",
	     "# T\n\n## One\n\n```go\nx := 1\n```\n\n## Two\n\n*md*\n");
	CONV("{{< details summary=\"More\" >}}\nHidden.\n{{< /details >}}\n", "## More\n\nHidden.\n");
	CONV("+++\nv = \"1.2\"\n[params]\nw = \"<b>\"\n+++\n{{< param v >}} {{< param \"params.w\" >}} {{< param w >}} {{< param z >}}",
	     "---\nv: \"1.2\"\nparams:\n  w: \"<b>\"\n---\n1.2 \\<b\\> \\<b\\> {{< param z >}}\n%% left content/docs/x.md:6: param 'z': "
	     "not in the page's front matter or the site's params");
	CONV("[a]({{< ref \"y.md\" >}}) [b]({{< relref \"#top\" >}})",
	     "[a]({{< ref \"y.md\" >}}) [b](#top)\n%% left content/docs/x.md:1: ref to 'y.md': no such page");
	CONV("{{< readfile file=\"../../etc/passwd\" >}}",
	     "{{< readfile file=\"../../etc/passwd\" >}}\n%% left content/docs/x.md:1: readfile '../../etc/passwd': the path "
	     "leaves the site or names .git");
	CONV("{{</* note */>}} and {{%/* x y=\"1\" */%}}", "`{{< note >}}` and `{{% x y=\"1\" %}}`");
	/* nested: the inner ones first */
	CONV("{{< note >}}\n{{< details \"D\" >}}\nd\n{{< /details >}}\n{{< /note >}}\n",
	     "> [!NOTE]\n> ## D\n>\n> d\n");
	/* unknown, unclosed and malformed ones stay, each at its line */
	CONV("x\n{{< blocks/cover >}}\n{{< note >}}\nnever closed\n{{< 1+1 >}}",
	     "x\n{{< blocks/cover >}}\n{{< note >}}\nnever closed\n{{< 1+1 >}}\n%% left content/docs/x.md:2: shortcode "
	     "'blocks/cover'\n%% left content/docs/x.md:3: shortcode 'note'\n%% left content/docs/x.md:5: shortcode '1'");
}

static void S_code(void)
{
	CONV("```\n{{< note >}}x{{< /note >}}\n```\n", "```\n{{< note >}}x{{< /note >}}\n```\n");
	CONV("  ~~~~ go\n  {{< youtube a >}}\n  ~~~\n  ~~~~\n{{< youtube b >}}",
	     "  ~~~~ go\n  {{< youtube a >}}\n  ~~~\n  ~~~~\n[Video on YouTube](https://www.youtube.com/watch?v=b)");
	CONV("> ```\n> {{< youtube a >}}\n> ```\n", "> ```\n> {{< youtube a >}}\n> ```\n");
	CONV("`{{< youtube a >}}` ``x ` {{< youtube b >}}`` {{< youtube c >}}",
	     "`{{< youtube a >}}` ``x ` {{< youtube b >}}`` [Video on YouTube](https://www.youtube.com/watch?v=c)");
	/* an unmatched backtick is text */
	CONV("` {{< youtube c >}}", "` [Video on YouTube](https://www.youtube.com/watch?v=c)");
	/* a span ends at a blank line */
	CONV("`a\n\n{{< youtube c >}}`", "`a\n\n[Video on YouTube](https://www.youtube.com/watch?v=c)`");
}

int main(void)
{
	S_front_matter();
	S_shortcodes();
	S_code();
	return CHECK_DONE("test_import");
}
