#!/usr/bin/env python3
"""Draws the example's screen recording: Karpathy's post on a dark-mode X-like page,
1920x1080 at 30 fps, scrolled and highlighted in step with the narration.

A user's real recording scrolls at its own pace; this one follows the talk, so the line the
blogger is explaining is on screen (selected, as if dragged over with the mouse) while he
says it, and the hook's picture shows the sentence the hook is about.

    make-recording.py TWEET_TXT NARRATION_SRT DURATION OUT_RAW_COMMAND...

Writes raw rgb24 frames to stdout; make-example pipes them into ffmpeg. Deterministic:
no clock, no randomness. Needs numpy and Pillow.
"""
import re
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

W, H, FPS = 1920, 1080, 30
COLUMN_X, COLUMN_W = 644, 632          # the post column, between 1 px borders (X's layout)
PAD = 16                               # text inset inside the column
HEADER_H = 53                          # the column's sticky "Post" header
READ_Y = 235                           # where the line being explained is scrolled to
BODY_SIZE, LINE_H = 17, 25
WHITE, GREY, BORDER = (231, 233, 234), (113, 118, 123), (47, 51, 54)
BLUE = (29, 155, 240)
# X's text selection: blue behind the text; np.maximum keeps the white glyphs on top.
SELECTION = (18, 72, 112)

REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SC = 2                                 # the Simplified Chinese face in the collections


def font(size, bold=False):
    return ImageFont.truetype(BOLD if bold else REGULAR, size, index=SC)


# Per narration cue (1-based), the words of the post that cue explains: highlighted while
# the cue is spoken. None: nothing selected (the scroll position is kept).
CUE_TEXT = {
    1: None,
    2: "Andrej Karpathy",
    3: "Very impressed with Veo 3",
    4: "1. Video is the highest bandwidth input to brain.",
    5: "2. Video is the most easy/fun.",
    6: "3. The barrier to creating videos is -> 0.",
    7: "4. For the first time, video is directly optimizable.",
    8: "Until now, video has been all about indexing, ranking and serving a finite set of candidates that are (expensively) created by humans.",
    9: "The videos coming from Veo 3 and friends are the output of a neural network.",
    10: "This is a differentiable process.",
    11: "So now we can take e.g. engagement (or pupil dilations or etc.) and optimize generated videos directly against that.",
    12: "Imo, TikTok is nothing compared to what is possible.",
    13: "And I'm not so sure that we will like what \"optimal\" looks like.",
    14: "4:52 AM",
}


def read_cues(path):
    text = open(path, encoding="utf-8").read()
    cues = []
    for m in re.finditer(r"(\d+)\n(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)", text):
        n = int(m.group(1))
        g = [int(x) for x in m.groups()[1:]]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        cues.append((n, start, end))
    return cues


