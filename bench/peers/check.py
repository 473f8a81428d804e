#!/usr/bin/env python3
"""Equivalence check of the peer benchmark: haven and PostGraphile must answer each shape alike.

For every shape it sends the query of haven_<shape>.lua to haven and the query of pg_<shape>.lua
to PostGraphile (the very bodies wrk sends), renames PostGraphile's fields to haven's, and
compares the two answers: same lists in the same order, same counts, same values. Prints one
line per shape, OK or MISMATCH with the first difference, and exits 1 if any shape mismatched.

    bench/peers/check.py [shape ...]        # default: wide small dashboard

Environment: HAVEN_URL (default http://127.0.0.1:18081/graphql), PG_URL (default
http://127.0.0.1:18090/graphql), HAVEN_TOKEN (an administrator's token for haven).
Standard library only.
"""

import json
import os
import re
import sys
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPES = ["wide", "small", "dashboard"]

# PostGraphile's name of a field -> haven's name, for the fields these queries select.
RENAME = {
    "allCities": "cities",
    "allSponsorshipNetworks": "networks",
    "citiesByNetworkId": "cities",
    "sponsorGroupsByCityId": "sponsorGroups",
    "membershipsByGroupId": "memberships",
    "volunteerByVolunteerId": "volunteer",
    "cityByCityId": "city",
}


def body_of(script):
    """The JSON body a wrk script sends (its `wrk.body = '...'` line)."""
    with open(os.path.join(HERE, script), encoding="utf-8") as f:
        m = re.search(r"^wrk\.body\s*=\s*'(.*)'\s*$", f.read(), re.M)
    if not m:
        raise SystemExit(f"{script}: no wrk.body line")
    return m.group(1).encode("utf-8")


def post(url, body, token=None, timeout=120):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        raw = e.read()
        raise RuntimeError(f"{url}: HTTP {e.code}: {raw[:300]!r}") from None
    return len(raw), json.loads(raw)


def to_haven(value, shape):
    """PostGraphile's answer in haven's field names.

    In the dashboard shape a group's `membershipsByGroupId(condition: {leftOn: null})
    { totalCount }` is haven's `memberCount`, a plain number.
    """
    if isinstance(value, list):
        return [to_haven(v, shape) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if shape == "dashboard" and k == "membershipsByGroupId":
            if not isinstance(v, dict) or set(v) != {"totalCount"}:
                raise ValueError(f"dashboard: unexpected membershipsByGroupId {v!r}")
            out["memberCount"] = v["totalCount"]
            continue
        out[RENAME.get(k, k)] = to_haven(v, shape)
    return out


def first_difference(a, b, path="data"):
    """The first place where `a` (haven) and `b` (PostGraphile) differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"{path}: fields {sorted(a)} (haven) vs {sorted(b)} (PostGraphile)"
        for k in a:
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: {len(a)} items (haven) vs {len(b)} (PostGraphile)"
        return None
    # Both are JSON scalars here: bool is kept apart from int, 1 != True.
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r} (haven) vs {b!r} (PostGraphile)"
    return None


def census(value, depth=0, acc=None):
    """Number of nodes at each level of nested `nodes` lists, to show the answers are not empty."""
    acc = acc if acc is not None else []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "nodes" and isinstance(v, list):
                while len(acc) <= depth:
                    acc.append(0)
                acc[depth] += len(v)
                for n in v:
                    census(n, depth + 1, acc)
            else:
                census(v, depth, acc)
    elif isinstance(value, list):
        for v in value:
            census(v, depth, acc)
    return acc


def check(shape, haven_url, pg_url, token):
    hb, h = post(haven_url, body_of(f"haven_{shape}.lua"), token)
    pb, p = post(pg_url, body_of(f"pg_{shape}.lua"))
    for name, r in (("haven", h), ("PostGraphile", p)):
        if r.get("errors"):
            return False, f"{name} answered errors: {json.dumps(r['errors'])[:300]}"
        if not r.get("data"):
            return False, f"{name} answered no data"
    diff = first_difference(h["data"], to_haven(p["data"], shape))
    if diff:
        return False, diff
    levels = " -> ".join(str(n) for n in census(h["data"]))
    return True, f"nodes per level {levels}; {hb:,} bytes (haven), {pb:,} bytes (PostGraphile)"


def main():
    shapes = sys.argv[1:] or SHAPES
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        raise SystemExit(f"unknown shape(s) {unknown}; known: {SHAPES}")
    haven_url = os.environ.get("HAVEN_URL", "http://127.0.0.1:18081/graphql")
    pg_url = os.environ.get("PG_URL", "http://127.0.0.1:18090/graphql")
    token = os.environ.get("HAVEN_TOKEN", "")
    if not token:
        print("warning: HAVEN_TOKEN is empty; haven refuses memberships to anonymous viewers",
              file=sys.stderr)
    failed = False
    for shape in shapes:
        try:
            ok, note = check(shape, haven_url, pg_url, token)
        except (RuntimeError, ValueError, OSError) as e:
            ok, note = False, str(e)
        failed |= not ok
        print(f"{shape:<10} {'OK' if ok else 'MISMATCH'}  {note}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
