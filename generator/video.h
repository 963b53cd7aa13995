/*
 * video: the player of a video on a known host (YouTube, Bilibili, Vimeo)
 * for a click-to-load facade: the page holds only the player's address,
 * and the reader's browser asks the host for nothing until the reader
 * presses play. Any other address is no player (the link stays a link).
 */
#ifndef JIXIA_VIDEO_H
#define JIXIA_VIDEO_H

#include "util.h"

/*
 * Appends to out the embeddable player's URL for the video at url
 * (https://www.youtube-nocookie.com/embed/ID, https://player.bilibili.com/
 * player.html?bvid=ID, https://player.vimeo.com/video/ID; autoplay on, as
 * the reader has just pressed play) and returns the host's name
 * ("YouTube"); returns NULL, appending nothing, for any other address or an
 * id that is not of the host's form.
 */
const char *video_player(struct buf *out, const char *url);

#endif
