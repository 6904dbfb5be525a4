"""Every change the audit log shows is labelled and readable (issue 14 "nothing raw"): no key of a service's
``record(before=..., after=...)`` reaches the page as its code, and no value as a dict or a list of them.

Two guards: a static one over the source, so that a new key without a label fails here before anybody sees it,
and one over the demo enterprise's real audit log, so that what the committee staff read is checked as read."""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction

from plaza.audit import actions
from plaza.audit.models import AuditEntry

PLAZA = pathlib.Path(__file__).resolve().parents[2]

#: an ASCII code name in a label (``in_time``, ``guests``); a label is Chinese
CODE_IN_LABEL = re.compile(r"[a-z]{2,}|_")
#: a snake_case word in a value (``status_changes：3``), a dict or list printed raw, or a value that is a code
CODE_IN_VALUE = re.compile(r"[a-z]+_[a-z]+|[{}\[\]]|^[a-z]+$")


# -- the static guard ------------------------------------------------------------------------------------------------


def _module_name(path: pathlib.Path) -> str:
    return ".".join(path.relative_to(PLAZA.parent).with_suffix("").parts)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _strings(node: ast.expr | None, constants: dict[str, ast.expr]) -> list[str]:
    """The strings of a literal list/tuple/set, or of a module constant naming one."""
    if isinstance(node, ast.Name) and node.id in constants:
        node = constants[node.id]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


class _Keys:
    """The keys one ``before=``/``after=`` expression can write, followed through the enclosing function."""

    def __init__(self, function: ast.AST | None, constants: dict[str, ast.expr]) -> None:
        self.function = function
        self.constants = constants
        self.seen: set[str] = set()

    def of(self, node: ast.expr | None) -> list[str]:
        if node is None:
            return []
        if isinstance(node, ast.Dict):
            keys = []
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:  # **other
                    keys += self.of(value)
                elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                    keys.append(key.value)
                keys += self.nested(value)
            return keys
        if isinstance(node, ast.DictComp):
            keys = []
            if isinstance(node.key, ast.Name):
                for generator in node.generators:
                    if isinstance(generator.target, ast.Name) and generator.target.id == node.key.id:
                        keys += _strings(generator.iter, self.constants)
            return keys
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "snapshot":
            return _strings(node.args[1] if len(node.args) > 1 else None, self.constants)
        if isinstance(node, ast.IfExp):
            return self.of(node.body) + self.of(node.orelse)
        if isinstance(node, ast.BoolOp):
            return [k for value in node.values for k in self.of(value)]
        if isinstance(node, ast.Name) and self.function is not None and node.id not in self.seen:
            self.seen.add(node.id)
            return self.assigned(node.id)
        return []

    def nested(self, node: ast.expr) -> list[str]:
        """Keys of records written inside a value (a list of dicts, a dict of dicts, a variable holding one):
        shown too, so labelled too."""
        if isinstance(node, ast.Dict):
            return self.of(node)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return [k for element in node.elts for k in self.nested(element)]
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            return self.nested(node.elt)
        if isinstance(node, ast.DictComp):
            return self.nested(node.value)
        if isinstance(node, ast.IfExp):
            return self.nested(node.body) + self.nested(node.orelse)
        if isinstance(node, ast.Name) and self.function is not None and node.id not in self.seen:
            self.seen.add(node.id)  # {"filters": filters}: the keys of the dict assigned to it
            return self.assigned(node.id)
        return []

    def assigned(self, name: str) -> list[str]:
        """Keys given to the variable ``name`` in the function: assigned, ``name["k"] = ...``, ``name.update``."""
        keys = []
        for node in ast.walk(self.function):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        keys += self.of(node.value)
                    elif (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == name
                        and isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str)
                    ):
                        keys.append(target.slice.value)
                        keys += self.nested(node.value)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("update", "setdefault")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
            ):
                if node.func.attr == "setdefault" and node.args and isinstance(node.args[0], ast.Constant):
                    keys.append(node.args[0].value)
                for arg in node.args if node.func.attr == "update" else []:
                    keys += self.of(arg)
                keys += [kw.arg for kw in node.keywords if kw.arg]
        return keys


