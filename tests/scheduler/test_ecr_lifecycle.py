"""ECR lifecycle policies: every example on lifecycle_policy_examples.html, then the validation rules.

Times: NOW is day 1000; an image "pushed 10 days ago" has imagePushedAt = NOW - 10 days.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecsbook.scheduler import ecr_lifecycle as lc
from ecsbook.scheduler.errors import ECSError, InvalidParameterException

DAY = 86400
NOW = 1000 * DAY
HOUR = 3600


def img(name: str, tags: list[str], days_ago: float, **extra: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"name": name, "imageTags": tags, "imagePushedAt": NOW - days_ago * DAY}
    d.update(extra)
    return d


def rule(prio: int, status: str, count_type: str, number: int, *, prefixes: list[str] | None = None,
         patterns: list[str] | None = None, action: str = "expire", storage: str | None = None) -> dict[str, Any]:
    sel: dict[str, Any] = {"tagStatus": status, "countType": count_type, "countNumber": number}
    if count_type != "imageCountMoreThan":
        sel["countUnit"] = "days"
    if prefixes is not None:
        sel["tagPrefixList"] = prefixes
    if patterns is not None:
        sel["tagPatternList"] = patterns
    if storage:
        sel["storageClass"] = storage
    act: dict[str, Any] = {"type": action}
    if action == "transition":
        act["targetStorageClass"] = "archive"
    return {"rulePriority": prio, "description": f"Rule {prio}", "selection": sel, "action": act}


def policy(*rules: dict[str, Any]) -> str:
    return json.dumps({"rules": list(rules)})


# ================================================================ the examples page, one test each

def test_example_filtering_on_image_age() -> None:
    # tagPatternList prod*, older than 14 days: prod-1 is 15 days old (15 > 14), prod-2 exactly 14 (not older)
    p = {"rules": [{"rulePriority": 1, "description": "Expire images older than 14 days",
                    "selection": {"tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "sinceImagePushed",
                                  "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]}
    r = lc.evaluate(p, [img("prod-1", ["prod-1"], 15), img("prod-2", ["prod-2"], 14), img("dev", ["dev-1"], 30)],
                    now=NOW)
    assert r.expired == ["prod-1"]
    assert r.why("dev") == ("no rule selects it",)


def test_example_filtering_on_last_pulled_time() -> None:
    # sinceImagePulled 90 -> transition: the reference is the last pull, else the push time, and for an image
    # restored and not pulled since, the restore time (last_activated_at)
    p = policy(rule(1, "any", "sinceImagePulled", 90, action="transition"))
    images = [
        img("pulled-100d", ["a"], 300, lastRecordedPullTime=NOW - 100 * DAY),   # 100 > 90: archive
        img("never-pulled", ["b"], 120),                                        # pushed 120 > 90: archive
        img("pulled-10d", ["c"], 300, lastRecordedPullTime=NOW - 10 * DAY),     # 10 days: keep
        img("restored", ["d"], 400, lastRecordedPullTime=NOW - 200 * DAY,       # restored 5 days ago: keep
            lastActivatedAt=NOW - 5 * DAY),
    ]
    r = lc.evaluate(p, images, now=NOW)
    assert r.transitioned == ["pulled-100d", "never-pulled"] and r.expired == []


def test_example_filtering_on_archive_transition_time() -> None:
    p = policy(rule(1, "any", "sinceImageTransitioned", 365, storage="archive"))
    images = [img("old", ["a"], 900, storageClass="archive", lastArchivedAt=NOW - 400 * DAY),   # 400 > 365
              img("recent", ["b"], 900, storageClass="archive", lastArchivedAt=NOW - 100 * DAY),
              img("standard", ["c"], 900)]                                                      # not archived
    assert lc.evaluate(p, images, now=NOW).expired == ["old"]


def test_example_filtering_on_image_count() -> None:
    # keep only one untagged image: three untagged images, the two oldest expire; tagged images are not selected
    p = policy(rule(1, "untagged", "imageCountMoreThan", 1))
    images = [img("u1", [], 3), img("u2", [], 2), img("u3", [], 1), img("t", ["v1"], 9)]
    assert lc.evaluate(p, images, now=NOW).expired == ["u1", "u2"]


REPO_MULTI = [img("A", ["beta-1", "prod-1"], 10), img("B", ["beta-2", "prod-2"], 9), img("C", ["beta-3"], 8)]


def test_example_multiple_rules_a() -> None:
    # rule 1 prod*: sees A, B; keeps B, marks A. Rule 2 beta*: sees A, B, C; keeps C, would mark A and B,
    # but A is already marked and B matches rule 1's tagging requirements. Result: A.
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, patterns=["prod*"]),
               rule(2, "tagged", "imageCountMoreThan", 1, patterns=["beta*"]))
    r = lc.evaluate(p, REPO_MULTI, now=NOW)
    assert r.expired == ["A"]
    assert "higher-priority rule 1" in r.why("B")[-1]


def test_example_multiple_rules_b() -> None:
    # priorities swapped: rule 1 beta* sees A, B, C and marks A, B; rule 2 prod* finds nothing left. Result: A, B.
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, patterns=["beta*"]),
               rule(2, "tagged", "imageCountMoreThan", 1, patterns=["prod*"]))
    assert lc.evaluate(p, REPO_MULTI, now=NOW).expired == ["A", "B"]


REPO_TAGS = [img("A", ["alpha-1"], 12), img("B", ["beta-1"], 11), img("C", ["alpha-2", "beta-2"], 10),
             img("D", ["alpha-3"], 4), img("E", ["beta-3"], 3), img("F", ["alpha-4", "beta-4"], 2)]


def test_example_multiple_tags_a() -> None:
    # both patterns must match: only C and F; older than 5 days: C (10 > 5), not F (2). Result: C.
    p = policy(rule(1, "tagged", "sinceImagePushed", 5, patterns=["alpha*", "beta*"]))
    assert lc.evaluate(p, REPO_TAGS, now=NOW).expired == ["C"]


def test_example_multiple_tags_b() -> None:
    # tags are not exclusive: A, B, C all carry alpha and beta tags; keep the newest (C). Result: A, B.
    repo = [img("A", ["alpha-1", "beta-1", "gamma-1"], 10), img("B", ["alpha-2", "beta-2"], 9),
            img("C", ["alpha-3", "beta-3", "gamma-2"], 8)]
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, patterns=["alpha*", "beta*"]))
    assert lc.evaluate(p, repo, now=NOW).expired == ["A", "B"]


def test_example_all_images_a() -> None:
    # any, keep one: A, B, C (untagged), D; keep D (newest). Result: A, B, C.
    repo = [img("A", ["alpha-1"], 4), img("B", ["beta-1"], 3), img("C", [], 2), img("D", ["alpha-2"], 1)]
    p = policy(rule(1, "any", "imageCountMoreThan", 1))
    assert lc.evaluate(p, repo, now=NOW).expired == ["A", "B", "C"]


def test_example_all_images_b() -> None:
    # rule 1 alpha*: A, C -> marks A. Rule 2 untagged older than 1 day: B (3 days), E (1 day, not older) -> B.
    # Rule 3 any keep one: keeps E (pushed 1 day ago, listed after D, so the newer), cannot touch A, B, C, E
    # (selected by higher rules) -> marks D. Result: A, B, D.
    repo = [img("A", ["alpha-1", "beta-1"], 4), img("B", [], 3), img("C", ["alpha-2"], 2),
            img("D", ["git hash"], 1), img("E", [], 1)]
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, patterns=["alpha*"]),
               rule(2, "untagged", "sinceImagePushed", 1),
               rule(3, "any", "imageCountMoreThan", 1))
    r = lc.evaluate(p, repo, now=NOW)
    assert r.expired == ["A", "B", "D"]
    assert [d.rule for d in r.decisions] == [1, 2, None, 3, None]


def test_example_archive_images_older_than_30_days() -> None:
    p = policy(rule(1, "tagged", "sinceImagePushed", 30, patterns=["prod*"], action="transition"))
    repo = [img("p-old", ["prod-7"], 31), img("p-new", ["prod-8"], 29), img("dev", ["dev-1"], 90)]
    r = lc.evaluate(p, repo, now=NOW)
    assert r.transitioned == ["p-old"] and r.to_api()["previewResults"][0]["action"] == {"type": "TRANSITION"}


def test_example_archive_images_not_pulled_in_90_days() -> None:
    # pushed 200 days ago, last pulled 91 days ago (91 > 90): archived; pulled yesterday: kept
    p = policy(rule(1, "any", "sinceImagePulled", 90, action="transition"))
    repo = [img("idle", ["a"], 200, lastRecordedPullTime=NOW - 91 * DAY),
            img("busy", ["b"], 200, lastRecordedPullTime=NOW - DAY)]
    assert lc.evaluate(p, repo, now=NOW).transitioned == ["idle"]


def test_example_combining_archive_and_expire_rules() -> None:
    # rule 1 (standard): archive anything pushed more than 30 days ago; rule 2 (archive): expire what has been
    # archived for more than 365 days. Two "any" rules are valid because each is last in its storage class.
    p = policy(rule(1, "any", "sinceImagePushed", 30, action="transition"),
               rule(2, "any", "sinceImageTransitioned", 365, storage="archive"))
    repo = [img("fresh", ["v3"], 5), img("stale", ["v2"], 40),
            img("deep", ["v1"], 800, storageClass="archive", lastArchivedAt=NOW - 400 * DAY),
            img("shallow", ["v0"], 800, storageClass="archive", lastArchivedAt=NOW - 200 * DAY)]
    r = lc.evaluate(p, repo, now=NOW)
    assert r.transitioned == ["stale"] and r.expired == ["deep"] and r.kept == ["fresh", "shallow"]


# ================================================================ evaluation rules (LifecyclePolicies.html)

def test_prefix_list_matches_by_prefix_and_needs_every_prefix() -> None:
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, prefixes=["prod", "eu"]))
    repo = [img("a", ["prod-1", "eu-1"], 3), img("b", ["prod-2"], 2), img("c", ["prod-3", "eu-3"], 1)]
    assert lc.evaluate(p, repo, now=NOW).expired == ["a"]     # b lacks an eu tag, so it is not selected


@pytest.mark.parametrize("pattern,tag,hit", [("prod*", "production-team1", True), ("prod*", "repo-prod", False),
                                             ("*prod*", "repo-production", True), ("*prod*", "prod-team", True),
                                             ("prod", "prod1", False), ("v*.*", "v1.2", True),
                                             ("a.b", "axb", False)])
def test_tag_pattern_wildcards(pattern: str, tag: str, hit: bool) -> None:
    p = policy(rule(1, "tagged", "sinceImagePushed", 1, patterns=[pattern]))
    assert (lc.evaluate(p, [img("x", [tag], 2)], now=NOW).expired == ["x"]) is hit


def test_expiration_is_ordered_by_push_time_not_by_list_order() -> None:
    p = policy(rule(1, "any", "imageCountMoreThan", 2))
    repo = [img("new", ["c"], 1), img("old", ["a"], 9), img("mid", ["b"], 5)]
    assert lc.evaluate(p, repo, now=NOW).expired == ["old"]


def test_a_restored_image_is_ordered_by_its_restore_time() -> None:
    # "old" was pushed 90 days ago but restored yesterday: it sorts as the newest and survives keep-one
    p = policy(rule(1, "any", "imageCountMoreThan", 1))
    repo = [img("old", ["a"], 90, lastActivatedAt=NOW - DAY), img("new", ["b"], 3)]
    assert lc.evaluate(p, repo, now=NOW).expired == ["new"]


def test_an_image_is_acted_on_by_at_most_one_rule() -> None:
    p = policy(rule(1, "untagged", "sinceImagePushed", 1), rule(2, "any", "imageCountMoreThan", 1))
    r = lc.evaluate(p, [img("u", [], 5), img("t", ["x"], 1)], now=NOW)
    assert r.expired == ["u"] and [d.rule for d in r.decisions] == [1, None]


def test_rules_are_applied_in_priority_order_not_list_order() -> None:
    # same as multiple rules example A, rules listed in reverse
    p = policy(rule(20, "tagged", "imageCountMoreThan", 1, patterns=["beta*"]),
               rule(10, "tagged", "imageCountMoreThan", 1, patterns=["prod*"]))
    assert lc.evaluate(p, REPO_MULTI, now=NOW).expired == ["A"]


def test_images_marked_by_a_higher_rule_still_count_for_lower_rules() -> None:
    # rule 2 keeps 2 of its 3 beta images; A (marked by rule 1) still counts, so only A would go: nothing new
    p = policy(rule(1, "tagged", "imageCountMoreThan", 1, patterns=["prod*"]),
               rule(2, "tagged", "imageCountMoreThan", 2, patterns=["beta*"]))
    assert lc.evaluate(p, REPO_MULTI, now=NOW).expired == ["A"]


def test_archive_rules_see_only_archived_images_and_standard_rules_only_standard() -> None:
    p = policy(rule(1, "any", "imageCountMoreThan", 1))
    repo = [img("s1", ["a"], 3), img("s2", ["b"], 2),
            img("arch", ["c"], 9, imageStatus="ARCHIVED", lastArchivedAt=NOW - DAY)]
    assert lc.evaluate(p, repo, now=NOW).expired == ["s1"]


def test_an_image_in_a_manifest_list_stays_while_the_list_stays() -> None:
    p = policy(rule(1, "untagged", "imageCountMoreThan", 1))
    repo = [img("child-amd64", [], 3, manifestLists=["index"]), img("child-arm64", [], 2, manifestLists=["index"]),
            img("loose", [], 5), img("other", [], 1), img("index", ["v1"], 3)]
    r = lc.evaluate(p, repo, now=NOW)
    assert r.expired == ["loose"] and "manifest list index" in r.why("child-amd64")[-1]


def test_preview_shape() -> None:
    out = lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)),
                      [img("a", ["x"], 2), img("b", ["y"], 1)], now=NOW).to_api()
    assert out["previewResults"] == [{"imageDigest": "a", "imageTags": ["x"], "imagePushedAt": NOW - 2 * DAY,
                                      "action": {"type": "EXPIRE"}, "appliedRulePriority": 1,
                                      "storageClass": "STANDARD"}]
    assert out["summary"] == {"expiringImageTotalCount": 1, "transitioningImageTotalCount": 0}


# ================================================================ validation, as ECR words it

P = lc.PREFIX


def bad(p: Any) -> str:
    with pytest.raises(InvalidParameterException) as err:
        lc.validate_policy(p)
    assert err.value.message.startswith(P) and err.value.message.endswith("'")
    assert err.value.field == "lifecyclePolicyText"
    return err.value.message[len(P):-1]


def sel(**over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}
    s.update(over)
    return {"rules": [{"rulePriority": 1, "selection": {k: v for k, v in s.items() if v is not None},
                       "action": {"type": "expire"}}]}


def test_not_json_cannot_be_mapped() -> None:
    assert bad("{rules: nope") == "Could not map policyString into LifecyclePolicy."
    assert bad("[1, 2]") == "Could not map policyString into LifecyclePolicy."


def test_rules_are_required() -> None:
    assert bad({"no_rules": "test"}) == 'object has missing required properties (["rules"])'


def test_a_rule_must_be_an_object() -> None:
    assert bad({"rules": ["x"]}) == 'instance type (string) does not match any allowed primitive type (allowed: ["object"])'


def test_a_rule_needs_priority_selection_and_action() -> None:
    assert bad({"rules": [{"description": "x"}]}) == \
        'object has missing required properties (["action", "rulePriority", "selection"])'


def test_unknown_properties_are_not_allowed() -> None:
    p = sel()
    p["rules"][0]["selection"]["imageTags"] = ["x"]
    assert bad(p) == 'object instance has properties which are not allowed by the schema: (["imageTags"])'


def test_tag_status_enum() -> None:
    assert bad(sel(tagStatus="old")).startswith("instance value (old) not found in enum")


def test_action_type_enum() -> None:
    p = sel()
    p["rules"][0]["action"] = {"type": "delete"}
    assert bad(p) == 'instance value (delete) not found in enum :(possible values: ["expire", "transition"])'


def test_count_number_must_be_positive() -> None:
    assert bad(sel(countNumber=0)) == "numeric instance is lower than the required minimum (minimum: 1, found: 0)"


def test_count_type_enum() -> None:
    assert bad(sel(countType="sinceImageBuilt")).startswith("instance failed to match exactly one schema")


def test_count_unit_with_image_count_is_an_error() -> None:
    assert bad(sel(countUnit="days")).startswith("instance failed to match exactly one schema")


def test_count_unit_is_required_and_must_be_days_for_age_rules() -> None:
    assert bad(sel(countType="sinceImagePushed")) == 'object has missing required properties (["countUnit"])'
    assert bad(sel(countType="sinceImagePushed", countUnit="hours")).startswith("instance value (hours) not found")


def test_transition_needs_target_storage_class_archive() -> None:
    p = sel(countType="sinceImagePushed", countUnit="days")
    p["rules"][0]["action"] = {"type": "transition"}
    assert bad(p) == "instance failed to match exactly one schema (matched 0 out of 2)"


def test_expire_action_takes_no_target_storage_class() -> None:
    # the published failure when a tool wrote "targetStorageClass": null into an expire action
    p = sel()
    p["rules"][0]["action"] = {"type": "expire", "targetStorageClass": None}
    assert bad(p) == "instance failed to match exactly one schema (matched 0 out of 2)"


def test_since_image_pulled_only_with_transition() -> None:
    assert "transition action" in bad(sel(countType="sinceImagePulled", countUnit="days"))


def test_since_image_transitioned_needs_archive_storage_and_expire() -> None:
    assert "storageClass archive is required" in bad(sel(countType="sinceImageTransitioned", countUnit="days",
                                                         countNumber=365))


def test_archived_images_cannot_be_deleted_before_90_days() -> None:
    assert "minimum storage duration of 90 days" in bad(sel(countType="sinceImageTransitioned", countUnit="days",
                                                            countNumber=89, storageClass="archive"))
    lc.validate_policy(sel(countType="sinceImageTransitioned", countUnit="days", countNumber=90,
                           storageClass="archive"))


def test_archive_storage_class_only_with_since_image_transitioned() -> None:
    assert "storageClass must be standard" in bad(sel(storageClass="archive"))


def test_tagged_needs_a_tag_list() -> None:
    assert bad(sel(tagStatus="tagged")) == "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED."


def test_untagged_and_any_take_no_tag_list() -> None:
    assert "only be used when tagStatus is tagged" in bad(sel(tagPrefixList=["v"]))
    assert "only be used when tagStatus is tagged" in bad(sel(tagStatus="any", tagPatternList=["v*"]))


def test_not_both_tag_lists_in_one_rule() -> None:
    assert "not both" in bad(sel(tagStatus="tagged", tagPrefixList=["v"], tagPatternList=["v*"]))


def test_but_different_rules_may_use_pattern_and_prefix_lists() -> None:
    lc.validate_policy(policy(rule(1, "tagged", "imageCountMoreThan", 1, prefixes=["v"]),
                              rule(2, "tagged", "imageCountMoreThan", 1, patterns=["release*"])))


def test_four_wildcards_per_string_at_most() -> None:
    lc.validate_policy(sel(tagStatus="tagged", tagPatternList=["*test*1*2*3", "test*1*2*3*"]))   # 4 each: valid
    assert "the maximum is 4" in bad(sel(tagStatus="tagged", tagPatternList=["test*1*2*3*4*5*6"]))  # 6: invalid


def test_rule_priorities_must_be_unique() -> None:
    assert "unique rulePriority" in bad(policy(rule(1, "untagged", "imageCountMoreThan", 1),
                                               rule(1, "any", "imageCountMoreThan", 5)))


def test_rule_priorities_need_not_be_sequential() -> None:
    assert [r.priority for r in lc.validate_policy(policy(rule(10, "untagged", "imageCountMoreThan", 1),
                                                          rule(200, "any", "imageCountMoreThan", 5)))] == [10, 200]


def test_the_any_rule_must_be_last() -> None:
    assert bad(policy(rule(1, "any", "imageCountMoreThan", 5), rule(2, "untagged", "imageCountMoreThan", 1))) == \
        "Rule for tagStatus=ANY must have the lowest priority per storage class"


def test_only_one_untagged_rule_per_storage_class() -> None:
    assert bad(policy(rule(1, "untagged", "imageCountMoreThan", 1), rule(2, "untagged", "sinceImagePushed", 3))) == \
        "Only one rule can select Untagged images per storage class."


def test_tag_lists_must_be_unique_per_storage_class() -> None:
    assert "unique set of prefixes" in bad(policy(rule(1, "tagged", "imageCountMoreThan", 1, prefixes=["v"]),
                                                  rule(2, "tagged", "sinceImagePushed", 9, prefixes=["v"])))


def test_rule_priority_must_be_a_positive_integer() -> None:
    assert bad({"rules": [{"rulePriority": 0, "selection": sel()["rules"][0]["selection"],
                           "action": {"type": "expire"}}]}).startswith("numeric instance is lower")


@pytest.mark.parametrize("call", [
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), "not a list", now=NOW),  # type: ignore[arg-type]
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [{"imageTags": []}], now=NOW),
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [img("a", [], 1), img("a", [], 2)], now=NOW),
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [img("a", [1], 1)], now=NOW),
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [img("a", [], 1, storageClass="x")],
                        now=NOW),
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [img("a", [], 1, storageClass="archive")],
                        now=NOW),
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [], now="today"),  # type: ignore[arg-type]
    lambda: lc.evaluate(policy(rule(1, "any", "imageCountMoreThan", 1)), [img("a", [], 1)], now=NOW).why("zzz"),
])
def test_bad_input_raises_ecs_errors(call: Any) -> None:
    with pytest.raises(ECSError):
        call()


# ================================================================ invariants (Hypothesis)

@settings(max_examples=150, deadline=None)
@given(ages=st.lists(st.integers(0, 60), min_size=0, max_size=12), keep=st.integers(1, 6),
       tagged=st.lists(st.booleans(), min_size=12, max_size=12))
def test_invariants_keep_count_and_one_rule_per_image(ages: list[int], keep: int, tagged: list[bool]) -> None:
    repo = [img(f"i{k}", ["v1"] if tagged[k] else [], a) for k, a in enumerate(ages)]
    p = policy(rule(1, "untagged", "sinceImagePushed", 14), rule(2, "any", "imageCountMoreThan", keep))
    r = lc.evaluate(p, repo, now=NOW)
    # each image has at most one acting rule, and the actions name a rule of the policy
    assert all((d.action is None) == (d.rule is None) for d in r.decisions)
    # untagged images are only ever expired by rule 1 (rule 2 may not touch them: rule 3 of the page)
    assert all(d.rule in (1, None) for d in r.decisions if not d.image.tags)
    # rule 2 never leaves fewer than `keep` images of all those it sees
    assert len(repo) - sum(1 for d in r.decisions if d.rule == 2) >= min(keep, len(repo))
    # untagged images older than 14 days are gone, the others are not touched by rule 1
    for d in r.decisions:
        if not d.image.tags:
            assert (d.rule == 1) is (NOW - d.image.pushed_at > 14 * DAY)
