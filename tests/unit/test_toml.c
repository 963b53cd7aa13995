/*
 * test_toml: the TOML reader against the examples of the TOML 1.0
 * specification (written out here as the trees they mean), the refusals
 * it documents as invalid, each with its diagnostic and position, and
 * hostile inputs (deep nesting, many nodes, bad UTF-8, huge integers).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "toml.h"
#include "util.h"

/* The tree as compact JSON-like text: strings quoted, other scalars bare. */
static void S_dump(struct buf *b, const struct ynode *n)
{
	size_t i;
	if (n->kind == YNODE_SCALAR) {
		if (n->plain) {
			buf_puts(b, n->str);
			return;
		}
		buf_putc(b, '"');
		for (i = 0; i < n->len; i++) {
			unsigned char c = (unsigned char)n->str[i];
			if (c == '"' || c == '\\')
				buf_printf(b, "\\%c", c);
			else if (c == '\n')
				buf_puts(b, "\\n");
			else if (c < 0x20)
				buf_printf(b, "\\x%02x", c);
			else
				buf_putc(b, c);
		}
		buf_putc(b, '"');
		return;
	}
	buf_putc(b, n->kind == YNODE_SEQ ? '[' : '{');
	for (i = 0; i < n->n; i++) {
		if (i)
			buf_putc(b, n->kind == YNODE_MAP && i % 2 ? ':' : ',');
		S_dump(b, n->kids[i]);
	}
	buf_putc(b, n->kind == YNODE_SEQ ? ']' : '}');
}

static char S_out[65536];

/* Loads src; returns the tree's dump, or "ERR " and the diagnostic text. */
static const char *S_load(const char *src, const struct toml_limits *limits)
{
	struct ynode *t = NULL;
	struct buf b = BUF_INIT;
	char *text = NULL;
	size_t n = 0;
	FILE *f;
	int rc;

	diag_reset();
	rc = toml_load(&t, "c.toml", src, strlen(src), 0, limits);
	if (rc == 0) {
		CHECK(t != NULL);
		CHECK(diag_errors() == 0);
		S_dump(&b, t);
	} else {
		CHECK(t == NULL);
		CHECK(diag_errors() == 1);
		f = open_memstream(&text, &n);
		diag_flush(f, DIAG_TEXT);
		fclose(f);
		buf_puts(&b, "ERR ");
		/* the first line only: the quoted source line follows */
		buf_put(&b, text, strcspn(text, "\n"));
		free(text);
	}
	ynode_free(t);
	diag_reset();
	snprintf(S_out, sizeof(S_out), "%s", buf_cstr(&b));
	buf_release(&b);
	return S_out;
}

#define OK(src, want) CHECK_STR(S_load(src, NULL), want)
#define BAD(src, want) CHECK_STR(S_load(src, NULL), "ERR " want)

