"""Counts test results from meson's testlog.json files and prints "N passed, N failed".

A doctest executable counts its test cases (from its "[doctest] test cases:" line), a TAP
test its "ok"/"not ok" lines; any other test counts once. Skipped checks are reported apart.
Several logs (the main build's and the sanitizer build's) add up; each "--failed NAME" counts
one failure that left no log (a build that failed).

Usage: summarize.py TESTLOG.json... [--failed NAME]...
"""
import json
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed \|\s*(\d+) skipped")
TAP = re.compile(r"^(not ok|ok)\b.*?(# SKIP.*)?$", re.MULTILINE)


def count(path):
    """(passed, failed, skipped) of one testlog.json."""
    passed = failed = skipped = 0
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            output = test.get("stdout") or ""
            ok = test.get("result") in ("OK", "EXPECTEDFAIL")
            doctest = DOCTEST.findall(output)
            taps = TAP.findall(output)
            if doctest:
                total, p, f, s = map(int, doctest[-1])
                passed += p
                failed += f
                skipped += s
                if not ok and f == 0:  # crashed or timed out after the summary
                    failed += 1
            elif taps:
                for verdict, skip in taps:
                    if skip:
                        skipped += 1
                    elif verdict == "ok":
                        passed += 1
                    else:
                        failed += 1
                if not ok and not any(v == "not ok" for v, _ in taps):
                    failed += 1
            elif test.get("result") == "SKIP":
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


def main(args):
    passed = failed = skipped = 0
    while args:
        arg = args.pop(0)
        if arg == "--failed" and args:
            print(f"failed: {args.pop(0)} (no test log)")
            failed += 1
            continue
        p, f, s = count(arg)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
