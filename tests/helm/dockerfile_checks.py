#!/usr/bin/env python3
"""Offline checks of exporter/Dockerfile (no container engine on the build machines).

Usage: dockerfile_checks.py EXPORTER_BINARY CMAKE_BINARY_DIR

1. Shape: two stages on the same Debian 12 (bookworm) image; the build stage builds only the
   cerniq_exporter target; the runtime stage copies that binary to the ENTRYPOINT's path, runs
   as a numeric non-root USER and EXPOSEs the port.
2. Runtime libraries: the packages owning the libraries the binary links to (readelf -d NEEDED,
   located with ldd, owner from dpkg -S) are exactly the runtime stage's packages (plus
   ca-certificates); every library ldd loads (the whole closure) is owned by a package in the
   Depends/Pre-Depends closure of those packages (dpkg's database, offline).
3. Build libraries: every package/library/include path CMake found (CMakeCache.txt) is owned by
   a package in the closure of the build stage's packages, which scripts/install-deps.sh lists.
4. Agreement with the chart and the binary: port (EXPOSE, service.targetPort, --help default),
   UID/GID (USER, podSecurityContext), version (appVersion, --version, ARG VERSION), image
   repository (the header's docker build -t, values image.repository), telemetry path, the
   flags the chart passes (in --help) and the environment variables (in README.md).
5. Build context: the working tree (tracked + untracked, not git-ignored) minus .dockerignore
   configures with CMake.
"""
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCKERFILE = os.path.join(ROOT, "exporter", "Dockerfile")
CHART = os.path.join(ROOT, "helm", "cerniq-exporter")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def ok(msg):
    print("ok  ", msg)