static void S_spec_keys(void)
{
	OK("# This is a full-line comment\nkey = \"value\"  # This is a comment at the end of a line\n"
	   "another = \"# This is not a comment\"\n",
	   "{\"key\":\"value\",\"another\":\"# This is not a comment\"}");
	BAD("key = # INVALID\n", "c.toml:1:7: error: a value is missing after '='");
	BAD("first = \"Tom\" last = \"Preston-Werner\" # INVALID\n",
	    "c.toml:1:15: error: expected the end of the line after a value");
	OK("key = \"value\"\nbare_key = \"value\"\nbare-key = \"value\"\n1234 = \"value\"\n",
	   "{\"key\":\"value\",\"bare_key\":\"value\",\"bare-key\":\"value\",\"1234\":\"value\"}");
	OK("\"127.0.0.1\" = \"value\"\n\"character encoding\" = \"value\"\n\"ʎǝʞ\" = \"value\"\n"
	   "'key2' = \"value\"\n'quoted \"value\"' = \"value\"\n",
	   "{\"127.0.0.1\":\"value\",\"character encoding\":\"value\",\"ʎǝʞ\":\"value\",\"key2\":\"value\","
	   "\"quoted \\\"value\\\"\":\"value\"}");
	BAD("= \"no key name\"  # INVALID\n", "c.toml:1:1: error: a key is missing");
	OK("\"\" = \"blank\"     # VALID but discouraged\n", "{\"\":\"blank\"}");
	OK("name = \"Orange\"\nphysical.color = \"orange\"\nphysical.shape = \"round\"\nsite.\"google.com\" = true\n",
	   "{\"name\":\"Orange\",\"physical\":{\"color\":\"orange\",\"shape\":\"round\"},\"site\":{\"google.com\":true}}");
	OK("fruit.name = \"banana\"     # this is best practice\nfruit. color = \"yellow\"    # same as fruit.color\n"
	   "fruit . flavor = \"banana\"   # same as fruit.flavor\n",
	   "{\"fruit\":{\"name\":\"banana\",\"color\":\"yellow\",\"flavor\":\"banana\"}}");
	BAD("name = \"Tom\"\nname = \"Pradyun\"\n",
	    "c.toml:2:1: error: duplicate key 'name' (first defined at line 1)");
	BAD("spelling = \"favorite\"\n\"spelling\" = \"favourite\"\n",
	    "c.toml:2:1: error: duplicate key 'spelling' (first defined at line 1)");
	OK("fruit.apple.smooth = true\nfruit.orange = 2\n",
	   "{\"fruit\":{\"apple\":{\"smooth\":true},\"orange\":2}}");
	BAD("fruit.apple = 1\nfruit.apple.smooth = true\n",
	    "c.toml:2:7: error: 'apple' is already defined at line 1");
	OK("apple.type = \"fruit\"\norange.type = \"fruit\"\napple.skin = \"thin\"\norange.skin = \"thick\"\n",
	   "{\"apple\":{\"type\":\"fruit\",\"skin\":\"thin\"},\"orange\":{\"type\":\"fruit\",\"skin\":\"thick\"}}");
	OK("3.14159 = \"pi\"\n", "{\"3\":{\"14159\":\"pi\"}}");
}

