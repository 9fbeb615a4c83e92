"""Write a demo film: text slides drawn on a canvas and recorded to WebM by Chromium, made from nothing.

    .venv/bin/python demo/content/make_demo_film.py \
        demo/content/ahus/documents/maltidet-som-miljotiltak.webm \
        demo/content/ahus/documents/maltidet-som-miljotiltak.vtt

Each cue of the captions file (WebVTT) becomes a slide shown for the cue's time: the page draws the
cue's text on a 640 × 360 canvas, and the browser's own MediaRecorder records the canvas
(``captureStream``) as VP8 in WebM, in real time. No encoder, camera or download is needed: Debian's
chromium, which the browser tests use, does it. The film has no sound; the captions and the page's
transcript carry its words.
"""

import base64
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CUE = re.compile(r"(\d+):(\d+):(\d+)\.(\d+) --> (\d+):(\d+):(\d+)\.(\d+)\n(.+?)(?:\n\n|\Z)", re.S)

RECORD_JS = """async (slides) => {
    const canvas = document.createElement("canvas");
    canvas.width = 640; canvas.height = 360;
    document.body.append(canvas);
    const context = canvas.getContext("2d");
    const end = Math.max(...slides.map(s => s.end));
    const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm;codecs=vp8"});
    const chunks = [];
    recorder.ondataavailable = event => chunks.push(event.data);
    const stopped = new Promise(resolve => recorder.onstop = resolve);
    const started = performance.now();
    function wrap(text) {
        const lines = [];
        let line = "";
        for (const word of text.split(/\\s+/)) {
            const next = line ? line + " " + word : word;
            if (context.measureText(next).width > 560 && line) { lines.push(line); line = word; }
            else line = next;
        }
        return line ? [...lines, line] : lines;
    }
    function draw() {
        const t = (performance.now() - started) / 1000;
        const slide = slides.find(s => t >= s.start && t < s.end) || slides[slides.length - 1];
        context.fillStyle = "#0b4f6c"; context.fillRect(0, 0, 640, 360);
        context.fillStyle = "#ffffff"; context.font = "28px sans-serif"; context.textBaseline = "top";
        const lines = wrap(slide.text);
        lines.forEach((line, i) => context.fillText(line, 40, 180 - lines.length * 20 + i * 40));
        if (t < end) requestAnimationFrame(draw); else recorder.stop();
    }
    recorder.start(500);
    draw();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, {type: "video/webm"}).arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
}"""


def seconds(h, m, s, ms):
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def slides(vtt_text):
    return [
        {"start": seconds(*cue[0:4]), "end": seconds(*cue[4:8]), "text": " ".join(cue[8].split())}
        for cue in CUE.findall(vtt_text)
    ]


if __name__ == "__main__":
    target, captions = Path(sys.argv[1]), Path(sys.argv[2])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        encoded = page.evaluate(RECORD_JS, slides(captions.read_text(encoding="utf-8")))
        browser.close()
    target.write_bytes(base64.b64decode(encoded))
    print(f"{target}: {target.stat().st_size} bytes")