def run(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ---------------------------------------------------------------- Dockerfile parsing
def parse_dockerfile(path):
    lines, cur = [], ""
    for raw in open(path):
        line = raw.rstrip("\n")
        if line.lstrip().startswith("#") and not cur:
            continue
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        cur += line
        if cur.strip():
            lines.append(cur.strip())
        cur = ""
    args, stages = {}, []
    for line in lines:
        instr, _, rest = line.partition(" ")
        instr = instr.upper()
        if instr == "ARG" and not stages:
            k, _, v = rest.partition("=")
            args[k.strip()] = v.strip()
        elif instr == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
            image = re.sub(r"\$\{(\w+)\}", lambda m2: args.get(m2.group(1), ""), m.group(1))
            stages.append({"image": image, "name": m.group(2), "instr": []})
        elif stages:
            stages[-1]["instr"].append((instr, rest))
    return args, stages


def apt_packages(stage):
    pkgs = []
    for instr, rest in stage["instr"]:
        if instr != "RUN":
            continue
        for cmd in re.split(r"&&|;", rest):
            words = cmd.split()
            if "apt-get" in words and "install" in words:
                after = words[words.index("install") + 1:]
                pkgs += [w for w in after if not w.startswith("-")]
    return pkgs


# ---------------------------------------------------------------- dpkg helpers
_owners = {}


def candidates(path):
    cands = [path, os.path.realpath(path)]
    for p in list(cands):
        cands += [p[4:]] if p.startswith("/usr/") else ["/usr" + p]
    return cands


def prefetch_owners(paths):
    """One dpkg-query -S for every path (and its usrmerge variants): a call costs ~0.5 s."""
    todo = sorted({c for p in paths for c in candidates(p)} - set(_owners))
    if not todo:
        return
    for line in run("dpkg-query", "-S", *todo).stdout.splitlines():
        pkgs, _, path = line.rpartition(": ")
        if path in todo:
            _owners[path] = {q.strip().split(":")[0] for q in pkgs.split(",")}
    for c in todo:
        _owners.setdefault(c, set())


def owners(path):
    """Packages owning a file; tries the usrmerge variants dpkg may have recorded."""
    prefetch_owners([path])
    for c in candidates(path):
        if _owners.get(c):
            return _owners[c]
    return set()


_status = None


def dpkg_status():
    global _status
    if _status is None:
        r = run("dpkg-query", "-W", "-f", "${Package}\t${Depends}\t${Pre-Depends}\t${Provides}\n")
        deps, provides = {}, {}
        for line in r.stdout.splitlines():
            name, dep, pre, prov = (line.split("\t") + ["", "", ""])[:4]
            alts = [a for a in re.split(r"[,|]", dep + "," + pre) if a.strip()]
            deps[name] = {re.sub(r"[\s(:].*", "", a.strip()) for a in alts}
            for p in prov.split(","):
                p = re.sub(r"[\s(].*", "", p.strip())
                if p:
                    provides.setdefault(p, set()).add(name)
        _status = (deps, provides)
    return _status


def closure(pkgs):
    deps, provides = dpkg_status()
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop()
        for q in [p] + sorted(provides.get(p, ())):
            if q in seen:
                continue
            seen.add(q)
            todo += sorted(deps.get(q, ()))
    return seen


# ---------------------------------------------------------------- checks
def main():
    exporter, cmake_dir = sys.argv[1], sys.argv[2]
    args, stages = parse_dockerfile(DOCKERFILE)
    text = open(DOCKERFILE).read()

    # 1. shape
    if len(stages) != 2:
        fail(f"want 2 stages (build, runtime), got {len(stages)}")
        return
    build, runtime = stages
    for s in stages:
        if not re.fullmatch(r"debian:(bookworm|12)(-slim)?(@sha256:[0-9a-f]{64})?", s["image"]):
            fail(f"stage image {s['image']!r} is not Debian 12 (bookworm)")
    ok(f"stages: {build['image']} AS {build['name']} -> {runtime['image']}")
    build_run = " ".join(r for i, r in build["instr"] if i == "RUN")
    if "--target cerniq_exporter" not in build_run:
        fail("the build stage does not build only --target cerniq_exporter")
    rt = {}
    for instr, rest in runtime["instr"]:
        rt.setdefault(instr, []).append(rest)
    entry = json.loads(rt.get("ENTRYPOINT", ["[]"])[-1])
    copies = [r.split() for r in rt.get("COPY", []) if r.startswith(f"--from={build['name']}")]
    if not entry or not any(c[-1] == entry[0] and c[1].endswith("/bin/cerniq_exporter") for c in copies):
        fail(f"ENTRYPOINT {entry} is not the cerniq_exporter binary copied from the build stage")
    user = rt.get("USER", [""])[-1]
    m = re.fullmatch(r"(\d+):(\d+)", user)
    if not m or m.group(1) == "0":
        fail(f"USER {user!r} is not a numeric non-root uid:gid")
    uid, gid = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    expose = [int(p.split("/")[0]) for r in rt.get("EXPOSE", []) for p in r.split()]
    ok(f"runtime: ENTRYPOINT {entry}, USER {user}, EXPOSE {expose}")

    # 2. runtime libraries
    runtime_pkgs = set(apt_packages(runtime))
    needed = re.findall(r"\(NEEDED\).*\[(.+)\]", run("readelf", "-d", exporter).stdout)
    ldd = {}
    for line in run("ldd", exporter).stdout.splitlines():
        m2 = re.match(r"\s*(\S+) => (\S+)", line)
        if m2:
            ldd[m2.group(1)] = m2.group(2)
    if not needed or not ldd:
        fail(f"readelf/ldd found no libraries in {exporter}")
    prefetch_owners(ldd.values())
    direct = {}
    for lib in needed:
        path = ldd.get(lib)
        pk = owners(path) if path and path != "not" else set()
        if not pk:
            fail(f"{lib}: no package owns {path} (dpkg -S)")
        direct[lib] = pk
    want = set().union(*direct.values()) if direct else set()
    extra_ok = {"ca-certificates"}
    missing = want - runtime_pkgs
    unneeded = runtime_pkgs - want - extra_ok
    for p in sorted(missing):
        libs = [l for l, pk in direct.items() if p in pk]
        fail(f"runtime stage lacks {p} (provides {', '.join(libs)})")
    for p in sorted(unneeded):
        fail(f"runtime stage installs {p}, which no library of the binary needs")
    if not missing and not unneeded:
        ok(f"runtime packages = owners of NEEDED libraries: {' '.join(sorted(want))}")
    rclosure = closure(runtime_pkgs)
    bad = 0
    for lib, path in sorted(ldd.items()):
        pk = owners(path)
        if not pk & rclosure:
            fail(f"{lib} ({path}, package {pk or '?'}) is not in the runtime packages' dependency closure")
            bad += 1
    if not bad:
        ok(f"all {len(ldd)} libraries ldd loads come with the runtime packages ({len(rclosure)} in closure)")

    # 3. build libraries
    build_pkgs = set(apt_packages(build))
    bclosure = closure(build_pkgs)
    cache = os.path.join(cmake_dir, "CMakeCache.txt")
    found = 0
    entries = []
    for line in open(cache):
        m2 = re.match(r"([\w.+-]+):(PATH|FILEPATH)=(/\S+)$", line.strip())
        if (m2 and not m2.group(1).startswith("CMAKE_") and os.path.exists(m2.group(3))
                and re.search(r"(_DIR|_LIBRARY\w*|_INCLUDE_DIRS?|^pkgcfg_lib_\w+)$", m2.group(1))):
            entries.append((m2.group(1), m2.group(3)))
    prefetch_owners([path for _, path in entries])
    for key, path in entries:
        pk = owners(path)
        if not pk:
            continue  # not from a package (e.g. a local install): nothing to map
        found += 1
        if not pk & bclosure:
            fail(f"CMake's {key}={path} comes from {sorted(pk)}, not in the build stage's packages")
    ok(f"{found} CMake package/library paths come with the build stage's packages")
    # The build stage installs what scripts/install-deps.sh installs for developers and CI.
    deps_text = open(os.path.join(ROOT, "scripts", "install-deps.sh")).read()
    deps = set(re.search(r"packages=\(([^)]*)\)", deps_text).group(1).split())
    stray = build_pkgs - deps - {"ca-certificates"}
    if stray:
        fail(f"build stage packages not in scripts/install-deps.sh: {' '.join(sorted(stray))}")
    else:
        ok("build stage packages are a subset of scripts/install-deps.sh's")

    # 4. agreement with the chart and the binary
    values = yaml.safe_load(open(os.path.join(CHART, "values.yaml")))
    chart = yaml.safe_load(open(os.path.join(CHART, "Chart.yaml")))
    help_text = run(exporter, "--help").stdout
    version_text = run(exporter, "--version").stdout
    port_default = re.search(r"--web\.listen-address TEXT=\[?:(\d+)", help_text)
    path_default = re.search(r"--web\.telemetry-path TEXT=(\S+)", help_text)
    checks = [
        ("EXPOSE == service.targetPort", expose == [values["service"]["targetPort"]]),
        ("service.targetPort == --web.listen-address default",
         port_default and int(port_default.group(1)) == values["service"]["targetPort"]),
        ("telemetryPath == --web.telemetry-path default",
         path_default and path_default.group(1) == values["telemetryPath"]),
        ("USER == podSecurityContext.runAsUser/runAsGroup",
         (uid, gid) == (values["podSecurityContext"]["runAsUser"], values["podSecurityContext"]["runAsGroup"])),
        ("appVersion == cerniq_exporter --version",
         re.search(r"version (\S+)", version_text) and
         re.search(r"version (\S+)", version_text).group(1) == str(chart["appVersion"])),
        ("appVersion == Dockerfile ARG VERSION",
         re.search(r"^ARG VERSION=(\S+)", text, re.M) and
         re.search(r"^ARG VERSION=(\S+)", text, re.M).group(1) == str(chart["appVersion"])),
        ("image.repository:appVersion == the header's docker build -t",
         f"-t {values['image']['repository']}:{chart['appVersion']} " in text),
    ]
    deployment = open(os.path.join(CHART, "templates", "deployment.yaml")).read()
    for flag in sorted(set(re.findall(r"- (--[a-z.-]+)=", deployment))):
        checks.append((f"chart flag {flag} in --help", f"{flag} " in help_text))
    readme = open(os.path.join(ROOT, "README.md")).read()
    for env in sorted(set(re.findall(r"name: (CERNIQ_[A-Z_]+)", deployment))):
        checks.append((f"chart env {env} documented in README.md", env in readme))
    for what, good in checks:
        (ok if good else fail)(what)

    # 5. build context: tracked files minus .dockerignore configure
    patterns = [p.strip() for p in open(os.path.join(ROOT, ".dockerignore"))
                if p.strip() and not p.startswith("#")]

    def ignored(f):
        for p in patterns:
            p = p.rstrip("/")
            if p.startswith("**/"):
                if any(fnmatch.fnmatch(part, p[3:]) for part in f.split("/")):
                    return True
            elif fnmatch.fnmatch(f, p) or fnmatch.fnmatch(f.split("/")[0], p):
                return True
        return False

    # What `COPY . .` sees: the working tree (tracked and untracked, not git-ignored) minus .dockerignore.
    listed = run("git", "-C", ROOT, "ls-files", "--cached", "--others", "--exclude-standard").stdout
    files = sorted({f for f in listed.splitlines() if not ignored(f)})
    with tempfile.TemporaryDirectory() as tmp:
        ctx = os.path.join(tmp, "src")
        for f in files:
            src = os.path.join(ROOT, f)
            if os.path.isfile(src):
                os.makedirs(os.path.dirname(os.path.join(ctx, f)), exist_ok=True)
                shutil.copy2(src, os.path.join(ctx, f))
        for gone in ("tests", "bench", "helm"):
            if os.path.exists(os.path.join(ctx, gone)):
                fail(f".dockerignore keeps {gone}/ in the build context")
        r = run("cmake", "-S", ctx, "-B", os.path.join(tmp, "build"), "-DCMAKE_BUILD_TYPE=RelWithDebInfo")
        if r.returncode != 0:
            fail("the build context (working tree minus .dockerignore) does not configure:\n" + r.stdout[-2000:] + r.stderr[-2000:])
        else:
            ok(f"build context ({len(files)} files) configures with CMake")


main()
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