def _model_named(module: Any, node: ast.expr | None) -> Any:
    """The model class an annotation or a call chain names (``Item``, ``Item | None``, ``Item.objects.get()``,
    ``get_object_or_404(Item, ...)``, ``_create(...)`` of a function annotated ``-> Item``), looked up in the
    module's own namespace."""
    for inner in ast.walk(node) if node is not None else ():
        if isinstance(inner, ast.Name | ast.Constant):
            name = inner.id if isinstance(inner, ast.Name) else inner.value
            found = getattr(module, name, None) if isinstance(name, str) else None
            if inspect.isclass(found) and issubclass(found, models.Model) and not found._meta.abstract:
                return found
            returns = getattr(found, "__annotations__", {}).get("return") if inspect.isfunction(found) else None
            if isinstance(returns, str) and returns.isidentifier() and returns != name:
                model = _model_named(module, ast.Name(returns))
                if model is not None:
                    return model
    return None


def _audited_model(call: ast.Call, function: ast.AST | None, module: Any) -> Any:
    """The model whose fields label the keys: ``object_type="app.model"``, else the object passed when its type
    shows in the function (a parameter's annotation or what the variable was assigned). None when unseen."""
    for kw in call.keywords:
        if kw.arg == "object_type" and isinstance(kw.value, ast.Constant) and kw.value.value:
            return actions._model(kw.value.value)  # as the audit page finds it: None for "demo.enterprise"
    obj = call.args[2] if len(call.args) > 2 else next((kw.value for kw in call.keywords if kw.arg == "obj"), None)
    if not isinstance(obj, ast.Name) or function is None:
        return None
    for arg in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]:
        if arg.arg == obj.id:
            return _model_named(module, arg.annotation)
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and any(isinstance(t, ast.Name) and t.id == obj.id for t in node.targets)
        ):
            return _model_named(module, node.value)
    return None


def _is_record_call(node: ast.AST) -> bool:
    """``record(actor, action, ...)`` or ``audit.record(...)``, not a method of the same name on ``self``."""
    if not isinstance(node, ast.Call) or len(node.args) < 2:
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "record"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "record"
        and not (isinstance(func.value, ast.Name) and func.value.id == "self")
    )


def _record_calls() -> Iterator[tuple[str, ast.Call, ast.AST | None, Any, dict[str, ast.expr]]]:
    for path in sorted(PLAZA.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "record(" not in source:
            continue
        tree = ast.parse(source)
        constants = {
            t.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name) and node.value is not None
        }
        enclosing = {id(inner): f for f in _functions(tree) for inner in ast.walk(f)}
        module = None
        for node in ast.walk(tree):
            if not _is_record_call(node) or not any(kw.arg in ("before", "after") for kw in node.keywords):
                continue
            module = module or importlib.import_module(_module_name(path))
            yield f"{path.relative_to(PLAZA.parent)}:{node.lineno}", node, enclosing.get(id(node)), module, constants


def test_every_key_a_service_records_has_a_label():
    """Scans every ``record()`` call: each key it writes (and each key of a dict inside a value) is labelled by the
    audited model's field when the model shows, else by :data:`plaza.audit.actions.FIELD_LABELS`."""
    unlabelled, scanned = [], 0
    for where, call, function, module, constants in _record_calls():
        model = _audited_model(call, function, module)
        for kw in call.keywords:
            if kw.arg not in ("before", "after"):
                continue
            for key in _Keys(function, constants).of(kw.value):
                scanned += 1
                if actions.field_label(model, key) is None:
                    unlabelled.append(f"{where} {key!r} ({model._meta.label_lower if model else 'no model'})")
    assert scanned > 300  # the scan sees the services' keys
    assert unlabelled == [], "keys the audit log would show as code: add them to actions.FIELD_LABELS"


