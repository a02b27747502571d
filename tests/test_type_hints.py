"""Every public function and method of the package says the types it takes and returns
(private names, starting with `_`, are left free)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import contrat_ville


def _public_functions():
    for info in pkgutil.walk_packages(contrat_ville.__path__, "contrat_ville."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                for method_name, method in vars(obj).items():
                    if not method_name.startswith("_") and inspect.isfunction(method):
                        yield f"{module.__name__}.{name}.{method_name}", method


def _unannotated(function) -> list[str]:
    signature = inspect.signature(function)
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.annotation is inspect.Parameter.empty and name not in ("self", "cls")
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_every_public_function_has_type_hints():
    found = list(_public_functions())
    assert len(found) > 200  # the walk reaches every layer
    gaps = [f"{name}({', '.join(missing)})" for name, function in found if (missing := _unannotated(function))]
    assert not gaps, "public functions without type hints: " + "; ".join(gaps)


def test_the_check_sees_a_missing_hint():
    def shown(value, unit: str):  # no hint on `value`, none on the return
        return value

    assert _unannotated(shown) == ["value", "return"]
