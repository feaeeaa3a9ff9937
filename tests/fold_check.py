#!/usr/bin/env python3
"""Every BMP code point's NTFS upcase (Unicode simple uppercase mapping) as the library folds
it, against Python's own Unicode data. Usage: fold_check.py PATH_TO_fold_dump"""
import subprocess
import sys
import unicodedata


def simple_upper(c):
    # str.upper() is the full mapping ('ß' -> 'SS'); where that is several characters the
    # simple mapping is the titlecase one when single (Greek with ypogegrammeni), else none.
    for candidate in (c.upper(), c.title()):
        if len(candidate) == 1:
            return ord(candidate)
    return ord(c)


def main():
    out = subprocess.run([sys.argv[1]], capture_output=True, text=True, check=True).stdout
    got = {int(a, 16): int(b, 16) for a, b in (line.split() for line in out.splitlines())}
    want = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        upper = simple_upper(chr(code))
        if upper != code and upper <= 0xFFFF:
            want[code] = upper
    wrong = sorted(set(got.items()) ^ set(want.items()))
    print(f"Unicode {unicodedata.unidata_version}: {len(want)} code points upcase, {len(wrong)} differences")
    for code, _ in wrong[:20]:
        print(f"  U+{code:04X}: library U+{got.get(code, code):04X}, Unicode U+{want.get(code, code):04X}")
    # The cases the issue names, spelled out.
    for lower, upper in (("â", "Â"), ("ſ", "S"), ("ı", "I"), ("ς", "Σ"), ("ÿ", "Ÿ")):
        if got.get(ord(lower)) != ord(upper):
            print(f"  {lower} does not fold to {upper}")
            return 1
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
