/*
 * links: the links between pages. Checks every link and image of every body
 * against the built site (pages, their #anchors, list pages, files) and
 * turns links written as relative paths to .md files into the target
 * page's URL. Runs once, single-threaded, after the lists are built and
 * before render; linear in links (each lookup is a binary search).
 */
#ifndef JIXIA_LINKS_H
#define JIXIA_LINKS_H

#include "lists.h"
#include "model.h"

/*
 * Reports each link to a page, anchor or file that does not exist, at the
 * link's line:col, and rewrites resolved .md links in the pages' HTML.
 * Returns 0, or -1 when any link is broken.
 */
int links_check(struct site *site, const struct lists *lists);

#endif
