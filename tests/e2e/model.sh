# model.sh — every content validation, one fixture each, with the exact
# diagnostic it must give (path:line:col: severity: message) and exit 1.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# A valid base site; each case adds one file to a fresh copy.
base=$T/base
mkdir -p "$base/content/people" "$base/content/events" "$base/content/talks" "$base/content/faq"
printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n' >"$base/site.yaml"
printf -- '---\nname: 张伟\n---\n' >"$base/content/people/zhang-wei.md"
printf -- '---\ntitle: 见面会\ndate: 2024-05-18\nkind: meetup\n---\n' >"$base/content/events/2024-05-hz.md"

# case NAME FILE CONTENT EXPECTED-LINE [EXTRA-ARGS]
case_() {
	name=$1 file=$2 content=$3 want=$4
	shift 4
	d=$T/case-$(echo "$name" | tr -c 'a-z0-9\n' '-')
	rm -rf "$d"
	cp -r "$base" "$d"
	mkdir -p "$(dirname "$d/$file")"
	printf -- "$content" >"$d/$file"
	"$JIXIA" check "$d" "$@" 2>"$d.err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, want 1; stderr: $(cat "$d.err")"
	elif ! grep -qxF -- "$want" "$d.err"; then
		fail "$name" "want '$want', got: $(cat "$d.err")"
	else
		ok "$name"
	fi
}

T1='---\ntitle: 讲座\ndate: 2024-05-18\nspeakers: [zhang-wei]\n'
case_ "wrong type (int)" content/talks/a.md "${T1}duration: long\n---\n" \
	"content/talks/a.md:5:11: error: 'duration' must be a whole number, not 'long'"
case_ "missing required field" content/talks/a.md '---\ntitle: 讲座\nspeakers: [zhang-wei]\n---\n' \
	"content/talks/a.md:2:1: error: missing required field 'date' (a date (YYYY-MM-DD)) for a talk"
case_ "unknown enum value" content/events/b.md '---\ntitle: x\ndate: 2024-05-18\nkind: party\n---\n' \
	"content/events/b.md:4:7: error: 'kind' must be one of meetup, tea, online-qa, training, conference, salon, competition; 'party' is not"
case_ "impossible date" content/events/b.md '---\ntitle: x\ndate: 2024-02-30\nkind: tea\n---\n' \
	"content/events/b.md:3:7: error: 'date' must be a real date as YYYY-MM-DD, not '2024-02-30'"
case_ "malformed date" content/events/b.md '---\ntitle: x\ndate: 18/05/2024\nkind: tea\n---\n' \
	"content/events/b.md:3:7: error: 'date' must be a real date as YYYY-MM-DD, not '18/05/2024'"
case_ "ref to a missing item" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers: [zhang-wei, li-lei]\n---\n' \
	"content/talks/a.md:4:23: error: 'speakers' refers to person 'li-lei', which does not exist (no content/people/li-lei.md)"
case_ "single ref to a missing item" content/talks/a.md "${T1}event: 2099-01-nowhere\n---\n" \
	"content/talks/a.md:5:8: error: 'event' refers to event '2099-01-nowhere', which does not exist (no content/events/2099-01-nowhere.md)"
case_ "javascript: url" content/talks/a.md "${T1}slides: \"JavaScript:alert(1)\"\n---\n" \
	"content/talks/a.md:5:9: error: 'slides' must be an http, https or mailto URL or a relative path, not 'JavaScript:alert(1)'"
case_ "entity-encoded javascript: url" content/talks/a.md "${T1}video: \"javascript&#58;alert(1)\"\n---\n" \
	"content/talks/a.md:5:8: error: 'video' must be an http, https or mailto URL or a relative path, not 'javascript&#58;alert(1)'"
case_ "required list is empty" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers: []\n---\n' \
	"content/talks/a.md:4:11: error: 'speakers' is required and must list at least one item"
# an empty value is reported at its own line, not at the first field
case_ "required list left empty" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers:  # TODO\n---\n' \
	"content/talks/a.md:4:1: error: 'speakers' is required and must list at least one item"
case_ "required field left empty" content/talks/a.md '---\ntitle: x\ndate:\nspeakers: [zhang-wei]\n---\n' \
	"content/talks/a.md:3:1: error: required field 'date' is empty (a date (YYYY-MM-DD))"
case_ "no opening fence" content/talks/a.md 'title: x\ndate: 2024-05-18\nspeakers: [zhang-wei]\n---\n\nbody\n' \
	"content/talks/a.md:1:1: error: no front matter: the file must start with a '---' line, then the fields (a talk requires title, date, speakers), then a '---' line"
check "no opening fence: that one error only" test "$(grep -c ': error: ' "$T/case-no-opening-fence.err")" -eq 1
case_ "unquoted ': ' in a value" content/talks/a.md '---\ntitle: PgBouncer: 生产实践\ndate: 2024-05-18\nspeakers: [zhang-wei]\n---\n' \
	"content/talks/a.md:2:17: error: mapping values are not allowed in this context; a value with ': ' in it must be quoted: title: \"PgBouncer: 生产实践\""
case_ "list expected" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers: {zhang-wei: 1}\n---\n' \
	"content/talks/a.md:4:11: error: 'speakers' must be a list (e.g. [a, b]), not a mapping"
case_ "bool expected" content/faq/q.md '---\ntitle: x\ndraft: maybe\n---\n' \
	"content/faq/q.md:3:8: error: 'draft' must be true or false"
case_ "unknown field is an error with --strict" content/faq/q.md '---\ntitle: x\ncolour: red\n---\n' \
	"content/faq/q.md:3:1: error: unknown field 'colour' for a faq is ignored (known: title, date, tags, answered_by, related, status, bounty, summary)" --strict
case_ "bad slug" content/faq/q.md '---\ntitle: x\nslug: ../../etc\n---\n' \
	"content/faq/q.md:3:7: error: slug must be letters, digits, '-' and '_', with '/' between parts"
printf -- '---\ntitle: x\n---\n' >"$base/content/faq/q.md"
case_ "same URL by letter case" content/faq/Q.md '---\ntitle: x\n---\n' \
	"content/faq/q.md: error: 'content/faq/Q.md' and 'content/faq/q.md' both make the page /faq/q/"
# fullwidth ｑ folds to q under NFKC
case_ "same URL by Unicode normalisation" "content/faq/$(printf '\357\275\221').md" '---\ntitle: y\n---\n' \
	"content/faq/$(printf '\357\275\221').md: error: 'content/faq/q.md' and 'content/faq/$(printf '\357\275\221').md' both make the page /faq/$(printf '\357\275\221')/"
rm "$base/content/faq/q.md"
# Jobs (the built-in job type, role expires).
J1='---\ntitle: DBA\norg: 满天星商城\nposted: 2026-03-01\n'
case_ "job: missing expires" content/jobs/dba.md "${J1}kind: full-time\n---\n" \
	"content/jobs/dba.md:2:1: error: missing required field 'expires' (a date (YYYY-MM-DD)) for a job"
case_ "job: unknown kind" content/jobs/dba.md "${J1}expires: 2026-04-30\nkind: fulltime\n---\n" \
	"content/jobs/dba.md:6:7: error: 'kind' must be one of full-time, part-time, internship, volunteer; 'fulltime' is not; did you mean 'full-time'?"
case_ "job: expires before posted" content/jobs/dba.md "${J1}expires: 2026-02-28\n---\n" \
	"content/jobs/dba.md:5:10: error: 'expires' (2026-02-28) is before 'posted' (2026-03-01)"
case_ "job: expires not a date" content/jobs/dba.md "${J1}expires: next month\n---\n" \
	"content/jobs/dba.md:5:10: error: 'expires' must be a real date as YYYY-MM-DD, not 'next month'"
case_ "job: apply is an address without mailto:" content/jobs/dba.md "${J1}expires: 2026-04-30\napply: jobs@example.org\n---\n" \
	"content/jobs/dba.md:6:8: error: 'apply': 'jobs@example.org' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address; did you mean 'mailto:jobs@example.org'?"
