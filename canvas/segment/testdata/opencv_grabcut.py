#!/usr/bin/env python3
"""OpenCV's GrabCut for the segmentation's quality benchmark.

For every NAME-input.png in the folder given as the only argument, with its
box in NAME-box.txt ("x0 y0 x1 y1", the pixels x0 <= x < x1, y0 <= y < y1),
runs cv2.grabCut initialised with that rectangle for 5 iterations and writes
NAME-grabcut.png (white = object, definite or probable) and one line per
picture to times.txt: NAME SECONDS. The Go test scores the masks itself, so
both segmentations are measured by the same code.
"""
import glob
import os
import sys
import time

import cv2
import numpy as np

ITERATIONS = 5


def main(folder):
    lines = []
    for path in sorted(glob.glob(os.path.join(folder, "*-input.png"))):
        name = os.path.basename(path)[: -len("-input.png")]
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            sys.exit("cannot read %s" % path)
        with open(os.path.join(folder, name + "-box.txt")) as f:
            x0, y0, x1, y1 = (int(v) for v in f.read().split())
        mask = np.zeros(img.shape[:2], np.uint8)
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        start = time.perf_counter()
        cv2.grabCut(img, mask, (x0, y0, x1 - x0, y1 - y0), bgd, fgd, ITERATIONS, cv2.GC_INIT_WITH_RECT)
        seconds = time.perf_counter() - start
        out = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
        cv2.imwrite(os.path.join(folder, name + "-grabcut.png"), out)
        lines.append("%s %.4f\n" % (name, seconds))
    with open(os.path.join(folder, "times.txt"), "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main(sys.argv[1])
