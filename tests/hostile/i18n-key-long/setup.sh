# UI strings with a key of 129 bytes: a {{t.KEY}} lookup compares keys, so
# keys of megabytes (64 of 400 KB: 21 s for 31 pages) would make every
# step that long. 128 bytes is the most a key may have.
mkdir -p layouts/i18n
k=$(head -c 128 /dev/zero | tr '\0' k)
printf 'read_more: more\n%s: ok\n%sx: long\n' "$k" "$k" >layouts/i18n/zh.yaml
printf '{{t.read_more}}\n' >layouts/faq.html
