#!/usr/bin/env python3
"""OpenCV's two classical fills for the engine's natural-photo benchmark.

For every NAME-input.png (the photo with its hole painted black) and
NAME-mask.png (white = hole) in the folder given as the only argument, writes
NAME-telea.png and NAME-ns.png (cv2.inpaint, radius 3) and one line per fill
to times.txt: NAME METHOD SECONDS, the best of three runs of cv2.inpaint alone
(no file input or output). The Go benchmark scores the pictures itself, so
the three fills are measured by the same code.
"""
import glob
import os
import sys
import time

import cv2

RADIUS = 3


def main(folder):
    lines = []
    for path in sorted(glob.glob(os.path.join(folder, "*-input.png"))):
        name = os.path.basename(path)[: -len("-input.png")]
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        mask = cv2.imread(os.path.join(folder, name + "-mask.png"), cv2.IMREAD_GRAYSCALE)
        if img is None or mask is None:
            sys.exit("cannot read %s or its mask" % path)
        for method, flag in (("telea", cv2.INPAINT_TELEA), ("ns", cv2.INPAINT_NS)):
            best = None
            for _ in range(3):
                start = time.perf_counter()
                out = cv2.inpaint(img, mask, RADIUS, flag)
                took = time.perf_counter() - start
                best = took if best is None else min(best, took)
            cv2.imwrite(os.path.join(folder, "%s-%s.png" % (name, method)), out)
            lines.append("%s %s %.6f\n" % (name, method, best))
    with open(os.path.join(folder, "times.txt"), "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: opencv_fill.py FOLDER")
    main(sys.argv[1])