class Document:
    """The scrolling part of the column, drawn once: author row, the post's text, its
    time line and counters. Remembers where every word is, for the selection."""

    def __init__(self, tweet_path):
        lines = open(tweet_path, encoding="utf-8").read().split("\n")
        body = [l for l in lines[1:] if l.strip()]        # the first line names the post
        self.words = []                                    # (paragraph, char range, line box)
        body_font, bold, small = font(BODY_SIZE), font(17, True), font(15)
        height = 4000
        img = Image.new("RGB", (COLUMN_W, height), (0, 0, 0))
        d = ImageDraw.Draw(img)
        y = 14
        # Author row: avatar, name, handle, a follow button.
        d.ellipse((PAD, y, PAD + 40, y + 40), fill=(92, 74, 58))
        d.ellipse((PAD + 11, y + 7, PAD + 29, y + 25), fill=(224, 190, 160))
        d.ellipse((PAD + 4, y + 26, PAD + 36, y + 52), fill=(224, 190, 160))
        d.rectangle((PAD, y + 40, PAD + 40, y + 52), fill=(0, 0, 0))
        d.text((PAD + 52, y + 1), "Andrej Karpathy", font=bold, fill=WHITE)
        name_w = d.textlength("Andrej Karpathy", font=bold)
        # Things outside the post's text that a cue can select, by the words that name them.
        self.anchors = {"Andrej Karpathy": (PAD + 50, y - 1, PAD + 54 + name_w, y + 22)}
        d.text((PAD + 52, y + 21), "@karpathy", font=small, fill=GREY)
        d.rounded_rectangle((COLUMN_W - PAD - 78, y + 4, COLUMN_W - PAD, y + 36), radius=16, fill=WHITE)
        d.text((COLUMN_W - PAD - 63, y + 9), "Follow", font=font(15, True), fill=(15, 20, 25))
        y += 66
        # The post: paragraphs wrapped to the column; the numbered list keeps no gaps.
        self.paragraphs = []
        max_w = COLUMN_W - 2 * PAD
        for i, para in enumerate(body):
            listed = re.match(r"\d\. ", para) is not None
            nxt = body[i + 1] if i + 1 < len(body) else ""
            words = [(m.start(), m.end()) for m in re.finditer(r"\S+", para)]
            x = 0
            for (s, e) in words:
                w = d.textlength(para[s:e], font=body_font)
                if x > 0 and x + w > max_w:                 # wrap before a word that does not fit
                    y += LINE_H
                    x = 0
                d.text((PAD + x, y), para[s:e], font=body_font, fill=WHITE)
                self.words.append((len(self.paragraphs), s, e, (PAD + x, y, PAD + x + w, y + LINE_H)))
                x += w + d.textlength(" ", font=body_font)
            self.paragraphs.append(para)
            y += LINE_H
            if not (listed and re.match(r"\d\. ", nxt)) and not (para.endswith(":")):
                y += LINE_H * 3 // 4                       # paragraph gap
        y += 8
        stamp = "4:52 AM · May 27, 2025 · 1.2M Views"
        d.text((PAD, y), stamp, font=small, fill=GREY)
        self.anchors["4:52 AM"] = (PAD - 2, y - 2, PAD + d.textlength(stamp, font=small) + 2, y + 22)
        y += 34
        d.line((PAD, y, COLUMN_W - PAD, y), fill=BORDER)
        y += 14
        for k, label in enumerate(["612", "1.9K", "12K", "4.1K"]):
            cx = PAD + 20 + k * (COLUMN_W - 2 * PAD) // 4
            self.icon(d, k, cx, y + 10)
            d.text((cx + 16, y + 1), label, font=small, fill=GREY)
        y += 36
        d.line((PAD, y, COLUMN_W - PAD, y), fill=BORDER)
        y += 16
        d.ellipse((PAD, y, PAD + 40, y + 40), fill=(60, 70, 80))
        d.text((PAD + 54, y + 8), "Post your reply", font=font(19), fill=GREY)
        d.rounded_rectangle((COLUMN_W - PAD - 70, y + 4, COLUMN_W - PAD, y + 36), radius=16, fill=(120, 120, 120))
        d.text((COLUMN_W - PAD - 52, y + 9), "Reply", font=font(15, True), fill=(15, 20, 25))
        y += 56
        d.line((0, y, COLUMN_W, y), fill=BORDER)
        self.end = y
        self.height = y + H                                # room to scroll the end up
        self.pixels = np.asarray(img.crop((0, 0, COLUMN_W, self.height)), dtype=np.uint8).copy()

    @staticmethod
    def icon(d, kind, cx, cy):
        if kind == 0:     # reply: a speech bubble
            d.rounded_rectangle((cx - 9, cy - 7, cx + 7, cy + 5), radius=5, outline=GREY, width=2)
            d.polygon([(cx - 5, cy + 4), (cx - 7, cy + 9), (cx, cy + 4)], fill=GREY)
        elif kind == 1:   # repost: two bent arrows
            d.line((cx - 8, cy - 4, cx + 5, cy - 4), fill=GREY, width=2)
            d.polygon([(cx + 5, cy - 8), (cx + 9, cy - 4), (cx + 5, cy)], fill=GREY)
            d.line((cx - 5, cy + 5, cx + 8, cy + 5), fill=GREY, width=2)
            d.polygon([(cx - 5, cy + 1), (cx - 9, cy + 5), (cx - 5, cy + 9)], fill=GREY)
        elif kind == 2:   # like: a heart
            d.ellipse((cx - 8, cy - 7, cx, cy + 1), outline=GREY, width=2)
            d.ellipse((cx, cy - 7, cx + 8, cy + 1), outline=GREY, width=2)
            d.line((cx - 8, cy - 2, cx, cy + 8, cx + 8, cy - 2), fill=GREY, width=2)
        else:             # bookmark
            d.line((cx - 6, cy - 8, cx + 6, cy - 8, cx + 6, cy + 8, cx, cy + 3, cx - 6, cy + 8, cx - 6, cy - 8),
                   fill=GREY, width=2)

    def boxes(self, phrase):
        """Line boxes (document coordinates) of the words making up `phrase`."""
        if phrase in self.anchors:
            return [self.anchors[phrase]]
        for p, para in enumerate(self.paragraphs):
            at = para.find(phrase)
            if at < 0:
                continue
            hit = [b for (q, s, e, b) in self.words if q == p and s < at + len(phrase) and e > at]
            rows = {}
            for (x0, y0, x1, y1) in hit:
                r = rows.setdefault(y0, [x0, y0, x1, y1])
                r[0], r[2] = min(r[0], x0), max(r[2], x1)
            return [tuple(r) for _, r in sorted(rows.items())]
        raise SystemExit(f"make-recording: '{phrase}' is not in the post")


def ease(u):
    u = min(1.0, max(0.0, u))
    return u * u * (3 - 2 * u)


