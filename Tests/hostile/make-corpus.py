#!/usr/bin/env python3
"""Makes reel's hostile corpus in DIR and writes DIR/cases.json, one case per entry:

    {"name": ..., "args": [reel arguments, paths relative to DIR],
     "exit": expected exit code, "message": text the one `reel:` line must contain,
     "output": the file the case would write (must not exist afterwards unless exit is 0)}

Inputs are made with the ffmpeg CLI and plain Python, small so every case runs in about a
second: media truncated at many offsets and corrupted in the middle, forged sizes and
durations, binary, huge, nested and flooded subtitles, plans with wrong types, NaN/Inf/huge
numbers and unknown keys, special files (FIFO, directory, device, symlink loop) as every
kind of input, fonts and images that are not, and hostile flag values.
Tests/ReelCLITests/HostileCorpusTests.swift runs every case and checks what reel left behind.

Usage: make-corpus.py DIR
"""
import json
import os
import random
import struct
import subprocess
import sys
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
os.chdir(out)
rng = random.Random(18)
cases = []
FAST = ["--size", "144x256", "--preset", "ultrafast", "--quiet"]


def case(name, args, exit, message, output="out.mp4", fast=True):
    if fast and args and args[0] == "render":
        args = args + FAST
    cases.append({"name": name, "args": args, "exit": exit, "message": message, "output": output})


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def write(name, data):
    with open(name, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


# --- media --------------------------------------------------------------------------------
ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30:duration=6", "-f", "lavfi", "-i",
       "sine=f=440:duration=6", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-c:a", "aac",
       "-movflags", "+faststart", "rec.mp4")
ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30:duration=6", "-c:v", "libx264",
       "-preset", "ultrafast", "-g", "15", "rec-moov-at-end.mp4")
ffmpeg("-f", "lavfi", "-i", "color=c=green:size=96x96:rate=30:duration=6", "-c:v", "libx264",
       "-preset", "ultrafast", "-g", "15", "-movflags", "+faststart", "presenter.mp4")
ffmpeg("-f", "lavfi", "-i", "sine=f=220:duration=6", "-c:a", "aac", "voice.m4a")
ffmpeg("-f", "lavfi", "-i", "sine=f=330:duration=3", "-c:a", "libvorbis", "music.ogg")
ffmpeg("-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1", "sticker.png")
write("subs.srt", "1\n00:00:00,500 --> 00:00:02,000\n你好\nHello\n")
write("en.srt", "1\n00:00:00,500 --> 00:00:02,000\nHello\n")
rec = open("rec.mp4", "rb").read()
tail = open("rec-moov-at-end.mp4", "rb").read()
presenter = open("presenter.mp4", "rb").read()

# Truncations at many offsets: with moov first the picture stops early (refused as
# truncated); with moov last any cut loses the index.
for pct in (1, 5, 10, 20, 30, 40, 50, 60, 70):
    n = len(rec) * pct // 100
    write(f"trunc-{pct}.mp4", rec[:n])
    case(f"truncated recording at {pct}%", ["render", f"trunc-{pct}.mp4", "-o", "out.mp4"], 65, f"trunc-{pct}.mp4")
