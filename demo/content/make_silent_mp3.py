"""Write the demo podcast's audio: a few seconds of silent MPEG-1 Layer III, made from nothing.

    python3 demo/content/make_silent_mp3.py demo/content/sentral/documents/samhandlingspodden-1.mp3 3

Each frame is 96 bytes: the header FF FB 14 C0 (MPEG-1, Layer III, no CRC, 32 kbit/s, 48 kHz, no
padding, mono) and 92 zero bytes. Zero side information means no Huffman data, which a decoder
plays as 1152 samples of silence (24 ms at 48 kHz). No encoder, recording or download is needed,
and the file is what a podcast app and the browser's <audio> accept as audio/mpeg.
kompetanse.factories.SILENT_MP3_SECOND is the same frame, for the tests.
"""

import sys
from pathlib import Path

FRAME = b"\xff\xfb\x14\xc0" + bytes(92)
SAMPLES_PER_FRAME = 1152
SAMPLE_RATE = 48_000


def silent_mp3(seconds):
    frames = round(seconds * SAMPLE_RATE / SAMPLES_PER_FRAME)
    return FRAME * frames


if __name__ == "__main__":
    target, seconds = Path(sys.argv[1]), float(sys.argv[2])
    target.write_bytes(silent_mp3(seconds))
    print(f"{target}: {seconds:g} s, {target.stat().st_size} bytes")