def page_background():
    """Everything that does not scroll: the left navigation, the column's borders and
    sticky header, the right sidebar."""
    img = Image.new("RGB", (W, H), (0, 0, 0))
    d = ImageDraw.Draw(img)
    nav = font(20)
    d.text((452, 14), "X", font=font(34, True), fill=WHITE)
    for k, item in enumerate(["Home", "Explore", "Notifications", "Messages", "Grok", "Bookmarks",
                              "Communities", "Premium", "Profile", "More"]):
        y = 78 + k * 56
        d.rounded_rectangle((452, y + 4, 472, y + 24), radius=5, outline=WHITE, width=2)
        d.text((490, y), item, font=font(20, item == "Home") if item == "Home" else nav, fill=WHITE)
    d.rounded_rectangle((452, 660, 620, 712), radius=26, fill=BLUE)
    d.text((512, 672), "Post", font=font(18, True), fill=(255, 255, 255))
    d.line((COLUMN_X - 1, 0, COLUMN_X - 1, H), fill=BORDER)
    d.line((COLUMN_X + COLUMN_W, 0, COLUMN_X + COLUMN_W, H), fill=BORDER)
    d.text((COLUMN_X + 16, 12), "←", font=font(22), fill=WHITE)
    d.text((COLUMN_X + 70, 12), "Post", font=font(21, True), fill=WHITE)
    d.line((COLUMN_X, HEADER_H - 1, COLUMN_X + COLUMN_W - 1, HEADER_H - 1), fill=BORDER)
    sx = COLUMN_X + COLUMN_W + 30
    d.rounded_rectangle((sx, 8, sx + 350, 50), radius=21, fill=(32, 35, 39))
    d.text((sx + 44, 17), "Search", font=font(16), fill=GREY)
    d.rounded_rectangle((sx, 70, sx + 350, 260), radius=16, outline=BORDER, width=1)
    d.text((sx + 16, 82), "Relevant people", font=font(20, True), fill=WHITE)
    d.ellipse((sx + 16, 126, sx + 56, 166), fill=(92, 74, 58))
    d.text((sx + 66, 126), "Andrej Karpathy", font=font(16, True), fill=WHITE)
    d.text((sx + 66, 148), "@karpathy", font=font(15), fill=GREY)
    for k, row in enumerate(["Building @EurekaLabsAI. Previously", "Director of AI @ Tesla, founding", "team @ OpenAI."]):
        d.text((sx + 16, 178 + k * 22), row, font=font(15), fill=WHITE)
    d.rounded_rectangle((sx, 280, sx + 350, 620), radius=16, outline=BORDER, width=1)
    d.text((sx + 16, 292), "What's happening", font=font(20, True), fill=WHITE)
    for k, (topic, count) in enumerate([("Technology · Trending", "Veo 3"), ("AI · Trending", "#aivideo"),
                                        ("Trending", "Gradient descent"), ("Technology · Trending", "Video generation")]):
        y = 336 + k * 68
        d.text((sx + 16, y), topic, font=font(13), fill=GREY)
        d.text((sx + 16, y + 20), count, font=font(16, True), fill=WHITE)
    return np.asarray(img, dtype=np.uint8).copy()


def main():
    tweet, srt, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
    doc = Document(tweet)
    cues = read_cues(srt)
    base = page_background()
    view_h = H - HEADER_H
    max_scroll = doc.end + 40 - view_h // 2

    def scroll_for(boxes):
        mid = (boxes[0][1] + boxes[-1][3]) / 2
        return min(max_scroll, max(0.0, mid - (READ_Y - HEADER_H)))

    # Scroll targets and selections per cue; a cue with nothing to select keeps the scroll.
    plan, scroll = [], 0.0
    for (n, start, end) in cues:
        phrase = CUE_TEXT.get(n)
        boxes = doc.boxes(phrase) if phrase else []
        target = scroll_for(boxes) if boxes else scroll
        plan.append((start, end, scroll, target, boxes))
        scroll = target

    out = sys.stdout.buffer
    frames = int(round(duration * FPS))
    for f in range(frames):
        t = f / FPS
        s, boxes, reveal = 0.0, [], 0.0
        for (start, end, before, target, b) in plan:
            if t >= start - 1.0:
                # Scrolled and selected just before the cue is spoken (the scroll over 0.6 s,
                # then the selection dragged across the words in 0.35 s), so the picture is
                # settled when the cue starts: a hook cut there opens on it.
                s = before + (target - before) * ease((t - start + 1.0) / 0.6)
                boxes, reveal = b, ease((t - start + 0.4) / 0.35)
        top = int(round(s))
        frame = base.copy()
        view = doc.pixels[top:top + view_h].copy()
        if boxes and reveal > 0:
            total = sum(x1 - x0 for (x0, _, x1, _) in boxes)
            left = reveal * total
            for (x0, y0, x1, y1) in boxes:
                if left <= 0:
                    break
                w = min(x1 - x0, left)
                left -= w
                r0, r1 = int(y0) - top - 1, int(y1) - top + 1
                c0, c1 = int(x0) - 2, int(x0 + w) + 2
                r0, r1 = max(0, r0), min(view_h, r1)
                if r1 > r0:
                    view[r0:r1, c0:c1] = np.maximum(view[r0:r1, c0:c1], np.array(SELECTION, dtype=np.uint8))
        frame[HEADER_H:H, COLUMN_X:COLUMN_X + COLUMN_W] = view
        out.write(frame.tobytes())


if __name__ == "__main__":
    main()
