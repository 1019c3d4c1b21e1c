"""Amazon ECR lifecycle policies: validate a policy and say which images it expires or archives, and why.

``validate_policy(policy)`` checks a policy as ``PutLifecyclePolicy`` does and returns the
parsed rules; ``evaluate(policy, images, now=...)`` returns a ``LifecycleResult`` (what a
lifecycle policy preview shows). Times are seconds (any epoch) and ``now`` is explicit.

Pages read (English user guide; full text from current copies of the pages, checked against
the search index):

* https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html ("Lifecycle
  policy evaluation rules"):
  1. all rules are evaluated at the same time, then applied in priority order (a lower
     ``rulePriority`` number is a higher priority);
  2. an image is expired or archived by exactly one or zero rules;
  3. an image that matches the tagging requirements of a rule cannot be expired or archived
     by a rule with a lower priority;
  4. rules never mark images marked by higher priority rules, but still *see* them as if
     they had not been expired (they count toward ``imageCountMoreThan``);
  5. the rules selecting one storage class must contain a unique set of prefixes;
  6. only one rule selecting a storage class may select untagged images;
  7. an image referenced by a manifest list is not expired or archived before the list;
  8. expiration is ordered by push time, older first; a restored image uses
     ``last_activated_at`` instead of its push time;
  9. a rule has ``tagPatternList`` or ``tagPrefixList``, not both, and only with ``tagged``;
     an image matches when *every* entry matches at least one of its tags;
  10. a pattern's ``*`` matches any characters (``prod*``, ``*prod*``); at most four
      wildcards per string;
  11. ``countUnit`` only with ``sinceImagePushed``, ``sinceImagePulled``, ``sinceImageTransitioned``;
  12. ``imageCountMoreThan``: sort youngest to oldest, expire everything past the count;
      ``sinceImagePushed``: push time older than ``countNumber`` days; ``sinceImagePulled``:
      last pull (else the restore time if restored and not pulled since, else the push time)
      older than N days, archived; ``sinceImageTransitioned``: archived longer than N days, expired.
* https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html:
  ``rulePriority`` (integer, unique, need not be sequential; a ``tagStatus: any`` rule must
  have the highest value), ``description``, ``tagStatus`` (tagged | untagged | any),
  ``tagPatternList`` / ``tagPrefixList``, ``storageClass`` (standard | archive; archive only
  and required with ``sinceImageTransitioned``; omitted means standard), ``countType``,
  ``countUnit`` (``days``; an error with ``imageCountMoreThan``), ``countNumber`` (positive
  integer, 0 not accepted), ``action.type`` (expire | transition) and ``targetStorageClass``
  (``archive``, required with transition).
* https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html:
  ``sinceImagePulled`` only with ``transition``; ``sinceImageTransitioned`` only with
  ``expire`` and ``storageClass: archive``; archived images cannot be deleted by a policy
  before 90 days in archive. Every example on the page is a test in
  tests/scheduler/test_ecr_lifecycle.py.

Validation errors are ECR's ``InvalidParameterException``: "Invalid parameter at
'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ...'".
Texts seen in ECR's own output: "Could not map policyString into LifecyclePolicy.", the JSON
schema messages ("object has missing required properties ([...])", "object instance has
properties which are not allowed by the schema: ([...])", "instance value (x) not found in
enum", "numeric instance is lower than the required minimum (minimum: 1, found: 0)",
"instance failed to match exactly one schema (matched 0 out of 2)"), "Only one rule can
select Untagged images per storage class." and "Rule for tagStatus=ANY must have the lowest
priority per storage class". The wording of the others (duplicate priority, both tag
lists, wildcard limit, repeated prefixes, the 90-day archive minimum, a missing tag list)
is the model's.

Left out: the 24-hour delay before actions happen, reference artifacts (signatures,
SBOMs) that follow their subject, pull-time update exclusions, replication, the policy
text length limits, and tag immutability. Ties in push time go to the image listed later
(treated as the newer one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidParameterException

DAY = 86400
PREFIX = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: "
TAG_STATUS = ("tagged", "untagged", "any")
COUNT_TYPES = ("imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned")
AGE_TYPES = COUNT_TYPES[1:]
ACTIONS = ("expire", "transition")
STORAGE = ("standard", "archive")
MAX_WILDCARDS = 4
ARCHIVE_MINIMUM_DAYS = 90
RULE_KEYS = {"rulePriority", "description", "selection", "action"}
SELECTION_KEYS = {"tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit",
                  "countNumber"}
ACTION_KEYS = {"type", "targetStorageClass"}


def _fail(detail: str) -> InvalidParameterException:
    return InvalidParameterException(PREFIX + detail + "'", "lifecyclePolicyText")


def _missing(obj: Mapping[str, Any], required: Sequence[str]) -> None:
    gone = sorted(k for k in required if k not in obj)
    if gone:
        raise _fail(f"object has missing required properties ({json.dumps(gone)})")


def _extra(obj: Mapping[str, Any], allowed: set[str]) -> None:
    bad = sorted(k for k in obj if k not in allowed)
    if bad:
        raise _fail(f"object instance has properties which are not allowed by the schema: ({json.dumps(bad)})")


def _enum(value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise _fail(f"instance value ({value}) not found in enum :(possible values: {json.dumps(sorted(allowed))})")


def _positive(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f'instance type ({type(value).__name__}) does not match any allowed primitive type (allowed: ["integer"])')
    if value < 1:
        raise _fail(f"numeric instance is lower than the required minimum (minimum: 1, found: {value})")
    return value


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(p) for p in pattern.split("*")))


@dataclass(frozen=True)
class Rule:
    priority: int
    description: str
    tag_status: str
    tag_prefixes: tuple[str, ...]
    tag_patterns: tuple[str, ...]
    storage_class: str
    count_type: str
    count_number: int
    action: str                      # "expire" | "transition"
    _regexes: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def matches_tags(self, tags: Sequence[str]) -> bool:
        """The rule's tagging requirements (rule 9/10): every prefix or pattern matches some tag."""
        if self.tag_status == "any":
            return True
        if self.tag_status == "untagged":
            return not tags
        if not tags:
            return False
        if self.tag_prefixes:
            return all(any(t.startswith(p) for t in tags) for p in self.tag_prefixes)
        return all(any(rx.fullmatch(t) for t in tags) for rx in self._regexes)

    def matches(self, image: Image) -> bool:
        return image.storage_class == self.storage_class and self.matches_tags(image.tags)

    def label(self) -> str:
        what = {"tagged": f"tagged {list(self.tag_prefixes or self.tag_patterns)}", "untagged": "untagged",
                "any": "any"}[self.tag_status]
        return f"rule {self.priority} ({what}, {self.count_type} {self.count_number})"


