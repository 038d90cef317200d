#!/usr/bin/python3
"""Registers or removes the capability shim in dockerd's daemon.json.

  daemon-json.py install PATH RUNTIME SHIM
      add RUNTIME (path SHIM) and make it the default; refuse (exit 3) when
      another default runtime is already set: that is someone else's choice,
      and replacing it would run every container of this host through ours.
      The file as it was is kept beside it, PATH.podmates-orig, once.
  daemon-json.py uninstall PATH RUNTIME
      put PATH back as it was before install (from PATH.podmates-orig, or
      without the file when there was none), or, with no copy, remove RUNTIME
      and a default that names it.

Every write is atomic (a temporary file renamed over PATH).
"""

import json
import os
import sys

ORIG_SUFFIX = ".podmates-orig"
# Written into the copy when there was no daemon.json: uninstall removes the file.
NO_FILE = "{}  # podmates: there was no daemon.json\n"


def load(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return {}
    with open(path) as f:
        return json.load(f)


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def install(path, runtime, shim):
    cfg = load(path)
    current = cfg.get("default-runtime")
    if current not in (None, "runc", runtime):
        print(f"{path} makes '{current}' dockerd's default runtime: not replacing it with '{runtime}'. "
              f"Remove that setting yourself if the shim should take its place.", file=sys.stderr)
        return 3
    if not os.path.exists(path + ORIG_SUFFIX):
        if os.path.exists(path):
            with open(path) as f:
                write(path + ORIG_SUFFIX, f.read())
        else:
            write(path + ORIG_SUFFIX, NO_FILE)
    cfg.setdefault("runtimes", {})[runtime] = {"path": shim}
    cfg["default-runtime"] = runtime
    write(path, json.dumps(cfg, indent=2) + "\n")
    return 0


def uninstall(path, runtime):
    orig = path + ORIG_SUFFIX
    if os.path.exists(orig):
        with open(orig) as f:
            text = f.read()
        if text == NO_FILE:
            if os.path.exists(path):
                os.remove(path)
        else:
            write(path, text)
        os.remove(orig)
        return 0
    cfg = load(path)
    cfg.get("runtimes", {}).pop(runtime, None)
    if not cfg.get("runtimes"):
        cfg.pop("runtimes", None)
    if cfg.get("default-runtime") == runtime:
        del cfg["default-runtime"]
    if os.path.exists(path):
        write(path, json.dumps(cfg, indent=2) + "\n")
    return 0


def main(args):
    if len(args) == 4 and args[0] == "install":
        return install(*args[1:])
    if len(args) == 3 and args[0] == "uninstall":
        return uninstall(*args[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
