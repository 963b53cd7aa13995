ln -s /etc/passwd content/faq/pw.md
ln -s /etc content/etc