mkdir -p "$T/dt/content/meets" && cp -r "$base/." "$T/dt/" &&
	printf 'title: t\ntypes:\n  meet:\n    folder: meets\n    fields:\n      at: {type: datetime}\n' >"$T/dt/site.yaml" &&
	printf -- '---\nat: 2024-05-18 25:00\n---\n' >"$T/dt/content/meets/m.md"
"$JIXIA" check "$T/dt" 2>"$T/dt.err"
check "datetime out of range is an error at its position" grep -qF \
	"content/meets/m.md:2:5: error: 'at' must be a date and time as YYYY-MM-DD HH:MM (optionally :SS and a zone like +08:00), not '2024-05-18 25:00'" "$T/dt.err"

# A warning alone does not fail the build.
d=$T/warn && cp -r "$base" "$d" && printf -- '---\ntitle: x\ncolour: red\n---\n' >"$d/content/faq/q.md"
"$JIXIA" check "$d" 2>"$d.err"
check "unknown field is a warning (exit 0)" test $? -eq 0
check "warning names the field" grep -qF "content/faq/q.md:3:1: warning: unknown field 'colour'" "$d.err"
# ...which CI makes an error: the README's workflow runs check with --strict
check "the README's CI example checks with --strict" grep -q -- '- run: .*jixia check .*--strict' "$here/../README.md"

# One run reports every independent error of a file, each at its line:col,
# and none that only follows from another.
d=$T/all && cp -r "$base" "$d"
printf -- '---\ntitle: 讲座\ndate: 2024-13-18\nspeakers: [zhang-wie]\nevent: 2024-05-hx\n---\n见 [x](/nothing/)\n' >"$d/content/talks/a.md"
"$JIXIA" check "$d" 2>"$d.err"
check "four errors: exit 1" test $? -eq 1
for want in \
	"content/talks/a.md:3:7: error: 'date' must be a real date as YYYY-MM-DD, not '2024-13-18'" \
	"content/talks/a.md:4:12: error: 'speakers' refers to person 'zhang-wie', which does not exist (no content/people/zhang-wie.md); did you mean 'zhang-wei'?" \
	"content/talks/a.md:5:8: error: 'event' refers to event '2024-05-hx', which does not exist (no content/events/2024-05-hx.md); did you mean '2024-05-hz'?" \
	"content/talks/a.md:7:3: error: link '/nothing/' leads nowhere: there is no page or file of the site at that address"; do
	check "one run: ${want#*error: }" grep -qxF -- "$want" "$d.err"
done
check "one run: exactly the four errors" test "$(grep -c ': error: ' "$d.err")" -eq 4
# a field that failed its check is not resolved too
d=$T/dep && cp -r "$base" "$d"
printf -- '---\ntitle: 讲座\ndate: 2024-05-18\nspeakers: {zhang-wie: 1}\nevent: [2024-05-hx]\ntags: {a: b}\n---\n' >"$d/content/talks/a.md"
"$JIXIA" check "$d" 2>"$d.err"
check "failed field: no reference error" test "$(grep -c ': error: ' "$d.err")" -eq 3
check "failed field: its own error" grep -qxF "content/talks/a.md:4:11: error: 'speakers' must be a list (e.g. [a, b]), not a mapping" "$d.err"
# a page whose values fail stays in the model: references and links to it resolve
printf -- '---\ntitle: 讲座\ndate: 2024-05-18\nspeakers: [zhang-wei]\nevent: 2024-06-sh\n---\n[e](/events/2024-06-sh/) [m](../events/2024-06-sh.md) [p](../events/2024-07-bj.md)\n' >"$d/content/talks/a.md"
printf -- '---\ntitle: x\ndate: 2024-06-31\nkind: tea\n---\n' >"$d/content/events/2024-06-sh.md"
printf -- '---\ntitle: [x\n---\n' >"$d/content/events/2024-07-bj.md"
printf -- '---\ntitle: x\ndate: 2024-07-01\nkind: tea\n---\n' >"$d/content/events/2024-07-bj.en.md"
"$JIXIA" check "$d" 2>"$d.err"
check "failed page: its own errors only" test "$(grep -c ': error: ' "$d.err")" -eq 2
check "failed page: the date" grep -qF "content/events/2024-06-sh.md:3:7: error: 'date' must be a real date" "$d.err"
check "failed page: the YAML" grep -qF "content/events/2024-07-bj.md:" "$d.err"
check "failed page: nothing in the pages that name or translate them" sh -c "! grep -q '^content/talks\|\.en\.md' '$d.err'"

# Did you mean: a mistyped name gets the nearest one (case and punctuation
# ignored, a few edits, a person's name for their id), a far one nothing.
case_ "did you mean: a mistyped id" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers: [zhang-wie]\n---\n' \
	"content/talks/a.md:4:12: error: 'speakers' refers to person 'zhang-wie', which does not exist (no content/people/zhang-wie.md); did you mean 'zhang-wei'?"
case_ "did you mean: a person's name for their id" content/talks/a.md '---\ntitle: x\ndate: 2024-05-18\nspeakers: [张伟]\n---\n' \
	"content/talks/a.md:4:12: error: 'speakers' refers to person '张伟', which does not exist (no content/people/张伟.md); did you mean 'zhang-wei'?"
case_ "did you mean: an id in another case and punctuation" content/faq/q.md '---\ntitle: x\nanswered_by: [Zhang_Wei]\n---\n' \
	"content/faq/q.md:3:15: error: 'answered_by' refers to person 'Zhang_Wei', which does not exist (no content/people/Zhang_Wei.md); did you mean 'zhang-wei'?"
case_ "did you mean: a mistyped event" content/talks/a.md "${T1}event: 2024-05-zh\n---\n" \
	"content/talks/a.md:5:8: error: 'event' refers to event '2024-05-zh', which does not exist (no content/events/2024-05-zh.md); did you mean '2024-05-hz'?"
case_ "did you mean: an enum value" content/events/b.md '---\ntitle: x\ndate: 2024-05-18\nkind: Meetpu\n---\n' \
	"content/events/b.md:4:7: error: 'kind' must be one of meetup, tea, online-qa, training, conference, salon, competition; 'Meetpu' is not; did you mean 'meetup'?"
# Projects: the license is an SPDX id or expression, the category one of
# the site's categories (site.yaml categories:, else the built-in list).
P1='---\nname: x\ncategory: tool\n'
case_ "unknown SPDX license id" content/projects/p.md "${P1}license: Apache2\n---\n" \
	"content/projects/p.md:4:10: error: 'license' must be an SPDX license id or expression: 'Apache2' is not on the SPDX license list; did you mean 'Apache-2.0'?"
case_ "SPDX expression: a deprecated id in it" content/projects/p.md "${P1}license: MIT OR GPL-2.0\n---\n" \
	"content/projects/p.md:4:10: error: 'license' must be an SPDX license id or expression: 'GPL-2.0' is a deprecated SPDX id: write GPL-2.0-only or GPL-2.0-or-later"
case_ "SPDX expression: lower-case operator" content/projects/p.md "${P1}license: \"MIT or Apache-2.0\"\n---\n" \
	"content/projects/p.md:4:10: error: 'license' must be an SPDX license id or expression: 'or': SPDX writes the operators AND, OR and WITH in capitals"
case_ "unknown project category" content/projects/p.md '---\nname: x\ncategory: extention\n---\n' \
	"content/projects/p.md:3:11: error: 'category' must be one of extension, tool, orm, driver, cloud, fork, application; 'extention' is not; did you mean 'extension'?"
case_ "bad project status" content/projects/p.md "${P1}status: dead\n---\n" \
	"content/projects/p.md:4:9: error: 'status' must be one of active, maintained, archived; 'dead' is not"
case_ "project without a category" content/projects/p.md '---\nname: x\nlicense: MIT\n---\n' \
	"content/projects/p.md:2:1: error: missing required field 'category' (one of the allowed values) for a project"
