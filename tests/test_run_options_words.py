#!/usr/bin/env python3
"""split_shell_words against a reference: Python's shlex.split (POSIX mode, no comments) over
fixed cases and thousands of random strings of quotes, backslashes, white space and text.
Usage: test_run_options_words.py PATH_TO_batchmount_split_words"""
import json
import random
import shlex
import subprocess
import sys
import unittest

BINARY = None


def ours(texts):
    p = subprocess.run([BINARY], input=b"".join(t.encode() + b"\0" for t in texts), capture_output=True, check=True)
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


def reference(text):
    try:
        return shlex.split(text)
    except ValueError:
        return "error"


class Words(unittest.TestCase):
    FIXED = ["", "   ", "-v /a:/b", "-v '/a b:/c'", '-e "X=a b"', r'-e X=a\ b', r"a\\b", r'"a\"b"', r'"a\$b"',
             "''", "a ''", '""', "a'b'c", 'a"b"c', "'unbalanced", '"unbalanced', "trailing\\", "a\tb\nc\rd",
             "\\\n", r"'a\'", r'"\\"', "--mount type=bind,source=/a,target=/b", "-it --rm", "ä 'ü x'"]

    def check(self, texts):
        for text, got in zip(texts, ours(texts)):
            want = reference(text)
            if want == "error":
                self.assertIsInstance(got, dict, repr(text))
            else:
                self.assertEqual(got, want, repr(text))

    def test_fixed_cases(self):
        self.check(self.FIXED)

    def test_random_strings(self):
        rng = random.Random(20261202)
        alphabet = ["'", '"', "\\", " ", "\t", "\n", "a", "b", "-", "=", "/", ":", "$", "ä"]
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 24))) for _ in range(5000)]
        self.check(texts)


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
