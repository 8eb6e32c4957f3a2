"""Counts test results from meson's testlog.json and prints "N passed, N failed".

A doctest executable counts its test cases (from its "[doctest] test cases:" line), a TAP
test its "ok"/"not ok" lines; any other test counts once. Skipped checks are reported apart.
"""
import json
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed \|\s*(\d+) skipped")
TAP = re.compile(r"^(not ok|ok)\b.*?(# SKIP.*)?$", re.MULTILINE)


def main(path):
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
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