d=$T/categories && cp -r "$base" "$d" && mkdir -p "$d/content/projects" &&
	printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ncategories:\n  - extension\n  - gui: {zh: 图形界面, en: GUI}\n' >"$d/site.yaml" &&
	printf -- "${P1}---\n" >"$d/content/projects/p.md"
"$JIXIA" check "$d" 2>"$d.err"
check "site.yaml categories: replace the built-in list" grep -qxF "content/projects/p.md:3:11: error: 'category' must be one of extension, gui; 'tool' is not" "$d.err"
printf -- '---\nname: x\ncategory: gui\n---\n' >"$d/content/projects/p.md"
check "site.yaml categories: a category of the site's own" "$JIXIA" check "$d"
printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ncategories:\n  - GUI\n  - tool: {zh: 工具, EN: Tool}\n  - tool\n  - [x]\n' >"$d/site.yaml"
"$JIXIA" check "$d" 2>"$d.err"
check "site.yaml categories: a bad name at its line:col" grep -qxF "site.yaml:6:5: error: category 'GUI' must be lower-case letters, digits, '-' and '_', like extension" "$d.err"
check "site.yaml categories: a label's language" grep -qxF "site.yaml:7:20: error: 'EN' is not a language of this site; did you mean 'en'?" "$d.err"
check "site.yaml categories: listed twice" grep -qxF "site.yaml:8:5: error: category 'tool' is listed twice" "$d.err"
check "site.yaml categories: neither a name nor name: label" grep -qxF "site.yaml:9:5: error: a category is a name (like extension), or name: label" "$d.err"
check "site.yaml categories with mistakes: no error that only follows from them" test "$(grep -c ': error: ' "$d.err")" -eq 4
d=$T/dym-field && cp -r "$base" "$d" && mkdir -p "$d/content/talks" &&
	printf -- "${T1}vidoe: https://example.org/v\n---\n" >"$d/content/talks/a.md"
"$JIXIA" check "$d" --strict 2>"$d.err"
check "did you mean: a field name" grep -qE "^content/talks/a.md:5:1: (error|warning): .*'vidoe'.*; did you mean 'video'\?$" "$d.err"
d=$T/dym-yaml && cp -r "$base" "$d" && printf 'title: t\npaginte: 5\n' >"$d/site.yaml"
"$JIXIA" check "$d" 2>"$d.err"
check "did you mean: a site.yaml key" grep -qxF "site.yaml:2:1: error: unknown key 'paginte' in site.yaml; did you mean 'paginate'?" "$d.err"
d=$T/dym-lang && mkdir -p "$d/content/zh/faq" "$d/content/eb/faq" &&
	printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ntranslations: {layout: dir}\n' >"$d/site.yaml" &&
	printf -- '---\ntitle: x\n---\n' >"$d/content/zh/faq/x.md" && cp "$d/content/zh/faq/x.md" "$d/content/eb/faq/x.md"
"$JIXIA" check "$d" 2>"$d.err"
check "did you mean: a language folder" grep -qxF "content/eb/faq/x.md: error: with 'translations: {layout: dir}' every file must be under content/LANG/ for a language of site.yaml; did you mean 'content/en/faq/x.md'?" "$d.err"
printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ncontributors:\n  titles: [{min: 0, name: {zh: 新人, EN: Newcomer}}]\n' >"$d/site.yaml"
rm -r "$d/content/eb"
"$JIXIA" check "$d" 2>"$d.err"
check "did you mean: a language in site.yaml" grep -qxF "site.yaml:6:36: error: 'EN' is not a language of this site; did you mean 'en'?" "$d.err"

# Types in site.yaml: errors in the definitions themselves.
d=$T/types && cp -r "$base" "$d"
printf 'title: t\ntypes:\n  talk:\n    folder: talks\n    fields:\n      title: {type: strnig}\n      who: {type: ref, to: speaker}\n' >"$d/site.yaml"
"$JIXIA" check "$d" 2>"$d.err"
check "unknown field type in site.yaml" grep -qF "site.yaml:6:21: error: unknown field type 'strnig'" "$d.err"
check "ref to a type that does not exist" grep -qF "refers to type 'speaker', which does not exist" "$d.err"
check "did you mean: a field type" grep -qxF "site.yaml:6:21: error: unknown field type 'strnig' (string, text, int, bool, date, datetime, url, enum, ref, spdx, call or list); did you mean 'string'?" "$d.err"
printf '      host: {type: ref, to: preson}\n    roles: {calender: true}\n' >>"$d/site.yaml"
"$JIXIA" check "$d" 2>"$d.err"
check "did you mean: a type" grep -qxF "site.yaml:4:5: error: field 'host' of type 'talk' refers to type 'preson', which does not exist; did you mean 'person'?" "$d.err"
check "did you mean: a role" grep -qF "site.yaml:9:13: error: unknown role 'calender' (bounty, calendar, call, " "$d.err"
check "did you mean: a role, the name" grep -qF "or video); did you mean 'calendar'?" "$d.err"

# A type declared in site.yaml replaces the built-in one; new types work.
d=$T/replace && cp -r "$base" "$d"
printf 'title: t\ntypes:\n  talk:\n    folder: talks\n    fields:\n      title: {type: string, required: true}\n' >"$d/site.yaml"
printf -- '---\ntitle: no date needed now\n---\n' >"$d/content/talks/a.md"
"$JIXIA" check "$d" 2>"$d.err"
check "site.yaml type replaces the built-in one" test $? -eq 0

# Links: pages, .md paths, #anchors, files; .md links become page URLs.
d=$T/links && mkdir -p "$d/content/faq" "$d/content/docs/a" "$d/assets"
printf 'title: t\n' >"$d/site.yaml"
printf 'PNG' >"$d/assets/pic.png"
printf -- '---\ntitle: 安装\n---\n## 步骤\n\n[回](../../../faq/q/) [feed](/faq/atom.xml) [all](/atom.xml) [cal](/events.ics)\n' >"$d/content/docs/a/install.md"
printf -- '---\ntitle: Q\n---\n## 为什么\n\n见 [安装](../docs/a/install.md#步骤) 和 [缺失](../docs/a/none.md)、[锚点](#为什么)、[坏锚点](#nope)、[坏文档锚](../docs/a/install.md#nope)。\n\n![图](/assets/pic.png) ![缺图](missing.png) [页](/faq/) [无页](/nothing/) [外](https://example.org/x) [上](../../../../etc/passwd) [无源](/nope/atom.xml)\n' >"$d/content/faq/q.md"
"$JIXIA" check "$d" 2>"$d.err"
check "broken links exit 1" test $? -eq 1
for want in \
	"content/faq/q.md:6:35: error: link to content/docs/a/none.md, which is not a page of this site" \
	"content/faq/q.md:6:70: error: link to '#nope': this page has no heading with that id" \
	"content/faq/q.md:6:83: error: link to content/docs/a/install.md#nope: content/docs/a/install.md has no heading with id 'nope'" \
	"content/faq/q.md:8:23: error: image 'missing.png' leads nowhere: there is no such file beside the Markdown or on the site" \
	"content/faq/q.md:8:53: error: link '/nothing/' leads nowhere: there is no page or file of the site at that address" \
	"content/faq/q.md:8:96: error: link '../../../../etc/passwd' points outside the site" \
	"content/faq/q.md:8:124: error: link '/nope/atom.xml' leads nowhere: there is no page or file of the site at that address"; do
	check "link diagnostic: ${want#*error: }" grep -qxF -- "$want" "$d.err"