static void S_spec_strings(void)
{
	OK("str = \"I'm a string. \\\"You can quote me\\\". Name\\tJos\\u00E9\\nLocation\\tSF.\"\n",
	   "{\"str\":\"I'm a string. \\\"You can quote me\\\". Name\\x09José\\nLocation\\x09SF.\"}");
	OK("str1 = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n",
	   "{\"str1\":\"Roses are red\\nViolets are blue\"}");
	OK("str1 = \"The quick brown fox jumps over the lazy dog.\"\n"
	   "str2 = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n"
	   "str3 = \"\"\"\\\n       The quick brown \\\n       fox jumps over \\\n       the lazy dog.\\\n       \"\"\"\n",
	   "{\"str1\":\"The quick brown fox jumps over the lazy dog.\","
	   "\"str2\":\"The quick brown fox jumps over the lazy dog.\","
	   "\"str3\":\"The quick brown fox jumps over the lazy dog.\"}");
	OK("str4 = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n"
	   "str5 = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"\n"
	   "str6 = \"\"\"Here are fifteen quotation marks: \"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\".\"\"\"\n"
	   "str7 = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n",
	   "{\"str4\":\"Here are two quotation marks: \\\"\\\". Simple enough.\","
	   "\"str5\":\"Here are three quotation marks: \\\"\\\"\\\".\","
	   "\"str6\":\"Here are fifteen quotation marks: "
	   "\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\".\","
	   "\"str7\":\"\\\"This,\\\" she said, \\\"is just a pointless statement.\\\"\"}");
	BAD("str5 = \"\"\"Here are three quotation marks: \"\"\".\"\"\"  # INVALID\n",
	    "c.toml:1:46: error: expected the end of the line after a value");
	OK("winpath  = 'C:\\Users\\nodejs\\templates'\nwinpath2 = '\\\\ServerX\\admin$\\system32\\'\n"
	   "quoted   = 'Tom \"Dubs\" Preston-Werner'\nregex    = '<\\i\\c*\\s*>'\n",
	   "{\"winpath\":\"C:\\\\Users\\\\nodejs\\\\templates\",\"winpath2\":\"\\\\\\\\ServerX\\\\admin$\\\\system32\\\\\","
	   "\"quoted\":\"Tom \\\"Dubs\\\" Preston-Werner\",\"regex\":\"<\\\\i\\\\c*\\\\s*>\"}");
	OK("regex2 = '''I [dw]on't need \\d{2} apples'''\nlines  = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n",
	   "{\"regex2\":\"I [dw]on't need \\\\d{2} apples\","
	   "\"lines\":\"The first newline is\\ntrimmed in raw strings.\\n   All other whitespace\\n   is preserved.\\n\"}");
	OK("quot15 = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n"
	   "apos15 = \"Here are fifteen apostrophes: '''''''''''''''\"\n"
	   "str = ''''That,' she said, 'is still pointless.''''\n",
	   "{\"quot15\":\"Here are fifteen quotation marks: "
	   "\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\","
	   "\"apos15\":\"Here are fifteen apostrophes: '''''''''''''''\","
	   "\"str\":\"'That,' she said, 'is still pointless.'\"}");
	BAD("apos15 = '''Here are fifteen apostrophes: ''''''''''''''''''  # INVALID\n",
	    "c.toml:1:43: error: too many quotes at the end of a multi-line string");
	BAD("s = \"a\\qb\"\n",
	    "c.toml:1:7: error: unknown escape sequence in a string (\\b \\t \\n \\f \\r \\\" \\\\ "
	    "\\uXXXX \\UXXXXXXXX)");
	BAD("s = \"\\uD800\"\n", "c.toml:1:6: error: \\uD800 is not a Unicode scalar value");
	BAD("s = \"\\u0000\"\n", "c.toml:1:6: error: a NUL character (\\u0000) is not allowed");
	BAD("s = \"\\u00e\"\n", "c.toml:1:6: error: \\u needs 4 hexadecimal digits");
	OK("s = \"\\U0001F600\"\n", "{\"s\":\"😀\"}");
	BAD("s = \"one\ntwo\"\n",
	    "c.toml:1:9: error: a newline in a one-line string (use \"\"\" for several lines)");
	BAD("s = \"tab\there\x01\"\n",
	    "c.toml:1:14: error: control character 0x01 in a string (write it as an escape)");
	BAD("s = \"\"\"never\nclosed\n", "c.toml:1:5: error: unterminated string");
	BAD("s = 'x\n", "c.toml:1:7: error: a newline in a one-line string (use \"\"\" for several lines)");
	OK("s = \"a\"\r\nt = \"\"\"x\r\ny\"\"\"\r\n", "{\"s\":\"a\",\"t\":\"x\\ny\"}");
}

