# One footnote referenced 200,000 times (800 KB): each reference is a
# numbered link and gets a link back in the note, 46 MB of HTML.
{
	printf -- '---\ntitle: notes\n---\n[^a]: [^a]\n\n'
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "[^a]"; print "" }'
} >content/faq/notes.md