def test_the_scan_follows_variables_snapshots_and_field_lists():
    """The static guard itself: keys assigned to a variable, added later, in snapshot() lists and field tuples."""
    source = """
FIELDS = ("title", "guests")
def f(item, actor):
    after = {"in_time": 1}
    after["change"] = [{"author": 1}]
    filters = {"q": ""}
    record(actor, X, item, before=snapshot(item, ["expected"]), after=after)
    record(actor, X, item, after={k: getattr(item, k) for k in FIELDS})
    record(actor, X, item, after={"count": 1, "filters": filters, "rows": len(filters["q"])})
"""
    tree = ast.parse(source)
    constants = {"FIELDS": tree.body[0].value}
    function = tree.body[1]
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "record"]
    keys = [k for call in calls for kw in call.keywords for k in _Keys(function, constants).of(kw.value)]
    assert sorted(keys) == [
        "author",
        "change",
        "count",
        "expected",
        "filters",
        "guests",
        "in_time",
        "q",
        "rows",
        "title",
    ]


def test_nested_values_read_as_labelled_pairs_and_rule_keys_by_their_rule():
    """The values the demo reported raw: a list of records, yes/no, a datetime written by str(), a time, a rule."""

    def shown(object_type: str, after: dict[str, Any], before: dict[str, Any] | None = None) -> list[str]:
        return [str(c) for c in actions.describe_changes(object_type, before, after)]

    items = [{"post": 39, "comment": None, "author": 12}, {"post": 40, "comment": 7, "author": 13}]
    assert shown("space.post", {"items": items}) == [
        "查看的内容：帖子：39，评论：—，作者：12；帖子：40，评论：7，作者：13"
    ]
    assert shown("voice.item", {"in_time": True, "change": ""}) == ["按期答复：是", "据此改进：—"]
    published = shown("learning.article", {"publish_at": "2026-12-07 05:08:12.113453+00:00"})[0]
    assert published.startswith("发布时间：2026年12月7日") and "+00:00" not in published
    assert shown("meetings.series", {"time": "14:30:00"}) == ["时间：14:30"]
    rule = shown("orgs.organisation", {"meetings.makeup_days": "15"}, {"meetings.makeup_days": "30"})[0]
    assert rule.endswith("：30 → 15") and not CODE_IN_LABEL.search(rule), rule
    # codes of a field the audited object lacks read by that field's choices; field names by their labels
    assert shown("meetings.meeting", {"kinds": ["theme_day"]}) == ["未落实的组织生活：主题党日"]
    assert shown("accounts.person", {"fields": ["id_card", "phone"]})[0].startswith("查看的信息：身份")
    grades = [{"person": "张建国", "grade": "excellent"}]
    assert shown("evaluation.campaign", {"grades": grades}) == ["评定等次：人员：张建国，等级：优秀"]


def test_every_borrowed_choice_names_a_field_with_choices():
    for key, path in actions.FIELD_CHOICES.items():
        app_model, _dot, name = path.rpartition(".")
        field = actions._model(app_model)._meta.get_field(name)
        assert field.choices, f"FIELD_CHOICES[{key!r}] = {path!r} has no choices"


# -- the demo's audit log, as read --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_log(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """The small demo enterprise's audit log, seeded once and rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", people=60, branches=3, verbosity=0)
            yield list(AuditEntry.objects.order_by("pk"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_audit_log_shows_no_code_names_and_no_raw_dicts(demo_log):  # noqa: ANN001
    assert len(demo_log) > 100
    raw = []
    for entry in demo_log:
        for change in entry.changes:
            values = [change.before, change.after]
            if CODE_IN_LABEL.search(change.field) or any(CODE_IN_VALUE.search(v) for v in values):
                raw.append(f"{entry.action} {entry.object_type}: {change}")
    assert raw == []