static void S_spec_numbers(void)
{
	OK("int1 = +99\nint2 = 42\nint3 = 0\nint4 = -17\n",
	   "{\"int1\":99,\"int2\":42,\"int3\":0,\"int4\":-17}");
	OK("int5 = 1_000\nint6 = 5_349_221\nint7 = 53_49_221\nint8 = 1_2_3_4_5\n",
	   "{\"int5\":1000,\"int6\":5349221,\"int7\":5349221,\"int8\":12345}");
	OK("hex1 = 0xDEADBEEF\nhex2 = 0xdeadbeef\nhex3 = 0xdead_beef\noct1 = 0o01234567\noct2 = 0o755\n"
	   "bin1 = 0b11010110\n",
	   "{\"hex1\":3735928559,\"hex2\":3735928559,\"hex3\":3735928559,\"oct1\":342391,\"oct2\":493,\"bin1\":214}");
	OK("max = 9223372036854775807\nmin = -9223372036854775808\n",
	   "{\"max\":9223372036854775807,\"min\":-9223372036854775808}");
	BAD("big = 9223372036854775808\n",
	    "c.toml:1:7: error: integer '9223372036854775808' does not fit in 64 bits");
	BAD("n = 0123\n",
	    "c.toml:1:5: error: '0123' is not a value: strings are quoted, and numbers, true, false and "
	    "dates are written as TOML has them");
	BAD("n = 1__2\n",
	    "c.toml:1:5: error: '1__2' is not a value: strings are quoted, and numbers, true, false and "
	    "dates are written as TOML has them");
	BAD("n = _1\n",
	    "c.toml:1:5: error: '_1' is not a value: strings are quoted, and numbers, true, false and "
	    "dates are written as TOML has them");
	OK("flt1 = +1.0\nflt2 = 3.1415\nflt3 = -0.01\nflt4 = 5e+22\nflt5 = 1e06\nflt6 = -2E-2\nflt7 = 6.626e-34\n"
	   "flt8 = 224_617.445_991_228\n",
	   "{\"flt1\":1.0,\"flt2\":3.1415,\"flt3\":-0.01,\"flt4\":5e+22,\"flt5\":1e06,\"flt6\":-2E-2,"
	   "\"flt7\":6.626e-34,\"flt8\":224617.445991228}");
	BAD("invalid_float_1 = .7\n",
	    "c.toml:1:19: error: '.7' is not a value: strings are quoted, and numbers, true, "
	    "false and dates are written as TOML has them");
	BAD("invalid_float_2 = 7.\n",
	    "c.toml:1:19: error: '7.' is not a value: strings are quoted, and numbers, true, "
	    "false and dates are written as TOML has them");
	BAD("invalid_float_3 = 3.e+20\n",
	    "c.toml:1:19: error: '3.e+20' is not a value: strings are quoted, and "
	    "numbers, true, false and dates are written as TOML has them");
	OK("sf1 = inf\nsf2 = +inf\nsf3 = -inf\nsf4 = nan\nsf5 = +nan\nsf6 = -nan\n",
	   "{\"sf1\":.inf,\"sf2\":.inf,\"sf3\":-.inf,\"sf4\":.nan,\"sf5\":.nan,\"sf6\":.nan}");
	OK("bool1 = true\nbool2 = false\n", "{\"bool1\":true,\"bool2\":false}");
	BAD("b = True\n",
	    "c.toml:1:5: error: 'True' is not a value: strings are quoted, and numbers, true, false and "
	    "dates are written as TOML has them");
	BAD("s = hello\n",
	    "c.toml:1:5: error: 'hello' is not a value: strings are quoted, and numbers, true, false "
	    "and dates are written as TOML has them");
}

static void S_spec_dates(void)
{
	OK("odt1 = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00-07:00\nodt3 = 1979-05-27T00:32:00.999999-07:00\n"
	   "odt4 = 1979-05-27 07:32:00Z\n",
	   "{\"odt1\":1979-05-27T07:32:00Z,\"odt2\":1979-05-27T00:32:00-07:00,"
	   "\"odt3\":1979-05-27T00:32:00.999999-07:00,\"odt4\":1979-05-27 07:32:00Z}");
	OK("ldt1 = 1979-05-27T07:32:00\nldt2 = 1979-05-27T00:32:00.999999\nld1 = 1979-05-27\nlt1 = 07:32:00\n"
	   "lt2 = 00:32:00.999999\nlow = 1979-05-27t07:32:00z\n",
	   "{\"ldt1\":1979-05-27T07:32:00,\"ldt2\":1979-05-27T00:32:00.999999,\"ld1\":1979-05-27,\"lt1\":07:32:00,"
	   "\"lt2\":00:32:00.999999,\"low\":1979-05-27T07:32:00Z}");
	BAD("d = 2023-02-29\n",
	    "c.toml:1:5: error: '2023-02-29' is not a value: strings are quoted, and numbers, "
	    "true, false and dates are written as TOML has them");
	OK("d = 2024-02-29\n", "{\"d\":2024-02-29}");
	BAD("d = 1979-05-27T25:00:00\n",
	    "c.toml:1:5: error: '1979-05-27T25:00:00' is not a value: strings are "
	    "quoted, and numbers, true, false and dates are written as TOML has them");
}

