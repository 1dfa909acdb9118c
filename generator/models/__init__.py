"""The typed content model: what a playbook is made of.

Every model is frozen and forbids unknown keys, so a typo in a YAML file is an
error rather than a silently ignored setting. Each field has a description;
`playbook schema` turns them into a JSON Schema for editors. This package does
no I/O and imports only the value types of `values`; its modules follow the
files of a project: settings, programs, materials, and the whole playbook.
"""

from __future__ import annotations

from .cohort import Cohort, Pair
from .looks import FONT_FAMILY_PATTERN, FONT_FORMATS, FONT_WEIGHT_PATTERN, Font, Fonts, ThemeManifest
from .materials import (
    FIELD_TYPES,
    Checklist,
    ChecklistGroup,
    ChecklistItem,
    ChoiceField,
    DateField,
    FieldBase,
    Guide,
    GuideMeta,
    ListField,
    LongTextField,
    ScaleField,
    Section,
    ShortTextField,
    TableField,
    Worksheet,
    WorksheetField,
)
from .playbook import DOCUMENT_MODELS, FIRST_GUIDE, Changelog, MonthOf, Playbook
from .program import CADENCE_STEP, AgendaItem, Month, PerRole, Phase, Program, Schedule, Task
from .settings import (
    DEFAULT_MAX_FILE_MB,
    Colors,
    LimitSettings,
    MarkdownSettings,
    PrintSettings,
    Role,
    RoleTranslation,
    SettingsTranslation,
    SiteSettings,
)

__all__ = [
    "CADENCE_STEP",
    "DEFAULT_MAX_FILE_MB",
    "DOCUMENT_MODELS",
    "FIELD_TYPES",
    "FIRST_GUIDE",
    "FONT_FAMILY_PATTERN",
    "FONT_FORMATS",
    "FONT_WEIGHT_PATTERN",
    "AgendaItem",
    "Changelog",
    "Checklist",
    "ChecklistGroup",
    "ChecklistItem",
    "ChoiceField",
    "Cohort",
    "Colors",
    "DateField",
    "FieldBase",
    "Font",
    "Fonts",
    "Guide",
    "GuideMeta",
    "LimitSettings",
    "ListField",
    "LongTextField",
    "MarkdownSettings",
    "Month",
    "MonthOf",
    "Pair",
    "PerRole",
    "Phase",
    "Playbook",
    "PrintSettings",
    "Program",
    "Role",
    "RoleTranslation",
    "ScaleField",
    "Schedule",
    "Section",
    "SettingsTranslation",
    "ShortTextField",
    "SiteSettings",
    "TableField",
    "Task",
    "ThemeManifest",
    "Worksheet",
    "WorksheetField",
]
