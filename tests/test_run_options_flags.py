#!/usr/bin/env python3
"""The table of docker create flags (include/batchmount/run_options/flags.hpp) against `docker
create --help` of every docker CLI on PATH: each flag the help lists is in the table, with its
one-letter form and whether it takes a value. Exit 77 (skipped) without a docker CLI, unless
CI=true. Usage: test_run_options_flags.py PATH_TO_flags.hpp"""
import os
import re
import shutil
import subprocess
import sys
import unittest

TABLE = None


def table():
    with open(TABLE) as f:
        rows = re.findall(r'\{"([\w-]+)", (0|\'\w\'), (true|false)\}', f.read())
    return {name: (None if short == "0" else short.strip("'"), value == "true") for name, short, value in rows}


def help_flags(docker):
    out = subprocess.run([docker, "create", "--help"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"^  (?:-(\w), )?\s*--([\w-]+)(?: (\S+))?(?:\s{2,}|$)", line)
        if m:
            found[m.group(2)] = (m.group(1), m.group(3) is not None)
    return found


def clis():
    seen, out = set(), []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(d, "docker")
        if os.access(path, os.X_OK) and os.path.realpath(path) not in seen:
            seen.add(os.path.realpath(path))
            out.append(path)
    return out


class Flags(unittest.TestCase):
    def test_every_listed_flag_is_in_the_table(self):
        ours = table()
        self.assertGreater(len(ours), 90)
        for docker in clis():
            listed = help_flags(docker)
            self.assertGreater(len(listed), 80, docker)
            for name, spec in listed.items():
                self.assertIn(name, ours, f"{docker}: --{name}")
                self.assertEqual(ours[name], spec, f"{docker}: --{name}")

    def test_the_table_is_sorted_and_letters_are_unique(self):
        with open(TABLE) as f:
            names = re.findall(r'\{"([\w-]+)", ', f.read())
        self.assertEqual(names, sorted(names))
        letters = [s for s, _ in table().values() if s]
        self.assertEqual(len(letters), len(set(letters)))


if __name__ == "__main__":
    TABLE = sys.argv.pop(1)
    if not clis():
        if os.environ.get("CI") == "true":
            print("FAIL: no docker CLI on PATH (CI=true: the flag table must be compared)")
            sys.exit(1)
        print("SKIP: no docker CLI on PATH")
        sys.exit(77)
    unittest.main(verbosity=2)