def _parse_rule(raw: Any) -> Rule:
    if not isinstance(raw, Mapping):
        kind = {list: "array", str: "string", int: "integer", float: "number", bool: "boolean"}.get(type(raw), "null")
        raise _fail(f'instance type ({kind}) does not match any allowed primitive type (allowed: ["object"])')
    _missing(raw, ("action", "rulePriority", "selection"))
    _extra(raw, RULE_KEYS)
    prio = _positive(raw["rulePriority"])
    desc = raw.get("description", "")
    if not isinstance(desc, str):
        raise _fail('instance type does not match any allowed primitive type (allowed: ["string"])')
    sel, act = raw["selection"], raw["action"]
    if not isinstance(sel, Mapping) or not isinstance(act, Mapping):
        raise _fail('instance type does not match any allowed primitive type (allowed: ["object"])')
    _missing(act, ("type",))
    _extra(act, ACTION_KEYS)
    _enum(act["type"], ACTIONS)
    action = str(act["type"])
    if action == "transition":
        if act.get("targetStorageClass") != "archive":
            raise _fail("instance failed to match exactly one schema (matched 0 out of 2)")
    elif "targetStorageClass" in act:
        raise _fail("instance failed to match exactly one schema (matched 0 out of 2)")
    _missing(sel, ("countNumber", "countType", "tagStatus"))
    _extra(sel, SELECTION_KEYS)
    _enum(sel["tagStatus"], TAG_STATUS)
    if sel["countType"] not in COUNT_TYPES:
        raise _fail(f"instance failed to match exactly one schema (matched 0 out of {len(COUNT_TYPES)})")
    count_type = str(sel["countType"])
    number = _positive(sel["countNumber"])
    if count_type in AGE_TYPES:
        _missing(sel, ("countUnit",))
        _enum(sel["countUnit"], ("days",))
    elif "countUnit" in sel:
        # "an error will occur if you specify a count unit when countType is any other value"
        raise _fail(f"instance failed to match exactly one schema (matched 0 out of {len(COUNT_TYPES)})")
    storage = sel.get("storageClass", "standard")
    _enum(storage, STORAGE)
    if count_type == "sinceImageTransitioned":
        if sel.get("storageClass") != "archive":
            raise _fail("storageClass archive is required with countType sinceImageTransitioned")
        if action != "expire":
            raise _fail("countType sinceImageTransitioned must be used with the expire action")
        if number < ARCHIVE_MINIMUM_DAYS:
            raise _fail(f"archived images have a minimum storage duration of {ARCHIVE_MINIMUM_DAYS} days; "
                        f"countNumber {number} would delete them sooner")
    elif storage != "standard":
        raise _fail(f"storageClass must be standard with countType {count_type}")
    if count_type == "sinceImagePulled" and action != "transition":
        raise _fail("countType sinceImagePulled must be used with the transition action")
    status = str(sel["tagStatus"])
    prefixes = sel.get("tagPrefixList")
    patterns = sel.get("tagPatternList")
    if prefixes is not None and patterns is not None:
        raise _fail("a rule may specify either tagPatternList or tagPrefixList, but not both")
    lst = prefixes if prefixes is not None else patterns
    if status == "tagged":
        if lst is None:
            raise _fail("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
        if not isinstance(lst, (list, tuple)) or not lst or not all(isinstance(t, str) and t for t in lst):
            raise _fail("tagPrefixList and tagPatternList must be non-empty lists of non-empty strings")
    elif lst is not None:
        raise _fail(f"tagPrefixList and tagPatternList may only be used when tagStatus is tagged, not {status}")
    pats = tuple(str(p) for p in (patterns or ()))
    for p in pats:
        if p.count("*") > MAX_WILDCARDS:
            raise _fail(f"tag pattern {p!r} has {p.count('*')} wildcards; the maximum is {MAX_WILDCARDS} per string")
    return Rule(prio, desc, status, tuple(str(p) for p in (prefixes or ())), pats, str(storage), count_type, number,
                action, tuple(_pattern_regex(p) for p in pats))


def validate_policy(policy: str | Mapping[str, Any]) -> list[Rule]:
    """Parse and check a lifecycle policy (text or dict); rules come back in priority order."""
    if isinstance(policy, str):
        try:
            doc = json.loads(policy)
        except ValueError:
            raise _fail("Could not map policyString into LifecyclePolicy.") from None
    else:
        doc = policy
    if not isinstance(doc, Mapping):
        raise _fail("Could not map policyString into LifecyclePolicy.")
    if "rules" not in doc or not isinstance(doc["rules"], list):
        raise _fail('object has missing required properties (["rules"])')
    _extra(doc, {"rules"})
    rules = [_parse_rule(r) for r in doc["rules"]]
    if not rules:
        raise _fail('array is too short: must have at least 1 elements but instance has 0 elements')
    seen: set[int] = set()
    for r in rules:
        if r.priority in seen:
            raise _fail(f"rulePriority {r.priority} is used by more than one rule; each rule needs a unique rulePriority")
        seen.add(r.priority)
    rules.sort(key=lambda r: r.priority)
    for storage in STORAGE:
        group = [r for r in rules if r.storage_class == storage]
        if sum(1 for r in group if r.tag_status == "untagged") > 1:
            raise _fail("Only one rule can select Untagged images per storage class.")
        anys = [r for r in group if r.tag_status == "any"]
        if anys and (len(anys) > 1 or anys[0] is not group[-1]):
            raise _fail("Rule for tagStatus=ANY must have the lowest priority per storage class")
        tag_sets = [frozenset(r.tag_prefixes or r.tag_patterns) for r in group if r.tag_status == "tagged"]
        if len(tag_sets) != len(set(tag_sets)):
            raise _fail("the rules selecting a storage class must contain a unique set of prefixes")
    return rules


# ----------------------------------------------------------------------------- images


@dataclass(frozen=True)
class Image:
    """One image, in ``DescribeImages`` terms (times in seconds)."""

    name: str
    tags: tuple[str, ...]
    pushed_at: float
    last_pulled_at: float | None = None
    last_activated_at: float | None = None     # restored from archive
    last_archived_at: float | None = None
    storage_class: str = "standard"
    manifest_lists: tuple[str, ...] = ()       # digests of manifest lists referencing this image
    order: int = 0

    @property
    def sort_time(self) -> float:
        """Push time, or the restore time for an image restored from archive (rule 8)."""
        return self.last_activated_at if self.last_activated_at is not None else self.pushed_at

    def reference_time(self, count_type: str) -> float | None:
        if count_type == "sinceImagePushed":
            return self.pushed_at
        if count_type == "sinceImagePulled":
            if self.last_activated_at is not None and (self.last_pulled_at is None
                                                       or self.last_pulled_at < self.last_activated_at):
                return self.last_activated_at
            return self.last_pulled_at if self.last_pulled_at is not None else self.pushed_at
        if count_type == "sinceImageTransitioned":
            return self.last_archived_at
        return None


def _num(v: Any, fld: str, optional: bool = False) -> float | None:
    if v is None and optional:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InvalidParameterException(f"{fld} must be a time in seconds, got {v!r}", fld)
    return float(v)


def _image(raw: Any, order: int) -> Image:
    if isinstance(raw, Image):
        return Image(raw.name, raw.tags, raw.pushed_at, raw.last_pulled_at, raw.last_activated_at,
                     raw.last_archived_at, raw.storage_class, raw.manifest_lists, order)
    if not isinstance(raw, Mapping):
        raise InvalidParameterException("each image must be a JSON object (DescribeImages imageDetails)", "images")
    tags = raw.get("imageTags") or []
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        raise InvalidParameterException("imageTags must be a list of strings", "imageTags")
    name = raw.get("name") or raw.get("imageDigest") or f"image-{order}"
    pushed = _num(raw.get("imagePushedAt"), "imagePushedAt")
    assert pushed is not None
    storage = str(raw.get("storageClass") or ("archive" if raw.get("imageStatus") == "ARCHIVED" else "standard")).lower()
    if storage not in STORAGE:
        raise InvalidParameterException(f"storageClass must be standard or archive, got {storage!r}", "storageClass")
    archived = _num(raw.get("lastArchivedAt"), "lastArchivedAt", optional=True)
    if storage == "archive" and archived is None:
        raise InvalidParameterException("an archived image needs lastArchivedAt", "lastArchivedAt")
    lists = raw.get("manifestLists") or ()
    if not isinstance(lists, (list, tuple)) or not all(isinstance(x, str) for x in lists):
        raise InvalidParameterException("manifestLists must be a list of image names or digests", "manifestLists")
    return Image(str(name), tuple(tags), pushed,
                 _num(raw.get("lastRecordedPullTime"), "lastRecordedPullTime", optional=True),
                 _num(raw.get("lastActivatedAt"), "lastActivatedAt", optional=True), archived, storage,
                 tuple(lists), order)


@dataclass(frozen=True)
class Decision:
    image: Image
    action: str | None            # "expire" | "transition" | None (kept)
    rule: int | None              # rulePriority that acted
    reasons: tuple[str, ...]      # what each rule saw, in priority order


@dataclass(frozen=True)
class LifecycleResult:
    rules: tuple[Rule, ...]
    decisions: tuple[Decision, ...]

    @property
    def expired(self) -> list[str]:
        return [d.image.name for d in self.decisions if d.action == "expire"]

    @property
    def transitioned(self) -> list[str]:
        return [d.image.name for d in self.decisions if d.action == "transition"]

    @property
    def kept(self) -> list[str]:
        return [d.image.name for d in self.decisions if d.action is None]

    def why(self, name: str) -> tuple[str, ...]:
        for d in self.decisions:
            if d.image.name == name:
                return d.reasons
        raise InvalidParameterException(f"No image named {name!r} in this evaluation", "image")

    def to_api(self) -> dict[str, Any]:
        """``GetLifecyclePolicyPreview``-shaped ``previewResults`` (acted-on images only)."""
        return {"previewResults": [
            {"imageDigest": d.image.name, "imageTags": list(d.image.tags), "imagePushedAt": d.image.pushed_at,
             "action": {"type": str(d.action).upper()}, "appliedRulePriority": d.rule,
             "storageClass": d.image.storage_class.upper()}
            for d in self.decisions if d.action],
            "summary": {"expiringImageTotalCount": len(self.expired),
                        "transitioningImageTotalCount": len(self.transitioned)}}


def _candidates(rule: Rule, seen: list[Image], now: float) -> list[Image]:
    """The images ``rule`` would mark if nothing protected them (rule 12)."""
    if rule.count_type == "imageCountMoreThan":
        youngest_first = sorted(seen, key=lambda i: (i.sort_time, i.order), reverse=True)
        return youngest_first[rule.count_number:]
    limit = rule.count_number * DAY
    out = []
    for i in seen:
        t = i.reference_time(rule.count_type)
        if t is not None and now - t > limit:
            out.append(i)
    return out


def evaluate(policy: str | Mapping[str, Any], images: Sequence[Mapping[str, Any] | Image], *,
             now: float) -> LifecycleResult:
    """Which images the policy expires or archives, with the reason for each image.

    Every rule first sees all the images it selects (tagging requirements and storage class),
    including images a higher-priority rule marks (rule 4). Rules are then applied in priority
    order; a rule skips an image already marked (rule 2) or one that matches the tagging
    requirements of a higher-priority rule (rule 3). Images referenced by a manifest list
    stay until that list is itself expired or archived (rule 7).
    """
    rules = validate_policy(policy)
    if not isinstance(images, (list, tuple)):
        raise InvalidParameterException("images must be a list of image details", "images")
    now_f = _num(now, "now")
    assert now_f is not None
    imgs = [_image(raw, k) for k, raw in enumerate(images)]
    names = [i.name for i in imgs]
    if len(set(names)) != len(names):
        raise InvalidParameterException("image names (or digests) must be unique", "images")
    marked: dict[str, tuple[str, int]] = {}
    reasons: dict[str, list[str]] = {i.name: [] for i in imgs}
    for k, rule in enumerate(rules):
        seen = [i for i in imgs if rule.matches(i)]
        higher = rules[:k]
        for i in _candidates(rule, seen, now_f):
            if i.name in marked:
                reasons[i.name].append(f"{rule.label()}: would mark it, but rule {marked[i.name][1]} already did")
                continue
            protector = next((h for h in higher if h.matches(i)), None)
            if protector is not None:
                reasons[i.name].append(f"{rule.label()}: would mark it, but it matches the tagging requirements "
                                       f"of higher-priority rule {protector.priority}")
                continue
            marked[i.name] = (rule.action, rule.priority)
            reasons[i.name].append(f"{rule.label()}: {'expires' if rule.action == 'expire' else 'archives'} it")
        for i in seen:
            if not reasons[i.name] or not reasons[i.name][-1].startswith(rule.label()):
                reasons[i.name].append(f"{rule.label()}: selects it but keeps it")
    # manifest lists (rule 7): an image stays while a list referencing it stays
    changed = True
    while changed:
        changed = False
        for i in imgs:
            if i.name in marked and any(m not in marked for m in i.manifest_lists):
                keep = [m for m in i.manifest_lists if m not in marked]
                reasons[i.name].append(f"kept: referenced by manifest list {keep[0]}, which stays")
                del marked[i.name]
                changed = True
    decisions = tuple(Decision(i, marked[i.name][0] if i.name in marked else None,
                               marked[i.name][1] if i.name in marked else None,
                               tuple(reasons[i.name]) or ("no rule selects it",)) for i in imgs)
    return LifecycleResult(tuple(rules), decisions)


__all__ = ["Decision", "Image", "LifecycleResult", "Rule", "evaluate", "validate_policy"]
