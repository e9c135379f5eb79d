"""Frameworks: named YAML indicator templates (指标体系) and ready-to-fill evaluations built from them."""

from jixiao.frameworks.loader import (
    FRAMEWORK_DIR,
    FrameworkError,
    builtin_framework_names,
    load_framework,
    load_framework_with_findings,
)
from jixiao.frameworks.model import Framework, FrameworkLevel, Group, TemplateIndicator
from jixiao.frameworks.new import new_evaluation

__all__ = [
    "FRAMEWORK_DIR",
    "Framework",
    "FrameworkError",
    "FrameworkLevel",
    "Group",
    "TemplateIndicator",
    "builtin_framework_names",
    "load_framework",
    "load_framework_with_findings",
    "new_evaluation",
]
