#!/usr/bin/env python3
"""Unknown-field check of rendered manifests, the part validate-k8s.mjs leaves out.

validate-k8s.mjs checks types and required fields, but its schemas allow any extra property, so a
misspelled field (`readOnlyRootFileSystem`, `portz`) passes and Kubernetes would drop it. This
walks each object against the TypeScript declarations (.d.ts) of the same npm packages
(kubernetes-models, @kubernetes-models/prometheus-operator): every interface lists its fields, and
the imports say where each nested type is declared. A field that is not declared is reported
with its path. Types it cannot resolve are not checked (never a false alarm from the checker).

Usage: strict_fields.py NODE_MODULES_DIR RENDERED.yaml...
Exit 0 when no unknown field, 1 otherwise.
"""
import os
import re
import sys

import yaml

NODE_MODULES = sys.argv[1]
_files = {}


def split_top(s, sep):
    """Splits s at sep where no bracket is open."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "{<(":
            depth += 1
        elif ch in "}>)":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def parse_members(body):
    """'"a"?: T; "b": U;' -> {a: T, b: U} (types as text)."""
    members = {}
    for part in split_top(body, ";"):
        m = re.match(r'\s*"?([^"?:\s]+)"?\??\s*:\s*(.*)$', part, re.S)
        if m and not m.group(1).startswith("["):
            members[m.group(1)] = m.group(2).strip()
    return members


def load(path):
    """(members, imports) of the first interface of a .d.ts file; members: name -> (type, imports)."""
    if path in _files:
        return _files[path]
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    imports = {}
    for names, src in re.findall(r'import\s*\{([^}]*)\}\s*from\s*"([^"]+)"', text):
        for n in names.split(","):
            n = n.strip()
            if n:
                imports[n] = resolve(path, src)
    members = None
    m = re.search(r"export interface \w+(?:\s+extends\s+([^{]+))?\s*\{", text)
    if m:
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        members = {k: (t, imports) for k, t in parse_members(text[m.end():i - 1]).items()}
        # Inherited fields (interface X extends A, B): merged in; TypeMeta is apiVersion/kind.
        for base in (m.group(1) or "").split(","):
            base = base.strip()
            if base == "TypeMeta":
                members.setdefault("apiVersion", ("string", {}))
                members.setdefault("kind", ("string", {}))
            elif base:
                base_members = load(imports[base])[0] if imports.get(base) else None
                if base_members is None:
                    members = None  # cannot resolve: do not check this type
                    break
                for k, v in base_members.items():
                    members.setdefault(k, v)
    _files[path] = (members, imports)
    return _files[path]


def resolve(src_file, spec):
    if spec.startswith("."):
        p = os.path.normpath(os.path.join(os.path.dirname(src_file), spec))
    else:
        p = os.path.join(NODE_MODULES, spec)
    p = re.sub(r"\.js$", "", p) + ".d.ts"
    return p if os.path.exists(p) else None


def check(value, typ, imports, path, problems):
    """Checks value against the TypeScript type text typ (imports: name -> .d.ts file)."""
    typ = typ.strip()
    alts = [a.strip() for a in split_top(typ, "|") if a.strip() not in ("null", "undefined")]
    if len(alts) != 1:
        return  # unions of literals/primitives: leaves
    typ = alts[0]
    if typ.startswith("Array<") and typ.endswith(">"):
        if isinstance(value, list):
            for i, v in enumerate(value):
                check(v, typ[6:-1], imports, f"{path}[{i}]", problems)
        return
    if typ.startswith("{") and typ.endswith("}"):
        body = typ[1:-1]
        mm = re.match(r"\s*\[key: string\]\s*:\s*(.*?);?\s*$", body, re.S)
        if mm:  # map
            if isinstance(value, dict):
                for k, v in value.items():
                    check(v, mm.group(1), imports, f"{path}.{k}", problems)
            return
        members = {k: (t, imports) for k, t in parse_members(body).items()}
        check_object(value, members, path, problems)
        return
    if typ in imports and imports[typ]:
        members = load(imports[typ])[0]
        if members is not None:
            check_object(value, members, path, problems)


def check_object(value, members, path, problems):
    if not isinstance(value, dict):
        return
    for k, v in value.items():
        if k not in members:
            problems.append(f"{path}.{k}: unknown field (known: {', '.join(sorted(members))})")
        else:
            typ, imports = members[k]
            check(v, typ, imports, f"{path}.{k}", problems)


def model_file(api_version, kind):
    group_version = api_version if "/" in api_version else api_version  # core: "v1"
    for base in (os.path.join(NODE_MODULES, "kubernetes-models"),
                 os.path.join(NODE_MODULES, "@kubernetes-models", "prometheus-operator")):
        p = os.path.join(base, group_version, kind + ".d.ts")
        if os.path.exists(p):
            return p
    return None


def main():
    problems, objects = [], 0
    for f in sys.argv[2:]:
        for doc in yaml.safe_load_all(open(f)):
            if not doc:
                continue
            objects += 1
            name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            p = model_file(doc.get("apiVersion", ""), doc.get("kind", ""))
            if not p:
                problems.append(f"{name}: no model for {doc.get('apiVersion')} {doc.get('kind')}")
                continue
            members = load(p)[0]
            if members is None:
                problems.append(f"{name}: no interface in {p}")
                continue
            found = []
            check_object(doc, members, name, found)
            problems += found
    for p in problems:
        print("FAIL", p)
    print(f"{objects} objects, {len(problems)} unknown fields")
    return 1 if problems else 0


sys.exit(main())
