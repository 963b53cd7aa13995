# a fenced code block holds what would be costly as text: the parser reads none of it
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n~~~\\n' + 'a <? ![[]() *a _a*_ x_[^1] _www.a\\n' * 20000 + '~~~\\n')"