for pct in (10, 50, 90, 99):
    write(f"trunc-tail-{pct}.mp4", tail[: len(tail) * pct // 100])
    case(f"truncated recording (moov at end) at {pct}%", ["render", f"trunc-tail-{pct}.mp4", "-o", "out.mp4"], 65, f"trunc-tail-{pct}.mp4")
for pct in (20, 50):
    write(f"trunc-presenter-{pct}.mp4", presenter[: len(presenter) * pct // 100])
    case(f"truncated presenter at {pct}%", ["render", "rec.mp4", "--presenter", f"trunc-presenter-{pct}.mp4", "-o", "out.mp4"],
         65, "trunc-presenter")
write("empty.mp4", b"")
case("empty recording", ["render", "empty.mp4", "-o", "out.mp4"], 65, "empty file")
write("text.mp4", "this is not a video\n" * 50)
case("text named .mp4", ["render", "text.mp4", "-o", "out.mp4"], 65, "not a readable media file")
write("random.mp4", bytes(rng.getrandbits(8) for _ in range(20000)))
case("random bytes named .mp4", ["render", "random.mp4", "-o", "out.mp4"], 65, "not a readable media file")
write("nul.mp4", b"\0" * 20000)
case("NUL bytes named .mp4", ["render", "nul.mp4", "-o", "out.mp4"], 65, "not a readable media file")

# Absurd timestamps: frames after the tenth jump 100 000 s ahead (a 28-hour timeline).
ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30:duration=1", "-vf", "setpts='PTS+gte(N\\,10)*100000/TB'",
       "-c:v", "libx264", "-preset", "ultrafast", "-fps_mode", "passthrough", "gap.mkv")
case("timestamps jumping 100 000 s", ["render", "gap.mkv", "-o", "out.mp4"], 65, "--limit duration")
# Corrupt middles: libav conceals damaged packets, so these render; the case checks that
# nothing else happens (no crash, no hang, inputs unchanged).
for i, n in enumerate((64, 4096)):
    data = bytearray(rec)
    mid = len(data) // 2
    data[mid:mid + n] = bytes(rng.getrandbits(8) for _ in range(n))
    write(f"corrupt-{i}.mp4", bytes(data))
    case(f"{n} random bytes in the middle of the recording", ["render", f"corrupt-{i}.mp4", "-o", "out.mp4"], 0, "")

def png(width, height, rows=b""):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")

# Decompression bombs: a header claiming 64 megapixels (over the image-pixels limit, refused
# before decoding) and one beyond what libav accepts at all.
write("bomb.png", png(8000, 8000, b"\0" * 1000))
case("PNG bomb as sticker", ["render", "rec.mp4", "--sticker", "image=bomb.png,layer=canvas", "-o", "out.mp4"], 65, "--limit image-pixels")
case("PNG bomb as presenter", ["render", "rec.mp4", "--presenter", "bomb.png", "-o", "out.mp4"], 65, "--limit image-pixels")
write("bomb-huge.png", png(60000, 60000, b"\0" * 1000))
case("PNG of 60000x60000 as sticker", ["render", "rec.mp4", "--sticker", "image=bomb-huge.png,layer=canvas", "-o", "out.mp4"], 65, "bomb-huge.png")
write("notimage.png", "not an image\n")
case("text named .png as sticker", ["render", "rec.mp4", "--sticker", "image=notimage.png,layer=canvas", "-o", "out.mp4"], 65, "notimage.png")
write("notfont.ttf", "not a font\n" * 10)
case("text named .ttf as --font-zh", ["render", "rec.mp4", "--subtitles", "subs.srt", "--font-zh", "./notfont.ttf", "-o", "out.mp4"], 65, "notfont.ttf")
case("text named .ttf as sticker font", ["render", "rec.mp4", "--sticker", "text=AI,layer=canvas,font=./notfont.ttf", "-o", "out.mp4"], 65, "notfont.ttf")

# --- subtitles ----------------------------------------------------------------------------
write("binary.srt", bytes(rng.getrandbits(8) for _ in range(5000)))
case("binary subtitles", ["render", "rec.mp4", "--subtitles", "binary.srt", "-o", "out.mp4"], 65, "binary.srt")
write("nul.srt", "1\n00:00:00,000 --> 00:00:01,000\nA\0B\n".encode())
write("long-zh.srt", "1\n00:00:00,000 --> 00:00:01,000\n" + "汉" * 50000 + "\n")
case("one cue of 50 000 Chinese characters", ["render", "rec.mp4", "--subtitles", "long-zh.srt", "-o", "out.mp4"], 65, "limit")
write("long-word.srt", "1\n00:00:00,000 --> 00:00:01,000\n" + "a" * 50000 + "\n")
case("one 50 000-letter English word", ["render", "rec.mp4", "--subtitles", "long-word.srt", "-o", "out.mp4"], 65, "limit")
write("combining.srt", "1\n00:00:00,000 --> 00:00:01,000\na" + "\u0301" * 20000 + "\n")
case("combining-mark flood (one character, 20 000 code points)", ["render", "rec.mp4", "--subtitles", "combining.srt", "-o", "out.mp4"], 65, "limit")
write("rtl.srt", "1\n00:00:00,000 --> 00:00:01,000\n" + "\u202e\u05d0\u0628" * 4000 + "\n")
case("RTL override flood", ["render", "rec.mp4", "--subtitles", "rtl.srt", "-o", "out.mp4"], 65, "limit")
ass = ("[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
       "Dialogue: 0,0:00:00.00,0:00:01.50,Default,,0,0,0,," + "{\\b1" * 3000 + "x" + "}" * 3000 + "\n")
write("nested.ass", ass)
case("3 000 nested ASS override tags", ["render", "rec.mp4", "--subtitles", "nested.ass", "-o", "out.mp4"], 65, "nested.ass")
write("many.srt", "".join(f"{i}\n00:00:00,000 --> 00:00:01,000\nx\n\n" for i in range(1, 60002)))
case("60 000 cues", ["render", "rec.mp4", "--subtitles", "many.srt", "-o", "out.mp4"], 65, "cues")
write("badtime.srt", "1\n99:99:99,999 --> 00:00:01,000\nx\n")
case("subtitle end before start", ["render", "rec.mp4", "--subtitles", "badtime.srt", "-o", "out.mp4"], 65, "badtime.srt")
write("huge-time.srt", "1\n00:00:00,000 --> 99999999999999999999:00:00,000\nx\n")
case("subtitle time of 10^20 hours", ["render", "rec.mp4", "--subtitles", "huge-time.srt", "-o", "out.mp4"], 65, "huge-time.srt")

# --- plans --------------------------------------------------------------------------------
def plan(name, text, code, message, extra=()):
    write(name, text)
    case(f"plan {name}", ["render", name, "-o", "out.mp4", *extra], code, message)

plan("p-type.yaml", "source: rec.mp4\nfps: thirty\n", 65, "fps")
plan("p-list.yaml", "source: [rec.mp4]\n", 65, "source")
plan("p-unknown.yaml", "source: rec.mp4\npresenter: {file: presenter.mp4, maks: circle}\n", 65, "presenter.maks")
plan("p-nan-scale.yaml", "source: rec.mp4\npresenter: {file: presenter.mp4, scale: .nan}\n", 65, "presenter.scale")
plan("p-inf-start.yaml", "source: rec.mp4\npresenter: {file: presenter.mp4, start: .inf}\n", 65, "presenter.start")
plan("p-huge-fps.yaml", "source: rec.mp4\nfps: 9223372036854775807\n", 65, "p-huge-fps.yaml: fps 9223372036854775807")
plan("p-toobig-int.yaml", "source: rec.mp4\ncrf: 99999999999999999999999\n", 65, "crf")
plan("p-neg-threads.yaml", "source: rec.mp4\nthreads: -1\n", 65, "threads")
plan("p-duck-nan.yaml", "source: rec.mp4\naudio: {duck: .nan}\n", 65, "audio.duck")
plan("p-loud.yaml", "source: rec.mp4\naudio: {loudness: 1e308}\n", 65, "audio.loudness")
plan("p-edit-nan.yaml", "source: rec.mp4\nedit: [{from: .nan, to: 2}]\n", 65, "edit")
plan("p-edit-huge.yaml", "source: rec.mp4\nedit: [{from: 0, to: 1e300}]\n", 65, "edit")
plan("p-edit-range.yaml", "source: rec.mp4\nedit: [{from: 5, to: 1}]\n", 65, "p-edit-range.yaml")
plan("p-seam.yaml", "source: rec.mp4\nlayout: {seam: 9223372036854775807}\n", 65, "layout.seam")
plan("p-box.yaml", "source: rec.mp4\nlayout: {presenter_box: [0, 0, 9223372036854775807, 10]}\n", 65, "presenter_box")
plan("p-zoom.yaml", "source: rec.mp4\nhook: {start: 1, zoom: .inf}\n", 65, "hook.zoom")
plan("p-hook-nan.yaml", "source: rec.mp4\nhook: {start: .nan}\n", 65, "hook")
plan("p-size-zh.yaml", "source: rec.mp4\nsubtitles: {file: subs.srt, size_zh: 100000}\n", 65, "subtitles.size_zh")
plan("p-outline.yaml", "source: rec.mp4\nstickers: [{text: AI, layer: canvas, outline: 1e6}]\n", 65, "outline")
plan("p-focus.yaml", "source: rec.mp4\npresenter: {file: presenter.mp4, focus: [.nan, 0.5]}\n", 65, "presenter.focus")
plan("p-nosource.yaml", "output: out.mp4\n", 65, "source")
plan("p-binary.yaml", "source: rec.mp4\n\0\0\xff\xfe", 65, "p-binary.yaml")
plan("p-badjson.json", "{\"source\": \"rec.mp4\",", 65, "p-badjson.json")
plan("p-alias-values.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nsource: rec.mp4\n", 65, "")
write("p-output-is-plan.yaml", "source: rec.mp4\noutput: p-output-is-plan.yaml\n")
case("plan whose output is the plan itself", ["render", "p-output-is-plan.yaml", "--force"], 64, "input", output="")
write("p-output-is-source.yaml", "source: rec.mp4\noutput: ./rec.mp4\n")
case("plan whose output is its source", ["render", "p-output-is-source.yaml", "--force"], 64, "input", output="")

# --- special files as every kind of input -------------------------------------------------
os.mkfifo("fifo")
os.mkdir("folder")
os.symlink("loop-b", "loop-a")
os.symlink("loop-a", "loop-b")
specials = {"FIFO": ("fifo", "FIFO"), "directory": ("folder", "directory"), "device": ("/dev/zero", "device"),
            "symlink loop": ("loop-a", "loop")}
kinds = {
    "recording": lambda f: ["render", f],
    "presenter": lambda f: ["render", "rec.mp4", "--presenter", f],
    "voice": lambda f: ["render", "rec.mp4", "--voice", f],
    "music": lambda f: ["render", "rec.mp4", "--music", f],
    "subtitles": lambda f: ["render", "rec.mp4", "--subtitles", f],
    "English subtitles": lambda f: ["render", "rec.mp4", "--subtitles", "subs.srt", "--subtitles-en", f],
    "Chinese font": lambda f: ["render", "rec.mp4", "--subtitles", "subs.srt", "--font-zh", "./" + f if not f.startswith("/") else f],
    "English font": lambda f: ["render", "rec.mp4", "--subtitles", "subs.srt", "--font-en", "./" + f if not f.startswith("/") else f],
    "sticker image": lambda f: ["render", "rec.mp4", "--sticker", f"image={f},layer=canvas"],
    "sticker font": lambda f: ["render", "rec.mp4", "--sticker", f"text=AI,layer=canvas,font={'./' + f if not f.startswith('/') else f}"],
    "probe": lambda f: ["probe", f],
    "hash": lambda f: ["hash", f],
    "sheet": lambda f: ["sheet", f],
}
for label, (path, word) in specials.items():
    for kind, make in kinds.items():
        args = make(path)
        output = "out.png" if kind == "sheet" else "out.mp4"
        if args[0] in ("render", "sheet"):
            args += ["-o", output]
        case(f"{label} as {kind}", args, 65, word, output=output)
    # A plan that is special, and a plan whose source is.
    linkname = f"special-{word}.yaml"
    if not os.path.exists(linkname):
        os.symlink(path if path.startswith("/") else path, linkname)
    case(f"{label} as the plan", ["render", linkname, "-o", "out.mp4"], 65, word)
    write(f"plan-source-{word}.yaml", f"source: {path}\n")
    case(f"{label} as the plan's source", ["render", f"plan-source-{word}.yaml", "-o", "out.mp4"], 65, word)
    write(f"plan-subs-{word}.yaml", f"source: rec.mp4\nsubtitles: {path}\n")
    case(f"{label} as the plan's subtitles", ["render", f"plan-subs-{word}.yaml", "-o", "out.mp4"], 65, word)

# --- outputs that are not regular files ---------------------------------------------------
case("-o /dev/null with --force", ["render", "rec.mp4", "-o", "/dev/null", "--force"], 73, "regular", output="")
case("-o a FIFO with --force", ["render", "rec.mp4", "-o", "fifo", "--force"], 73, "regular", output="")
case("-o a directory", ["render", "rec.mp4", "-o", "folder", "--force"], 73, "directory", output="")
case("-o a symlink loop", ["render", "rec.mp4", "-o", "loop-a", "--force"], 73, "loop", output="")
case("--frame-hashes /dev/null", ["render", "rec.mp4", "-o", "out.mp4", "--frame-hashes", "/dev/null", "--force"], 73, "regular")
case("output in a missing folder", ["render", "rec.mp4", "-o", "missing/out.mp4"], 73, "does not exist", output="missing/out.mp4")

# --- hostile flag values ------------------------------------------------------------------
flags = [
    ("--threads=-1", ["--threads=-1"], "--threads"),
    ("--crop Int.max", ["--crop", "9223372036854775807:0:100:100"], "--crop"),
    ("--crop -5", ["--crop", "-5:0:100:100"], "--crop"),
    ("--presenter-margin huge", ["--presenter", "presenter.mp4", "--presenter-margin", "9223372036854775807"], "--presenter-margin"),
    ("--presenter-scale nan", ["--presenter", "presenter.mp4", "--presenter-scale", "nan"], "--presenter-scale"),
    ("--presenter-start inf", ["--presenter", "presenter.mp4", "--presenter-start", "inf"], "--presenter-start"),
    ("--key-similarity nan", ["--presenter", "presenter.mp4", "--key", "green", "--key-similarity", "nan"], "--key-similarity"),
    ("--voice-start nan", ["--voice", "voice.m4a", "--voice-start", "nan"], "--voice-start"),
    ("--duck nan", ["--duck", "nan"], "--duck"),
    ("--music-volume -inf", ["--music", "music.ogg", "--music-volume=-inf"], "--music-volume"),
    ("--loudness 1e308", ["--loudness", "1e308"], "--loudness"),
    ("--hook-zoom nan", ["--hook", "1", "--hook-zoom", "nan"], "--hook-zoom"),
    ("--hook 1e308", ["--hook", "1e308"], "--hook"),
    ("--trim 0:1e308", ["--trim", "0:1e308"], "--trim"),
    ("--seam huge", ["--seam", "9223372036854775807"], "--seam"),
    ("--caption-margin huge", ["--caption-margin", "9223372036854775807"], "--caption-margin"),
    ("sticker outline=1e6", ["--sticker", "text=AI,layer=canvas,outline=1e6"], "outline"),
    ("sticker rotate=1e300", ["--sticker", "text=AI,layer=canvas,rotate=1e300"], "rotate"),
    ("--limit nonsense", ["--limit", "cues=-1"], "--limit"),
    ("--crf 1000", ["--crf", "1000"], "--crf"),
    ("--fps 0", ["--fps", "0"], "--fps"),
]
for label, extra, message in flags:
    case(label, ["render", "rec.mp4", "-o", "out.mp4", *extra], 64, message)
case("preview --at 1e308", ["preview", "rec.mp4", "--at", "1e308", "-o", "out.png"], 64, "--at", output="out.png")
case("preview --at nan", ["preview", "rec.mp4", "--at", "nan", "-o", "out.png"], 64, "--at", output="out.png")
write("\x1b[31mred.mp4", rec)
case("file name with a terminal escape", ["render", "\x1b[31mred.mp4", "-o", "out.mp4", "--trim", "9:10"], 64, "\\x1b[31mred.mp4")

with open("cases.json", "w") as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
print(f"{len(cases)} cases in {out}")