static void S_spec_arrays(void)
{
	OK("integers = [ 1, 2, 3 ]\ncolors = [ \"red\", \"yellow\", \"green\" ]\nnested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]\n"
	   "nested_mixed_array = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]\nstring_array = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]\n",
	   "{\"integers\":[1,2,3],\"colors\":[\"red\",\"yellow\",\"green\"],\"nested_arrays_of_ints\":[[1,2],[3,4,5]],"
	   "\"nested_mixed_array\":[[1,2],[\"a\",\"b\",\"c\"]],\"string_array\":[\"all\",\"strings\",\"are the same\",\"type\"]}");
	OK("numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\ncontributors = [\n  \"Foo Bar <foo@example.com>\",\n"
	   "  { name = \"Baz Qux\", email = \"bazqux@example.com\", url = \"https://example.com/bazqux\" }\n]\n",
	   "{\"numbers\":[0.1,0.2,0.5,1,2,5],\"contributors\":[\"Foo Bar <foo@example.com>\",{\"name\":\"Baz Qux\","
	   "\"email\":\"bazqux@example.com\",\"url\":\"https://example.com/bazqux\"}]}");
	OK("integers2 = [\n  1, 2, 3\n]\n\nintegers3 = [\n  1,\n  2, # this is ok\n]\n",
	   "{\"integers2\":[1,2,3],\"integers3\":[1,2]}");
	BAD("a = [1 2]\n", "c.toml:1:8: error: expected ',' or ']' in an array");
	BAD("a = [1,,2]\n", "c.toml:1:8: error: ',' does not start a value (strings are quoted)");
	BAD("a = [1,\n", "c.toml:2:1: error: a value is missing after '='");
}

static void S_spec_tables(void)
{
	OK("[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n[table-2]\nkey1 = \"another string\"\nkey2 = 456\n",
	   "{\"table-1\":{\"key1\":\"some string\",\"key2\":123},\"table-2\":{\"key1\":\"another string\",\"key2\":456}}");
	OK("[dog.\"tater.man\"]\ntype.name = \"pug\"\n",
	   "{\"dog\":{\"tater.man\":{\"type\":{\"name\":\"pug\"}}}}");
	OK("[a.b.c]            # this is best practice\n[ d.e.f ]          # same as [d.e.f]\n[ g .  h  . i ]    # same as [g.h.i]\n"
	   "[ j . \"ʞ\" . 'l' ]  # same as [j.\"ʞ\".'l']\n",
	   "{\"a\":{\"b\":{\"c\":{}}},\"d\":{\"e\":{\"f\":{}}},\"g\":{\"h\":{\"i\":{}}},\"j\":{\"ʞ\":{\"l\":{}}}}");
	OK("# [x] you\n# [x.y] don't\n# [x.y.z] need these\n[x.y.z.w] # for this to work\n\n[x] # defining a super-table afterward is ok\n",
	   "{\"x\":{\"y\":{\"z\":{\"w\":{}}}}}");
	BAD("[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"\n",
	    "c.toml:4:1: error: 'fruit' is already defined at line 1");
	BAD("[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"\n",
	    "c.toml:4:1: error: 'apple' is already defined at line 2");
	OK("[fruit.apple]\n[animal]\n[fruit.orange]\n",
	   "{\"fruit\":{\"apple\":{},\"orange\":{}},\"animal\":{}}");
	OK("name = \"Fido\"\nbreed = \"pug\"\n\n[owner]\nname = \"Regina Dogman\"\nmember_since = 1999-08-04\n",
	   "{\"name\":\"Fido\",\"breed\":\"pug\",\"owner\":{\"name\":\"Regina Dogman\",\"member_since\":1999-08-04}}");
	OK("fruit.apple.color = \"red\"\nfruit.apple.taste.sweet = true\n",
	   "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true}}}}");
	OK("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]  # you can add sub-tables\nsmooth = true\n",
	   "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true},\"texture\":{\"smooth\":true}}}}");
	BAD("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple]  # INVALID\n",
	    "c.toml:4:1: error: 'apple' is already defined at line 2");
	BAD("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.taste]  # INVALID\n",
	    "c.toml:4:1: error: 'taste' is already defined at line 3");
	BAD("[a\nb = 1\n", "c.toml:1:3: error: expected ']' after the table's name");
}

