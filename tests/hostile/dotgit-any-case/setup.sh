mkdir -p content/.GIT content/faq/.Git
printf -- "---\ntitle: secret-hook\n---\n" > content/.GIT/hooks.md
printf -- "---\ntitle: secret-hook\n---\n" > content/faq/.Git/x.md