done
check "exactly the broken links reported" test "$(grep -c ': error: ' "$d.err")" -eq 7
sed -i 's/ 和 \[缺失\](..\/docs\/a\/none.md)//; s/、\[坏锚点\](#nope)//; s/、\[坏文档锚\](..\/docs\/a\/install.md#nope)//; s/ !\[缺图\](missing.png)//; s/ \[无页\](\/nothing\/)//; s/ \[上\](..\/..\/..\/..\/etc\/passwd)//; s/ \[无源\](\/nope\/atom.xml)//' "$d/content/faq/q.md"
"$JIXIA" build "$d" -o "$T/links-out" 2>"$d.err"
check "good links build" test $? -eq 0
check ".md link becomes the page URL with its anchor" grep -qF 'href="/docs/a/install/#%E6%AD%A5%E9%AA%A4"' "$T/links-out/faq/q/index.html"
check "no placeholder left in the output" sh -c "! grep -rqF 'jixia-link:' '$T/links-out'"
# Feeds are written beside lists only: a page has none.
printf '\n[页的源](/faq/q/atom.xml)\n' >>"$d/content/docs/a/install.md"
"$JIXIA" check "$d" 2>"$d.err"
check "a feed beside a page leads nowhere" grep -qxF "content/docs/a/install.md:8:1: error: link '/faq/q/atom.xml' leads nowhere: there is no page or file of the site at that address; did you mean '/faq/atom.xml'?" "$d.err"

# Did you mean, for links: pages and .md files, #anchors, files, taxonomy terms.
d=$T/dym-links && mkdir -p "$d/content/faq" "$d/content/talks/t1" "$d/content/people"
printf 'title: t\ntaxonomies: [tags]\n' >"$d/site.yaml"
printf -- '---\nname: A\n---\n' >"$d/content/people/a.md"
printf -- '---\ntitle: Vacuum\ntags: [postgres]\n---\n## Why it grows\n' >"$d/content/faq/vacuum.md"
printf 'PDF' >"$d/content/talks/t1/slides.pdf"
printf -- '---\ntitle: T\ndate: 2024-01-01\nspeakers: [a]\nslides: slides.pfd\n---\n[s](Slides.pdf)\n' >"$d/content/talks/t1/index.md"
printf -- '---\ntitle: Q\n---\n## Intro\n\n[a](vacum.md) [b](vacuum.md#why-it-grwos) [c](#intor) [d](/faq/vacum/) [e](../vacum/) [f](/tags/postgress/)\n' >"$d/content/faq/q.md"
"$JIXIA" check "$d" 2>"$d.err"
for want in \
	"content/faq/q.md:6:1: error: link to content/faq/vacum.md, which is not a page of this site; did you mean 'content/faq/vacuum.md'?" \
	"content/faq/q.md:6:15: error: link to content/faq/vacuum.md#why-it-grwos: content/faq/vacuum.md has no heading with id 'why-it-grwos'; did you mean 'why-it-grows'?" \
	"content/faq/q.md:6:43: error: link to '#intor': this page has no heading with that id; did you mean '#intro'?" \
	"content/faq/q.md:6:55: error: link '/faq/vacum/' leads nowhere: there is no page or file of the site at that address; did you mean '/faq/vacuum/'?" \
	"content/faq/q.md:6:72: error: link '../vacum/' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address; did you mean '/faq/vacuum/'?" \
	"content/faq/q.md:6:87: error: link '/tags/postgress/' leads nowhere: there is no page or file of the site at that address; did you mean '/tags/postgres/'?" \
	"content/talks/t1/index.md:5:9: error: 'slides': 'slides.pfd' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address; did you mean 'slides.pdf'?" \
	"content/talks/t1/index.md:7:1: error: link 'Slides.pdf' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address; did you mean 'slides.pdf'?"; do
	check "did you mean: ${want#*error: }" grep -qxF -- "$want" "$d.err"
done

# Organisations: the org references of people, cases and events (events'
# hosts and sponsors are lists), and an org's own kind.
mkdir -p "$base/content/orgs"
printf -- '---\nname: 北辰数据\nkind: company\n---\n' >"$base/content/orgs/beichen-data.md"
case_ "org: a person's unknown org" content/people/li-na.md '---\nname: 李娜\ncompany: 北辰数据\norg: beichen-dta\n---\n' \
	"content/people/li-na.md:4:6: error: 'org' refers to org 'beichen-dta', which does not exist (no content/orgs/beichen-dta.md); did you mean 'beichen-data'?"
case_ "org: by its name for its id" content/people/li-na.md '---\nname: 李娜\norg: 北辰数据\n---\n' \
	"content/people/li-na.md:3:6: error: 'org' refers to org '北辰数据', which does not exist (no content/orgs/北辰数据.md); did you mean 'beichen-data'?"
case_ "org: a case's unknown org" content/cases/c.md '---\ntitle: x\ncompany: 启明\norg: qiming\n---\n' \
	"content/cases/c.md:4:6: error: 'org' refers to org 'qiming', which does not exist (no content/orgs/qiming.md)"
case_ "org: an unknown sponsor among known ones" content/events/b.md '---\ntitle: x\ndate: 2024-05-18\nkind: tea\nsponsors: [beichen-data, qiming]\n---\n' \
	"content/events/b.md:5:26: error: 'sponsors' refers to org 'qiming', which does not exist (no content/orgs/qiming.md)"
case_ "org: an unknown host" content/events/b.md '---\ntitle: x\ndate: 2024-05-18\nkind: tea\nhosts:\n  - beichen-date\n---\n' \
	"content/events/b.md:6:5: error: 'hosts' refers to org 'beichen-date', which does not exist (no content/orgs/beichen-date.md); did you mean 'beichen-data'?"
case_ "org: hosts must be a list" content/events/b.md '---\ntitle: x\ndate: 2024-05-18\nkind: tea\nhosts: {beichen-data: 1}\n---\n' \
	"content/events/b.md:5:8: error: 'hosts' must be a list (e.g. [a, b]), not a mapping"
case_ "org: a kind not in the list" content/orgs/x.md '---\nname: 西蜀理工学院\nkind: school\n---\n' \
	"content/orgs/x.md:3:7: error: 'kind' must be one of company, university, foundation, community, government; 'school' is not"
case_ "org: a misspelt kind" content/orgs/x.md '---\nname: 西蜀理工学院\nkind: Universty\n---\n' \
	"content/orgs/x.md:3:7: error: 'kind' must be one of company, university, foundation, community, government; 'Universty' is not; did you mean 'university'?"
case_ "org: no kind" content/orgs/x.md '---\nname: 启明开源基金会\ncity: 上海\n---\n' \
	"content/orgs/x.md:2:1: error: missing required field 'kind' (one of the allowed values) for an org"
case_ "org: a logo that leads nowhere" content/orgs/x.md '---\nname: 启明开源基金会\nkind: foundation\nlogo: logo.png\n---\n' \
	"content/orgs/x.md:4:7: error: 'logo': 'logo.png' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address"
rm -r "$base/content/orgs"

# #anchors on links by address are checked like those on .md links.
d=$T/anchors && mkdir -p "$d/content/notes" "$d/content/docs"
printf 'title: t\ntypes:\n  note:\n    folder: notes\n    fields:\n      title: {type: string}\n      see: {type: url}\n' >"$d/site.yaml"
printf -- '---\ntitle: 安装\n---\n## 步骤\n' >"$d/content/docs/install.md"
printf -- '---\ntitle: Q\nsee: /docs/install/#nope\n---\n[a](/docs/install/#步骤) [b](/docs/install/#%%E6%%AD%%A5%%E9%%AA%%A4) [c](/docs/install/#wrong) [d](../../docs/install/#x) [e](/docs/install/#) [f](/notes/#x)\n' >"$d/content/notes/q.md"
"$JIXIA" check "$d" 2>"$d.err"
for want in \
	"content/notes/q.md:3:6: error: 'see': '/docs/install/#nope' leads to content/docs/install.md, which has no heading with id 'nope'" \
	"content/notes/q.md:5:63: error: link '/docs/install/#wrong' leads to content/docs/install.md, which has no heading with id 'wrong'" \
	"content/notes/q.md:5:89: error: link '../../docs/install/#x' leads to content/docs/install.md, which has no heading with id 'x'"; do
	check "anchor by address: ${want#*error: }" grep -qxF -- "$want" "$d.err"
done
check "anchor by address: exactly the wrong ids" test "$(grep -c ': error: ' "$d.err")" -eq 3