static void S_spec_inline(void)
{
	OK("name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }\n",
	   "{\"name\":{\"first\":\"Tom\",\"last\":\"Preston-Werner\"},\"point\":{\"x\":1,\"y\":2},\"animal\":{\"type\":{\"name\":\"pug\"}}}");
	BAD("[product]\ntype = { name = \"Nail\" }\ntype.edible = false  # INVALID\n",
	    "c.toml:3:1: error: 'type' is already defined at line 2: a dotted key cannot add to that table");
	BAD("[product]\ntype.name = \"Nail\"\n[product.type]  # INVALID\n",
	    "c.toml:3:1: error: 'type' is already defined at line 2");
	BAD("t = { a = 1, }\n", "c.toml:1:14: error: a trailing comma in an inline table");
	BAD("t = { a = 1,\n b = 2 }\n", "c.toml:1:13: error: a key is missing");
	BAD("t = { a = 1, a = 2 }\n", "c.toml:1:14: error: duplicate key 'a' (first defined at line 1)");
	OK("e = {}\n", "{\"e\":{}}");
}

static void S_spec_aot(void)
{
	OK("[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]  # empty table within the array\n\n"
	   "[[products]]\nname = \"Nail\"\nsku = 284758393\n\ncolor = \"gray\"\n",
	   "{\"products\":[{\"name\":\"Hammer\",\"sku\":738594937},{},{\"name\":\"Nail\",\"sku\":284758393,\"color\":\"gray\"}]}");
	OK("[[fruits]]\nname = \"apple\"\n\n[fruits.physical]  # subtable\ncolor = \"red\"\nshape = \"round\"\n\n"
	   "[[fruits.varieties]]  # nested array of tables\nname = \"red delicious\"\n\n[[fruits.varieties]]\nname = \"granny smith\"\n\n\n"
	   "[[fruits]]\nname = \"banana\"\n\n[[fruits.varieties]]\nname = \"plantain\"\n",
	   "{\"fruits\":[{\"name\":\"apple\",\"physical\":{\"color\":\"red\",\"shape\":\"round\"},\"varieties\":[{\"name\":"
	   "\"red delicious\"},{\"name\":\"granny smith\"}]},{\"name\":\"banana\",\"varieties\":[{\"name\":\"plantain\"}]}]}");
	BAD("[fruit.physical]  # subtable, but to which parent element should it belong?\ncolor = \"red\"\nshape = \"round\"\n\n"
	    "[[fruit]]  # parser must throw an error upon discovering that \"fruit\" is\n          # an array rather than a table\nname = \"apple\"\n",
	    "c.toml:5:1: error: 'fruit' is already defined at line 1");
	BAD("fruits = []\n\n[[fruits]] # Not allowed\n",
	    "c.toml:3:1: error: 'fruits' is already defined at line 1");
	BAD("[[fruits]]\nname = \"apple\"\n\n[[fruits.varieties]]\nname = \"red delicious\"\n\n"
	    "# INVALID: This table conflicts with the previous array of tables\n[fruits.varieties]\nname = \"granny smith\"\n",
	    "c.toml:8:1: error: 'varieties' is already defined at line 4");
	BAD("[[fruits]]\nname = \"apple\"\n\n[fruits.physical]\ncolor = \"red\"\nshape = \"round\"\n\n"
	    "# INVALID: This array of tables conflicts with the previous table\n[[fruits.physical]]\ncolor = \"green\"\n",
	    "c.toml:9:1: error: 'physical' is already defined at line 4");
	OK("points = [ { x = 1, y = 2, z = 3 },\n           { x = 7, y = 8, z = 9 },\n           { x = 2, y = 4, z = 8 } ]\n",
	   "{\"points\":[{\"x\":1,\"y\":2,\"z\":3},{\"x\":7,\"y\":8,\"z\":9},{\"x\":2,\"y\":4,\"z\":8}]}");
}

