"""Schemathesis hooks for the registry's fuzz run (scripts/fuzz/run.sh).

OpenAPI 3.0 cannot tie one query parameter to another, so three rules the server checks across
parameters are written in the parameters' descriptions instead of their schemas:
  - a street must lie in the district given with it, a community in its street and district;
  - a range's `to` may not come before its `from`;
  - GET /organizations/{id}/state takes exactly one of `asOf` and `revision`.
Nor can a schema state a bound that moves with the calendar or the log: a statistics `asOf` month
after the current one, a year-end return (`/returns/{year}.xlsx`) for a year after the current
one, a proof for a tree larger than the log's now (`treeSize`, `to`) or an inclusion proof whose
tree does not reach the event; all are written in the parameters' descriptions too.
A schema-valid request refused with 400 for one of these (and nothing else) is refused for a
documented reason: that failure, and only that one, is dropped. Every other schema-valid request
refused with 400 still fails the run.

Two more adjustments, for the fuzzer rather than the API:
  - the audit routes are the auditor's: requests to them carrying the district's token (FUZZ_TOKEN)
    carry the auditor's (FUZZ_AUDITOR_TOKEN) instead; requests without a token, or with a broken
    one, are left as they are, so the authentication checks still see them;
  - schemathesis 4.32.5's coverage phase sometimes sends `If-Match: 0` (the integer 0 it drew in its
    "all required and optional properties" scenario) and calls it schema-valid, although it does
    not match the documented pattern: a 400 for an If-Match that does not match the pattern is
    the documented answer, not a schema-valid request refused.
"""

import json
import os
import re

import schemathesis

# The server's messages for those rules (src/http/read-guards.ts,
# src/audit/http/history.controller.ts, src/statistics/statistics-as-of.ts,
# src/returns/year-end-figures.ts, src/audit/log-proofs.ts), by the field each names.
CROSS_PARAMETER_RULES = {
    "query:street": re.compile(r"^street \d+ is not in district \d+$"),
    "query:community": re.compile(r"^community \d+ is not in (street|district) \d+$"),
    "query:to": re.compile(
        r"^(to must not be before from"
        r"|must not exceed the tree size, now \d+ \(asked \d+\))$"
    ),
    "query:treeSize": re.compile(
        r"^(must not exceed the tree size, now \d+ \(asked \d+\)"
        r"|the event is leaf \d+: not in a tree of \d+ leaves)$"
    ),
    "query:from": re.compile(r"^must not exceed to$"),
    "query:asOf": re.compile(
        r"^(give exactly one of asOf=YYYY-MM-DD or revision=N"
        r"|asOf must not be after \d{4}-\d{2}, the current month)$"
    ),
    "path:year": re.compile(r"^year must not be after \d{4}, the current year$"),
}


def _refused_by_cross_parameter_rule(response) -> bool:
    if response.status_code != 400:
        return False
    try:
        problem = json.loads(response.content)
    except ValueError:
        return False
    errors = problem.get("errors") if isinstance(problem, dict) else None
    if not errors:
        return False
    return all(
        isinstance(error, dict)
        and error.get("field") in CROSS_PARAMETER_RULES
        and CROSS_PARAMETER_RULES[error["field"]].match(str(error.get("message", ""))) is not None
        for error in errors
    )


# The documented If-Match pattern (src/http/openapi/route-metadata.ts, WRITE_HEADERS).
IF_MATCH = re.compile(r'^(W/)?"[0-9]{1,15}"$')


def _sent_an_undocumented_if_match(case) -> bool:
    value = (case.headers or {}).get("If-Match")
    return value is not None and (not isinstance(value, str) or IF_MATCH.match(value) is None)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if failure.code == "ST202" and (
        _refused_by_cross_parameter_rule(response) or _sent_an_undocumented_if_match(case)
    ):
        return False
    return True


@schemathesis.hook
def before_call(context, case, kwargs):
    district, auditor = os.environ.get("FUZZ_TOKEN"), os.environ.get("FUZZ_AUDITOR_TOKEN")
    if not district or not auditor or not case.path.startswith("/audit/"):
        return
    for container in (kwargs.get("headers"), case.headers):
        if container and container.get("Authorization") == f"Bearer {district}":
            container["Authorization"] = f"Bearer {auditor}"