# Venues: an int, a list of enum values, and an event's venue: that names a
# venue by its id, or is text (a place without a page), or is an id that
# names none: an error, with the venue meant when one is near.
mkdir -p "$base/content/venues"
printf -- '---
name: 清华大学 FIT 楼
city: 北京
---
' >"$base/content/venues/tsinghua-fit.md"
case_ "venue: capacity not an int" content/venues/v.md '---
name: x
city: 杭州
capacity: 大约八十
---
' \
	"content/venues/v.md:4:11: error: 'capacity' must be a whole number, not '大约八十'"
case_ "venue: unknown equipment value" content/venues/v.md '---
name: x
city: 杭州
equipment: [projector, whitebaord]
---
' \
	"content/venues/v.md:4:24: error: 'equipment' must be one of projector, screen, microphone, sound, streaming, recording, whiteboard, wifi, power, catering, accessible; 'whitebaord' is not; did you mean 'whiteboard'?"
case_ "venue: city is required" content/venues/v.md '---
name: x
---
' \
	"content/venues/v.md:2:1: error: missing required field 'city' (a string) for a venue"
E1='---\ntitle: x\ndate: 2024-05-18\nkind: tea\n'
case_ "event: unknown venue id" content/events/b.md "${E1}venue: tsinghua-fti\n---\n" \
	"content/events/b.md:5:8: error: 'venue' refers to venue 'tsinghua-fti', which does not exist (no content/venues/tsinghua-fti.md); did you mean 'tsinghua-fit'?"
case_ "event: a one-word venue id, mistyped" content/events/b.md "${E1}venue: tsinghuafit\n---\n" \
	"content/events/b.md:5:8: error: 'venue' refers to venue 'tsinghuafit', which does not exist (no content/venues/tsinghuafit.md); did you mean 'tsinghua-fit'?"
case_ "event: a venue id with nothing near" content/events/b.md "${E1}venue: zhongguancun-hall\n---\n" \
	"content/events/b.md:5:8: error: 'venue' refers to venue 'zhongguancun-hall', which does not exist (no content/venues/zhongguancun-hall.md; text written like an id is taken for one)"
case_ "venue: unknown contact id" content/venues/v.md '---\nname: x\ncity: 杭州\ncontact: li-lei\n---\n' \
	"content/venues/v.md:4:10: error: 'contact' refers to person 'li-lei', which does not exist (no content/people/li-lei.md; text written like an id is taken for one)"
d=$T/venue-text && cp -r "$base" "$d"
printf -- "${E1}venue: tsinghua-fit\n---\n" >"$d/content/events/by-id.md"
printf -- "${E1}venue: 海淀区 清华大学 FIT 楼 1-312\n---\n" >"$d/content/events/by-text.md"
printf -- "${E1}venue: Zoom\n---\n" >"$d/content/events/by-word.md"
printf -- "${E1}venue: online\n---\n" >"$d/content/events/by-lower-word.md"
printf -- '---\nname: y\ncity: 杭州\ncontact: |\n  前台 138-0000-0000\n  wang@example.org\ncapacity: -0\n---\n' >"$d/content/venues/y.md"
printf -- '---\nname: z\ncity: 杭州\ncontact: 138-0000-0000\n---\n' >"$d/content/venues/z.md"
"$JIXIA" check "$d" 2>"$d.err"
check "venue: an id, text, a word and a contact as text pass check" test $? -eq 0
check "venue: nothing reported for text" test ! -s "$d.err"
# or_text is for one ref, not a list (a list of text is a list of strings)
printf 'title: t\ntypes:\n  talk:\n    fields:\n      title: {type: string}\n      hosts: {type: list, of: {type: ref, to: person, or_text: true}}\n      host: {type: ref, to: person, or_text: maybe}\n' >"$d/site.yaml"
"$JIXIA" check "$d" 2>"$d.err"
check "or_text on a list's items: an error at it" grep -qxF "site.yaml:6:64: error: 'or_text' is for a ref field, not the items of a list" "$d.err"
check "or_text not a boolean: an error at it" grep -qxF "site.yaml:7:46: error: 'or_text' must be true or false" "$d.err"


# Lenient where it costs nothing (sites moved from Hugo): blank lines and a
# BOM before the opening fence, RFC 3339 times with a fraction and Z, a
# datetime where a date is declared, one value where a list is; a key in
# another letter case is an error that names the field, and the field it
# was meant for is not reported missing as well.
d=$T/lenient && cp -r "$base" "$d"
printf -- '\357\273\277\n\n---\ntitle: 讲座\ndate: 2019-06-04T10:20:00.000Z\nspeakers: zhang-wei\n---\n\nbody\n' >"$d/content/talks/a.md"
printf -- '\n  \n---\ntitle: 茶话会\ndate: 2019-06-04T10:20:00+08:00\nkind: tea\norganizers: zhang-wei\n---\n' >"$d/content/events/2019-tea.md"
mkdir -p "$d/content/meets" && printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ntypes:\n  meet:\n    folder: meets\n    fields:\n      title: {type: string, required: true}\n      at: {type: datetime, required: true}\n' >"$d/site.yaml"
printf -- '---\ntitle: m\nat: 2019-06-04T10:20:00.123456789Z\n---\n' >"$d/content/meets/m.md"
"$JIXIA" build "$d" -o "$T/lenient-out" 2>"$d.err"
check "lenient: blank lines, BOM, fractions, datetime for a date, one value for a list build (exit 0)" test $? -eq 0
check "lenient: nothing reported" sh -c "! grep -v 'not in a git repository' '$d.err'"
check "lenient: the title after blank lines" grep -q '<h1>讲座</h1>' "$T/lenient-out/talks/a/index.html"
check "lenient: a datetime with a fraction and Z for a date" grep -qF '<time datetime="2019-06-04T10:20:00.000Z">' "$T/lenient-out/talks/a/index.html"
check "lenient: one speaker for a list of speakers" grep -q 'href="/people/zhang-wei/"' "$T/lenient-out/talks/a/index.html"
check "lenient: the speaker's page lists the talk" grep -q 'href="/talks/a/"' "$T/lenient-out/people/zhang-wei/index.html"
check "lenient: one organizer for a list" grep -q 'href="/people/zhang-wei/"' "$T/lenient-out/events/2019-tea/index.html"
case_ "blank lines before the fence, then an error at its real line" content/talks/a.md '\n\n---\ntitle: x\ndate: 2024-02-30\nspeakers: [zhang-wei]\n---\n' \
	"content/talks/a.md:5:7: error: 'date' must be a real date as YYYY-MM-DD, not '2024-02-30'"
case_ "a key in another case: did you mean" content/talks/a.md '---\nTitle: 讲座\ndate: 2024-05-18\nspeakers: [zhang-wei]\n---\n' \
	"content/talks/a.md:2:1: error: 'Title' is not a field (field names are case-sensitive); did you mean 'title'?"
d=$T/case-key && cp -r "$base" "$d"
printf -- '---\nTitle: 讲座\nDATE: 2024-05-18\nspeakers: [zhang-wei]\n---\n' >"$d/content/talks/a.md"
"$JIXIA" check "$d" 2>"$d.err"
check "a key in another case: its field is not missing as well" sh -c "! grep -q 'missing required field' '$d.err'"
check "a key in another case: one error each" test "$(grep -c ': error: ' "$d.err")" -eq 2
check "a key in another case: DATE" grep -qxF "content/talks/a.md:3:1: error: 'DATE' is not a field (field names are case-sensitive); did you mean 'date'?" "$d.err"
# a body that starts with blank lines and a thematic break is a body
d=$T/hr && cp -r "$base" "$d"
printf -- '\n\n---\n\nJust text.\n' >"$d/content/faq/q.md"
"$JIXIA" check "$d" 2>"$d.err"
check "blank lines and a lone '---' are a body, not front matter" grep -qF "content/faq/q.md:1:1: error: no front matter" "$d.err"