/* A Hugo config as sites write it. */
static void S_hugo(void)
{
	OK("baseURL = 'https://example.org/'\nlanguageCode = 'en-us'\ntitle = 'My New Hugo Site'\n"
	   "defaultContentLanguage = \"en\"\n[languages]\n[languages.en]\ntitle = \"Docs\"\nweight = 1\n"
	   "contentDir = \"content/en\"\n[languages.zh-cn]\nlanguageName = \"中文\"\nweight = 2\n"
	   "[taxonomies]\ntag = \"tags\"\n[[module.mounts]]\nsource = \"content\"\ntarget = \"content\"\n"
	   "[params]\ngithub_repo = \"https://github.com/x/y\"\n",
	   "{\"baseURL\":\"https://example.org/\",\"languageCode\":\"en-us\",\"title\":\"My New Hugo Site\","
	   "\"defaultContentLanguage\":\"en\",\"languages\":{\"en\":{\"title\":\"Docs\",\"weight\":1,"
	   "\"contentDir\":\"content/en\"},\"zh-cn\":{\"languageName\":\"中文\",\"weight\":2}},"
	   "\"taxonomies\":{\"tag\":\"tags\"},\"module\":{\"mounts\":[{\"source\":\"content\",\"target\":\"content\"}]},"
	   "\"params\":{\"github_repo\":\"https://github.com/x/y\"}}");
	/* a BOM, and positions with an offset */
	OK("\xEF\xBB\xBFtitle = \"x\"\n", "{\"title\":\"x\"}");
	{
		struct ynode *t = NULL;
		diag_reset();
		CHECK(toml_load(&t, "p.md", "a = 1\n\nb = [\n  \"x\" ]\n", 20, 1, NULL) == 0);
		CHECK(t && t->n == 4 && t->kids[2]->line == 4 && t->kids[2]->col == 1);
		CHECK(t && t->kids[3]->kids[0]->line == 5 && t->kids[3]->kids[0]->col == 3);
		CHECK(t && t->kids[1]->plain && !t->kids[3]->kids[0]->plain);
		ynode_free(t);
	}
	OK("", "{}");
	OK("# only a comment", "{}");
}

static void S_hostile(void)
{
	struct buf b = BUF_INIT;
	struct toml_limits small = { 4, 10 };
	int i;

	BAD("a = \"\xC0\xAF\"\n", "c.toml:1:6: error: invalid UTF-8");
	BAD("a = \"\xED\xA0\x80\"\n", "c.toml:1:6: error: invalid UTF-8");
	{
		struct ynode *t = NULL;
		diag_reset();
		CHECK(toml_load(&t, "c.toml", "a = \"x\0y\"\n", 10, 0, NULL) == -1 && t == NULL);
		diag_reset();
	}
	BAD("# a comment \x07\n", "c.toml:1:13: error: control character 0x07 in a comment");
	BAD("a = 1\rb = 2\n", "c.toml:1:6: error: expected the end of the line after a value");
	/* 100 nested arrays: refused at the bound, no deep recursion */
	buf_puts(&b, "a = ");
	for (i = 0; i < 100; i++)
		buf_putc(&b, '[');
	CHECK(strstr(S_load(buf_cstr(&b), NULL), "nesting deeper than 32 levels") != NULL);
	buf_reset(&b);
	buf_puts(&b, "[");
	for (i = 0; i < 100; i++)
		buf_printf(&b, "%sa", i ? "." : "");
	buf_puts(&b, "]\n");
	CHECK(strstr(S_load(buf_cstr(&b), NULL), "a key of more than 32 parts") != NULL);
	CHECK_STR(S_load("a = [[[[1]]]]\n", &small), "ERR c.toml:1:9: error: nesting deeper than 4 levels");
	CHECK_STR(S_load("a = [1,2,3,4,5,6,7,8,9,10]\n", &small),
		  "ERR c.toml:1:22: error: more than 10 values");
	/* many keys in one table: each found through the hash */
	buf_reset(&b);
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "k%d = %d\n", i, i);
	buf_puts(&b, "k777 = 1\n");
	CHECK_STR(S_load(buf_cstr(&b), NULL),
		  "ERR c.toml:20001:1: error: duplicate key 'k777' (first defined at line 778)");
	/* a long key is shortened in the message */
	buf_reset(&b);
	buf_puts(&b, "x = 1\n");
	for (i = 0; i < 2; i++) {
		int j;
		for (j = 0; j < 200; j++)
			buf_putc(&b, 'k');
		buf_puts(&b, " = 1\n");
	}
	CHECK(strstr(S_load(buf_cstr(&b), NULL), "kkk...' (first defined at line 2)") != NULL);
	buf_release(&b);
}

int main(void)
{
	S_spec_keys();
	S_spec_strings();
	S_spec_numbers();
	S_spec_dates();
	S_spec_arrays();
	S_spec_tables();
	S_spec_inline();
	S_spec_aot();
	S_hugo();
	S_hostile();
	return CHECK_DONE("test_toml");
}
