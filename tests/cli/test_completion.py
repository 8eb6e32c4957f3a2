#!/usr/bin/env python3
"""The bash completion, driven by a real interactive bash on a pseudo-terminal: bash splits
the line into COMP_WORDS itself (at '=' too, COMP_WORDBREAKS), which is the part a test that
sets COMP_WORDS by hand would take for granted. A wrapper records COMPREPLY after each TAB.
Prints TAP. Usage: test_completion.py COMPLETION_FILE"""

import os
import pty
import select
import shutil
import sys
import tempfile
import time

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
PROMPT = "PROMPT-4f1c> "

LEVELS = [str(n) for n in range(1, 20)]
CASES = [
    # (typed line, check, description)
    ("slimcap read f.pcap --compress=", lambda r: r == LEVELS,
     "read --compress= offers the levels 1 to 19"),
    ("slimcap read f.pcap --compress=1", lambda r: r == ["1"] + [str(n) for n in range(10, 20)],
     "read --compress=1 offers 1 and 10 to 19"),
    ("slimcap live -i lo --compress=", lambda r: r == LEVELS,
     "live --compress= offers the levels"),
    ("slimcap -nr f.pcap --compress=", lambda r: r == LEVELS,
     "tcpdump-style -nr FILE --compress= offers the levels"),
    ("slimcap read f.pcap --compress ", lambda r: "19" not in r,
     "--compress followed by a space does not offer levels (the level needs '=')"),
    ("slimcap live --mode=", lambda r: r == ["ring", "socket"],
     "live --mode= offers ring and socket"),
    ("slimcap -i lo -Q ", lambda r: sorted(r) == ["in", "inout", "out"],
     "tcpdump-style -i lo -Q offers the live directions"),
    ("slimcap -", lambda r: {"-r", "-i", "-D", "--version"} <= set(r),
     "a flag as first word offers read's and live's flags"),
    ("slimcap stats --mo", lambda r: r == ["--mode"],
     "stats offers its own flags"),
    ("slimcap stats -Q ", lambda r: sorted(r) == ["in", "inout", "out"],
     "stats -Q offers the directions, as live does"),
    ("slimcap ", lambda r: r == ["read", "live", "stats", "fanout"],
     "the first word offers the subcommands"),
    ("slimcap fanout --cluster=",
     lambda r: sorted(r) == ["cpu", "flow2", "flow4", "hash", "lb", "qm", "random", "rollover",
                             "tcp5"],
     "fanout --cluster= offers the modes"),
    ("slimcap fanout -i lo -Q ", lambda r: sorted(r) == ["in", "inout", "out"],
     "fanout offers live's values (-Q directions)"),
    ("slimcap fanout --wo", lambda r: r == ["--workers"],
     "fanout offers its own flags"),
    ("slimcap fanout --immediate", lambda r: r == ["--immediate-mode"],
     "fanout offers live's flags"),
    ("slimcap live --sample", lambda r: r == ["--sample"],
     "live offers --sample, not fanout's --sample-flows"),
]


class Bash:
    def __init__(self, completion, workdir, record):
        self.record = record
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(workdir)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "dumb",
                   "HOME": workdir, "INPUTRC": "/dev/null", "PS1": PROMPT}
            os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)
        self.send(f"source {BASH_COMPLETION}; source {completion}\n")
        self.send("bind 'set bell-style none'; bind 'set show-all-if-ambiguous on'\n")
        # Record what the completion function leaves in COMPREPLY, one word a line.
        self.send("_slimcap_probe() { _slimcap \"$@\"; printf '%s\\n' \"${COMPREPLY[@]}\" "
                  f"> {record}.tmp; mv {record}.tmp {record}; }}; "
                  "complete -F _slimcap_probe slimcap\n")
        self.wait_prompt()

    def send(self, text):
        os.write(self.fd, text.encode())

    def read(self, seconds):
        out = b""
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    out += os.read(self.fd, 65536)
                except OSError:
                    break
        return out.decode(errors="replace")

    def wait_for(self, text, seconds=10):
        seen = ""
        end = time.time() + seconds
        while time.time() < end and text not in seen:
            seen += self.read(0.05)
        return text in seen

    def wait_prompt(self, seconds=10):
        marker = "DONE-" + str(time.time())
        self.send(f"echo {marker[:5]}''{marker[5:]}\n")
        return self.wait_for(marker, seconds)

    def complete(self, line, seconds=10):
        if os.path.exists(self.record):
            os.unlink(self.record)
        self.send(line + "\t")
        end = time.time() + seconds
        while time.time() < end and not os.path.exists(self.record):
            self.read(0.05)
        # Ctrl-C drops the line; the terminal discards what is typed before bash has handled it,
        # so wait for the new prompt before typing on.
        self.send("\x03")
        self.wait_for("^C\r\n" + PROMPT)
        self.wait_prompt()
        if not os.path.exists(self.record):
            return None
        with open(self.record) as f:
            return [w for w in f.read().split("\n") if w]

    def close(self):
        self.send("exit\n")
        self.read(0.2)
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def main():
    completion = os.path.abspath(sys.argv[1])
    print(f"1..{len(CASES)}")
    if not os.path.exists(BASH_COMPLETION) or shutil.which("bash") is None:
        for i, (_, _, name) in enumerate(CASES, 1):
            print(f"ok {i} - {name} # SKIP bash-completion is not installed")
        return 0
    failed = 0
    with tempfile.TemporaryDirectory(prefix="slimcap-completion.") as work:
        bash = Bash(completion, work, os.path.join(work, "compreply"))
        try:
            for i, (line, check, name) in enumerate(CASES, 1):
                reply = bash.complete(line)
                if reply is not None and check(reply):
                    print(f"ok {i} - {name}")
                else:
                    failed += 1
                    print(f"not ok {i} - {name}")
                    print(f"# '{line}<TAB>' gave COMPREPLY {reply}")
        finally:
            bash.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