# Heading ids written out ({#id}) are the anchors links check; the "{#...}"
# is not shown; a bad one is an error at it. Shortcodes left in the text
# are a warning at each (exit 0), none in code.
d=$T/ids && cp -r "$base" "$d"
printf -- '---\ntitle: 问\n---\n## Spans {#spans}\n\n## 安装 {#install}\n\nSee {{< ref "x.md" >}} and `{{< code >}}`.\n' >"$d/content/faq/a.md"
printf -- '---\ntitle: 答\n---\n[a](a.md#spans) [b](/faq/a/#install) [c](#self)\n\n### Self {#self}\n' >"$d/content/faq/b.md"
"$JIXIA" build "$d" -o "$T/ids-out" 2>"$d.err"
check "heading ids: links to them resolve (exit 0)" test $? -eq 0
check "heading ids: used as ids" grep -qF '<h2 id="spans">Spans</h2>' "$T/ids-out/faq/a/index.html"
check "heading ids: not shown" sh -c "! grep -q '{#' '$T/ids-out/faq/a/index.html'"
check "shortcode left over: a warning at it" grep -qF "content/faq/a.md:8:5: warning: this looks like a Hugo shortcode, shown as text" "$d.err"
check "shortcode left over: none in a code span" test "$(grep -c 'Hugo shortcode' "$d.err")" -eq 1
printf -- '---\ntitle: x\n---\n[a](a.md#span)\n' >"$d/content/faq/c.md"
"$JIXIA" check "$d" 2>"$d.err"
check "heading ids: a link to one that is not there" grep -qF "content/faq/c.md:4:1: error: link to content/faq/a.md#span: content/faq/a.md has no heading with id 'span'" "$d.err"
check "heading ids: did you mean the one written out" grep -qF "did you mean 'spans'?" "$d.err"
case_ "heading ids: the same id twice" content/faq/c.md '---\ntitle: x\n---\n## A {#x}\n\n## B {#x}\n' \
	"content/faq/c.md:6:6: error: heading id 'x' is already another heading's on this page"

# Hugo's conventions: aliases, '_' names, static/, links served elsewhere.
case_ "alias: an address a page has" content/faq/a.md '---\ntitle: x\naliases: [/people/zhang-wei/]\n---\n' \
	"content/faq/a.md:3:11: error: alias '/people/zhang-wei/' would be written at people/zhang-wei/index.html, which the site already has (a page, list, feed or file; letter case aside); remove the alias"
case_ "alias: '..' refused" content/faq/a.md '---\ntitle: x\naliases:\n  - ../../../../etc/\n---\n' \
	"content/faq/a.md:4:5: error: alias '../../../../etc/' may not have empty, '.' or '..' parts: write the address it had"
case_ "alias: a scheme refused" content/faq/a.md '---\ntitle: x\naliases: "javascript:alert(1)"\n---\n' \
	"content/faq/a.md:3:10: error: alias 'javascript:alert(1)' may not have '?', '#', '%', '\\', quotes, '<', '>' or ':' (no scheme, host, query or fragment)"
case_ "alias: a bidi override refused" content/faq/a.md '---\ntitle: x\naliases: ["/old/\342\200\256evil/"]\n---\n' \
	"content/faq/a.md:3:11: error: alias '/old/\\u202eevil/' may not have invisible, formatting or unassigned characters, or spaces"
case_ "alias: under a name jixia writes" content/faq/a.md '---\ntitle: x\naliases: [/search/old/]\n---\n' \
	"content/faq/a.md:3:11: error: alias '/search/old/' is under 'search', a name jixia uses for its own files"
mkdir -p "$base/content/faq/_includes"
printf -- '---\ntitle: snippet\n---\n' >"$base/content/faq/_includes/note.md"
case_ "link into _includes" content/faq/a.md '---\ntitle: x\n---\nsee [note](_includes/note.md)\n' \
	"content/faq/a.md:4:5: error: link to content/faq/_includes/note.md, which is not a page: files and folders whose name starts with '_' are not part of the site (like Hugo's _includes/)"
rm -r "$base/content/faq/_includes"
case_ "static: a file where a page needs a folder" static/people/zhang-wei 'x' \
	"static/people/zhang-wei: error: would be published at people/zhang-wei, which a page, list, feed or calendar of the site already uses (letter case aside); rename it"
case_ "static: a name jixia writes" static/sitemap.xml 'x' \
	"static/sitemap.xml: error: would be published at sitemap.xml, where jixia writes its own files (search, assets, feeds, sitemap, taxonomies, languages); move it into another folder"
case_ "static: a CNAME that is not a host name" static/CNAME '<script>x</script>\n' \
	"static/CNAME:1:1: error: a CNAME file holds one host name (docs.example.org) on one line, for GitHub Pages; nothing else is published from an extensionless file"
case_ "static: another extensionless file" static/LICENSE 'x\n' \
	"static/LICENSE: error: extensionless files are not published from static/: only images, documents, slides, sheets, text, code, archives, audio and video (HTML, XML or an unknown kind could run scripts on the portal's own address); zip it, or link it from elsewhere"
d=$T/cname && rm -rf "$d" && cp -r "$base" "$d"
mkdir -p "$d/static" && printf 'docs.example.org\n' >"$d/static/CNAME"
"$JIXIA" build "$d" -o "$d.out" 2>"$d.err"
check "static: a CNAME (GitHub Pages) published as it is" cmp "$d/static/CNAME" "$d.out/CNAME"
case_ "site.yaml: links.errors" site.yaml 'title: t\nlinks: {errors: maybe}\n' \
	"site.yaml:2:17: error: 'links.errors' must be 'error' or 'warn'"
case_ "site.yaml: links.elsewhere path" site.yaml 'title: t\nlinks:\n  elsewhere: [docs/ref/]\n' \
	"site.yaml:3:15: error: 'links.elsewhere' path 'docs/ref/' must be a path from the site's root (/docs/reference/), without '..', '?', '#', '\\', spaces or control characters"
case_ "site.yaml: links.elsewhere unknown key" site.yaml 'title: t\nlinks:\n  elsewhere: [{path: /api/, href: "https://x.org/"}]\n' \
	"site.yaml:3:29: error: unknown key 'href' in a 'links.elsewhere' entry"
# links.errors: warn makes a broken link a warning, left as written; --strict an error again
d=$T/links-warn && rm -rf "$d" && cp -r "$base" "$d"
printf 'title: t\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\nlinks:\n  errors: warn\n  elsewhere: [/ref/, /en/ref/, {path: /api/, url: "https://api.example.org/v2"}]\n' >"$d/site.yaml"
printf -- '---\ntitle: x\n---\n[gone](/nowhere/) [ref](/ref/sql/#select) [api](/api/users?id=1) [md](../ref/functions.md) [en](../ref/functions.en.md)\n' >"$d/content/faq/a.md"
"$JIXIA" build "$d" -o "$d.out" 2>"$d.err"
check "links.errors warn: the build succeeds" test $? -eq 0
check "links.errors warn: a warning at the link" grep -qxF "content/faq/a.md:4:1: warning: link '/nowhere/' leads nowhere: there is no page or file of the site at that address" "$d.err"
check "links.errors warn: the link left as written" grep -qF '<a href="/nowhere/">gone</a>' "$d.out/faq/a/index.html"
check "links.elsewhere: a path served on this host kept" grep -qF '<a href="/ref/sql/#select">ref</a>' "$d.out/faq/a/index.html"
check "links.elsewhere: a path rewritten to its url" grep -qF '<a href="https://api.example.org/v2/users?id=1">api</a>' "$d.out/faq/a/index.html"
check "links.elsewhere: a .md link into it" grep -qF '<a href="/ref/functions/">md</a>' "$d.out/faq/a/index.html"
check "links.elsewhere: a .md link to a translation there" grep -qF '<a href="/en/ref/functions/">en</a>' "$d.out/faq/a/index.html"
check "links.elsewhere: nothing else reported" test "$(grep -c 'warning\|error' "$d.err")" -eq 2
"$JIXIA" check "$d" --strict 2>"$d.err"
check "links.errors warn: --strict makes it an error" grep -qxF "content/faq/a.md:4:1: error: link '/nowhere/' leads nowhere: there is no page or file of the site at that address" "$d.err"

# A build frees each Markdown file once the pages are parsed (-v counts them):
# a diagnostic of a later stage (the links) reads the file again to quote its line.
d=$T/freed && rm -rf "$d" && cp -r "$base" "$d"
printf -- '---\ntitle: x\n---\nsee [gone](/nowhere/)\n' >"$d/content/faq/a.md"
"$JIXIA" build -v "$d" -o "$d.out" 2>"$d.err"
check "sources freed after parsing: -v counts them, one a page" \
	grep -qE '^jixia: parse +[0-9.]+ ms  ([0-9]+) pages on [0-9]+ threads?, ([0-9]+ parsed, )?\1 Markdown files freed, [0-9]+ as parsed$' "$d.err"
check "sources freed after parsing: a link error still quotes its line" grep -qxF '    see [gone](/nowhere/)' "$d.err"
check "sources freed after parsing: the caret under the link" grep -qxF '        ^' "$d.err"
# In a repository, each file is freed as soon as it is parsed once the history
# walk has hashed the working tree (at -j1, before parsing: every one), and the
# quote still reads it again; an uncommitted change is still told from HEAD.
mkrepo "$d" && (site=$d && as 'A' a@example.org 2024-01-02T00:00:00Z init)
printf -- '---\ntitle: x\n---\n\nsee [gone](/nowhere/)\n' >"$d/content/faq/a.md"
"$JIXIA" build -v -j1 "$d" -o "$d.out" 2>"$d.err"
check "sources freed as parsed: at -j1 every one" \
	grep -qE '^jixia: parse +[0-9.]+ ms  ([0-9]+) pages on 1 threads?, \1 Markdown files freed, \1 as parsed$' "$d.err"
check "sources freed as parsed: the quote read again" grep -qxF '    see [gone](/nowhere/)' "$d.err"
check "sources freed as parsed: at its line" grep -qF 'content/faq/a.md:5:5: error: link' "$d.err"
"$JIXIA" build -v -j2 "$d" -o "$d.out" 2>"$d.err"
check "sources freed as parsed: -j2, the quote read again" grep -qxF '    see [gone](/nowhere/)' "$d.err"

# The pages' own search terms are kept as numbers into one table (pagetok.h):
# a term on many pages is kept once (-v counts them), and the index is the same.
d=$T/terms-once && rm -rf "$d" "$d.out" && mkdir -p "$d/content"
printf 'title: t\n' >"$d/site.yaml"
printf -- '---\ntitle: One\n---\n# Alpha\n\nalpha beta alpha\n' >"$d/content/one.md"
printf -- '---\ntitle: Two\n---\nalpha gamma\n' >"$d/content/two.md"
"$JIXIA" build -v "$d" -o "$d.out" 2>"$d.err"
check "page terms: alpha, beta, gamma kept once for both pages (-v)" \
	grep -qE '^jixia: index .*, 3 page terms kept once \(14 bytes\)$' "$d.err"
"$JIXIA" build -v -j1 "$d" -o "$d.out1" 2>"$d.err"
check "page terms: the same index at -j1" diff -r "$d.out/search" "$d.out1/search"
# a rebuild reads page one's terms from the disk cache (by number, its
# dictionary's terms into the table once: alpha, beta and epsilon, page
# two's older version's, which the dictionary keeps) back into the table
printf -- '---\ntitle: Two\n---\nalpha epsilon\n' >"$d/content/two.md"
"$JIXIA" build "$d" -o "$d.out" 2>"$d.err" # the first rebuild writes the cache
printf -- '---\ntitle: Two\n---\nalpha delta\n' >"$d/content/two.md"
"$JIXIA" build -v "$d" -o "$d.out" 2>"$d.err"
check "page terms: a rebuild reads one page from the disk cache" grep -qE '^jixia: parse .* 1 parsed' "$d.err"
check "page terms: read back, kept once too" \
	grep -qE '^jixia: index .*, 4 page terms kept once \(21 bytes\) \([0-9]+ streams compressed, [0-9]+ kept\)$' "$d.err"
rm -rf "$d.out1" && "$JIXIA" build "$d" -o "$d.out1" 2>"$d.err"
check "page terms: the rebuild's index is a cold build's" diff -r "$d.out/search" "$d.out1/search"

# A build keeps each page's body in an unnamed file beside the output between
# its parse and its render (spill.h; -v counts them): the page, its links and
# its JSON-LD answer read it back; a short or blank body stays in memory (an
# empty question is still open).
d=$T/spill && rm -rf "$d" "$d.out" "$d.out1" && mkdir -p "$d/content/faq"
printf 'title: t\n' >"$d/site.yaml"
{ printf -- '---\ntitle: Why vacuum\n---\n'; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'Vacuum reclaims storage of dead tuples. '; done
  printf '\n\nSee [the short one](short.md), end marker zzqx.\n'; } >"$d/content/faq/long.md"
printf -- '---\ntitle: Short question\n---\n' >"$d/content/faq/short.md"
"$JIXIA" build -v "$d" -o "$d.out" 2>"$d.err"
check "bodies in a file: the long one (-v)" grep -qE '^jixia: render .*, 1 bodies from a file$' "$d.err"
check "bodies in a file: the page shows it to its end" grep -qF 'end marker zzqx.' "$d.out/faq/long/index.html"
check "bodies in a file: its link resolved" grep -qF '<a href="/faq/short/">the short one</a>' "$d.out/faq/long/index.html"
check "bodies in a file: the JSON-LD answer from it" grep -qF '"acceptedAnswer":{"@type":"Answer","text":"Vacuum reclaims storage' "$d.out/faq/long/index.html"
check "bodies in a file: an empty question still open" grep -qF 'Short question' "$d.out/help-wanted/index.html"
"$JIXIA" build -j1 "$d" -o "$d.out1" 2>"$d.err"
check "bodies in a file: the same site at -j1" diff -r "$d.out" "$d.out1"

# The model on the pool (S_link_pages, S_gather_raws): 640 pages, the events
# in zones of their own (each time of day read through TZ, one at a time),
# their terms gathered in runs of 256 pages, some with errors; -j1 and -j2
# give the same diagnostics and the same site. A term two texts slug alike
# is named by the first text in the list order: the newest page's first.
d=$T/pool && rm -rf "$d" "$d.out1" "$d.out2" && mkdir -p "$d/content/events" "$d/content/posts"
cat >"$d/site.yaml" <<'EOF'
title: t
base_url: https://example.org/
timezone: Asia/Shanghai
taxonomies: [tags]
types:
  post:
    folder: posts
    fields:
      title: {type: string, required: true}
      date: {type: date}
      tags: {type: list, of: string}
EOF
i=0
while [ $i -lt 320 ]; do
	case $((i % 4)) in
	0) z=Europe/Berlin ;; 1) z=America/New_York ;; 2) z=Asia/Tokyo ;; *) z=UTC ;;
	esac
	printf -- '---\ntitle: Event %d\ndate: 2024-03-%02d 19:30\nkind: meetup\ntimezone: %s\ntags: [Tag %d, tag-%d]\n---\n' \
		$i $((i % 28 + 1)) $z $((i % 7)) $((i % 5)) >"$d/content/events/e$i.md"
	printf -- '---\ntitle: Post %d\ndate: 2023-%02d-%02d\ntags: [PostgreSQL, pool %d]\n---\n' \
		$i $((i % 12 + 1)) $((i % 28 + 1)) $((i % 9)) >"$d/content/posts/p$i.md"
	i=$((i + 1))
done
printf -- '---\ntitle: Newest\ndate: 2024-12-31\ntags: [postgresql, PostgreSQL]\n---\n' >"$d/content/posts/newest.md"
printf -- '---\ntitle: Bad zone\ndate: 2024-03-02 10:00\nkind: meetup\ntimezone: Mars/Olympus\n---\n' >"$d/content/events/bad.md"
printf -- '---\ntitle: Odd\ndate: 2024-03-03\nkind: meetup\ncolour: red\n---\n' >"$d/content/events/odd.md"
"$JIXIA" build -j1 "$d" -o "$d.out1" 2>"$d.err1"
"$JIXIA" build -j2 "$d" -o "$d.out2" 2>"$d.err2"
check "pool: the error of a build at -j1" grep -qF "'timezone' must be a time zone" "$d.err1"
check "pool: -j2 reports what -j1 does" cmp -s "$d.err1" "$d.err2"
rm -f "$d/content/events/bad.md"
"$JIXIA" build -j1 "$d" -o "$d.out1" 2>"$d.err1"
"$JIXIA" build -j2 "$d" -o "$d.out2" 2>"$d.err2"
check "pool: -j2 builds the site -j1 does" diff -r "$d.out1" "$d.out2"
check "pool: the same warnings" cmp -s "$d.err1" "$d.err2"
check "pool: a time of day in its page's zone (Berlin, +01:00)" \
	grep -qF '2024-03-01T19:30:00+01:00' "$d.out2/events/e0/index.html"
check "pool: a time of day in its page's zone (New York, -05:00)" \
	grep -qF '2024-03-02T19:30:00-05:00' "$d.out2/events/e1/index.html"
check "pool: a term named by the newest page's first text" \
	grep -qF '<title>postgresql' "$d.out2/tags/postgresql/index.html"
check "pool: every page of the term listed" \
	test "$(grep -o 'href="/posts/p[0-9]*/"' "$d.out2/tags/postgresql/index.html" | sort -u | wc -l)" -eq 320

# Times of day at the edges of daylight saving (S_zone_values): a local
# time the clocks pass twice is its earlier instant on every page that
# gives it (mktime gave the one or the other as the values before it
# went), one they skip is the instant at the offset before; the same at
# -j1 and -j2, between pages of the site's zone and of other zones.
d=$T/dst && rm -rf "$d" "$d.out1" "$d.out2" && mkdir -p "$d/content/events"
printf 'title: t\nbase_url: https://example.org/\ntimezone: Asia/Shanghai\n' >"$d/site.yaml"
n=0
for spec in "2024-10-27 02:30|Europe/Berlin" "2024-11-03 01:30|America/New_York" \
	"2024-04-07 02:30|Australia/Sydney" "2024-03-31 02:30|Europe/Berlin" \
	"2024-03-10 02:30|America/New_York" "2024-10-27 01:30|Europe/London"; do
	for r in 0 1 2 3; do
		printf -- '---\ntitle: E %d\ndate: %s\nkind: meetup\ntimezone: %s\n---\n' $n "${spec%|*}" "${spec#*|}" \
			>"$d/content/events/z$n-$r.md"
		printf -- '---\ntitle: S %d\ndate: 2024-07-%02d 12:00\nkind: meetup\n---\n' $n $((r + 1)) \
			>"$d/content/events/s$n-$r.md"
	done
	n=$((n + 1))
done
"$JIXIA" build -j1 "$d" -o "$d.out1" 2>/dev/null
"$JIXIA" build -j2 "$d" -o "$d.out2" 2>/dev/null
# zone_at N INSTANT: every page of spec N shows that instant
zone_at() {
	for r in 0 1 2 3; do
		grep -qF "\"startDate\":\"$2\"" "$d.out2/events/z$1-$r/index.html" || return 1
	done
}
check "dst: passed twice, Berlin: the earlier instant on every page" zone_at 0 '2024-10-27T02:30:00+02:00'
check "dst: passed twice, New York: the earlier instant on every page" zone_at 1 '2024-11-03T01:30:00-04:00'
check "dst: passed twice, Sydney: the earlier instant on every page" zone_at 2 '2024-04-07T02:30:00+11:00'
check "dst: skipped, Berlin: the offset before, shown after" zone_at 3 '2024-03-31T03:30:00+02:00'
check "dst: skipped, New York: the offset before, shown after" zone_at 4 '2024-03-10T03:30:00-04:00'
check "dst: passed twice, London: the earlier instant" zone_at 5 '2024-10-27T01:30:00+01:00'
check "dst: the site's zone between them" grep -qF '"startDate":"2024-07-01T12:00:00+08:00"' "$d.out2/events/s0-0/index.html"
check "dst: -j1 builds the site -j2 does" diff -r "$d.out1" "$d.out2"

# Where a link leads (links.c looks each address up in one table of the
# site's: S_index): as written, %XX-escaped, without its last '/', relative
# with a ?query, to a #heading, to a Markdown file, to jixia's own pages;
# one that leads nowhere still gets its "did you mean". -j1 and -j2 agree.
d=$T/links-table && rm -rf "$d" "$d.out" "$d.out1" && mkdir -p "$d/content/posts"
cat >"$d/site.yaml" <<'EOF'
title: t
base_url: https://example.org/sub/
taxonomies: [tags]
types:
  post:
    folder: posts
    fields:
      title: {type: string, required: true}
      date: {type: date}
      tags: {type: list, of: string}
EOF
printf -- '---\ntitle: P1\ndate: 2024-01-01\ntags: [a]\n---\n\n## Head one\n\ntext\n' >"$d/content/posts/p1.md"
printf -- '---\ntitle: P2\ndate: 2024-01-02\n---\n\ntext\n' >"$d/content/posts/p2.md"
printf -- '---\ntitle: P0\ndate: 2024-01-03\n---\n\n[a](/posts/p1/) [b](/posts/p%%31/) [c](/posts/p1) [d](/tags/) [e](../p2/?x=1) [f](/posts/p1/#head-one) [g](p1.md#head-one) [h](/tags/a/) [j](/search/)\n' >"$d/content/posts/p0.md"
"$JIXIA" build -j2 "$d" -o "$d.out" 2>/dev/null
"$JIXIA" build -j1 "$d" -o "$d.out1" 2>/dev/null
f=$d.out/posts/p0/index.html
check "links table: as written" contains "$f" '<a href="/sub/posts/p1/">a</a>'
check "links table: %XX decoded" contains "$f" '<a href="/sub/posts/p1/">b</a>'
check "links table: without its last /" contains "$f" '<a href="/sub/posts/p1/">c</a>'
check "links table: jixia's own list" contains "$f" '<a href="/sub/tags/">d</a>'
check "links table: relative, with a query" contains "$f" '<a href="/sub/posts/p2/?x=1">e</a>'
check "links table: to a heading" contains "$f" '<a href="/sub/posts/p1/#head-one">f</a>'
check "links table: to a Markdown file's heading" contains "$f" '<a href="/sub/posts/p1/#head-one">g</a>'
check "links table: a term's page" contains "$f" '<a href="/sub/tags/a/">h</a>'
check "links table: the search page" contains "$f" '<a href="/sub/search/">j</a>'
check "links table: -j1 builds the site -j2 does" diff -r "$d.out" "$d.out1"
printf -- '---\ntitle: Bad\ndate: 2024-01-04\n---\n\n[x](/posts/p11/) [y](/posts/p1/#head-once)\n' >"$d/content/posts/bad.md"
"$JIXIA" build -j2 "$d" -o "$d.out" 2>"$d.err"
check "links table: nowhere, with the nearest address" grep -qxF "content/posts/bad.md:6:1: error: link '/posts/p11/' leads nowhere: there is no page or file of the site at that address; did you mean '/posts/p1/'?" "$d.err"
check "links table: a heading the page has not" grep -qxF "content/posts/bad.md:6:18: error: link '/posts/p1/#head-once' leads to content/posts/p1.md, which has no heading with id 'head-once'" "$d.err"
check "links table: the output before kept" contains "$f" '<a href="/sub/posts/p1/">b</a>'

# -v: the model stage's line names its parts with their times, so that a slow one shows
d=$T/model-parts
rm -rf "$d"
cp -r "$base" "$d"
"$JIXIA" build -v "$d" -o "$d.out" 2>"$d.err"
check "-v: the model line times its parts" \
	grep -qE '^jixia: model .* files(, [0-9]+ answers kept, [0-9]+ read)? \(link [0-9]+, people [0-9]+, lists [0-9]+, plan [0-9]+, links [0-9]+ ms\)$' "$d.err"

finish
