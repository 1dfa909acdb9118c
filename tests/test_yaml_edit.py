"""A form's values written back into a content file: only the edited lines change, comments stay, and the
file is replaced only inside the project, whole, and only if nobody changed it meanwhile."""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output import ChangedOnDisk, SourceRefused, replace_source
from generator.yaml_edit import NotEditable, edited, new_id
from generator.yaml_reader import parse_yaml

ROOT = Path(__file__).parent.parent
PROGRAM = ROOT / "content" / "programs" / "twelve-months.yaml"
EXAMPLES = sorted((ROOT / "content").glob("*/*.yaml")) + [ROOT / "playbook.yaml"]


def read(text: str) -> Any:
    """The data a build reads from `text`."""
    document, problems = parse_yaml(text, "x.yaml")
    assert document is not None and not problems
    return document.data


def changes(before: str, after: str) -> list[str]:
    """The lines removed (`-`) and added (`+`), in order."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def program() -> tuple[str, Any]:
    text = PROGRAM.read_text(encoding="utf-8")
    return text, read(text)


def test_a_title_and_minutes_are_a_two_line_diff_and_every_comment_stays(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    document["months"][0]["title"] = "Kick-off meeting"
    document["months"][0]["agenda"][2]["minutes"] = 20
    result = edited(text, document)
    assert changes(text, result) == [
        "-    title: Kick-off",
        "+    title: Kick-off meeting",
        "-        minutes: 25",
        "+        minutes: 20",
    ]
    assert comment_lines(result) == comment_lines(text)
    assert read(result) == document


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_no_change_gives_the_same_bytes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert edited(text, read(text)) == text


def test_quotes_unicode_line_endings_and_the_last_newline_are_kept() -> None:
    text = "# note\r\ntitle: 'Café'\r\ntime: \"10:00\"  # local\r\nname: Zoë"
    result = edited(text, {"title": "Crème “brûlée”", "time": "11:30", "name": "Zoë"})
    assert result == "# note\r\ntitle: 'Crème “brûlée”'\r\ntime: \"11:30\"  # local\r\nname: Zoë"


def test_text_a_build_would_read_as_something_else_is_quoted() -> None:
    document = {"a": "true", "b": "2027-01-14", "c": "12", "d": "10:00", "e": "on", "f": None, "g": 3}
    result = edited("a: x\n", document)
    assert read(result) == document
    assert "a: 'true'" in result and "c: '12'" in result and "f:" in result


def test_dates_stay_dates_when_the_form_sends_iso_text() -> None:
    text = "start: 2027-01-14  # the first meeting\n"
    assert edited(text, {"start": "2027-01-14"}) == text
    assert edited(text, {"start": "2027-02-11"}) == "start: 2027-02-11  # the first meeting\n"


def test_a_changed_folded_text_stays_folded_and_a_literal_stays_literal(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    document["months"][0]["goal"] = " ".join(["Meet, agree how you will work, and talk about where the protégé"] * 3)
    document["months"][0]["notes"] = "Two lines\nof notes.\n"
    result = edited(text, document)
    assert "    goal: >-\n      Meet, agree how" in result
    assert max(len(line) for line in result.splitlines() if line.startswith("      Meet")) <= 80
    assert "    notes: |\n      Two lines\n      of notes.\n" in result
    assert read(result) == document


def test_reordered_items_without_ids_move_whole_with_their_lines(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    agenda = document["months"][0]["agenda"]
    agenda[0], agenda[1] = agenda[1], agenda[0]
    result = edited(text, document)
    removed = [line[1:] for line in changes(text, result) if line.startswith("-")]
    added = [line[1:] for line in changes(text, result) if line.startswith("+")]
    assert sorted(removed) == sorted(added)  # lines moved, none changed
    assert set(removed) <= set(_item_lines(text, "Introductions and check in") + _item_lines(text, "How the year"))
    assert len(removed) == 4
    assert read(result) == document


def _item_lines(text: str, topic: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f"topic: {topic}" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- "))
    return lines[start:end]


def test_added_and_removed_items_and_keys_touch_only_their_lines(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    month = document["months"][1]
    month["agenda"].append({"topic": "Plan the next month", "owner": "mentor", "minutes": 5})
    del month["agenda"][1]
    month["worksheets"].remove("mentoring-agreement")
    month["outcomes"] = ["One outcome."]
    del document["follow_up_after_days"]
    document["summary_for_leads"] = "New key."
    result = edited(text, document)
    assert read(result) == document
    added = [line for line in changes(text, result) if line.startswith("+")]
    removed = [line for line in changes(text, result) if line.startswith("-")]
    assert "+      - topic: Plan the next month" in added and "+summary_for_leads: New key." == added[-1]
    assert "-      - topic: Review last month's commitments" in removed
    assert "-follow_up_after_days: 90  # the dashboard flags a pair that has not met for this long" in removed
    # The comment lines after a removed key introduce the next one, so they stay.
    assert comment_lines(result) == comment_lines(text)
    assert len(removed) <= 12 and len(added) <= 8


def test_items_with_ids_are_matched_by_id(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    phases = document["phases"]
    phases[0], phases[1] = phases[1], phases[0]
    phases[0]["title"] = "Building up"
    result = edited(text, document)
    assert read(result) == document
    assert "-    title: Building" in changes(text, result) and "+    title: Building up" in changes(text, result)
    assert len(changes(text, result)) == 2 * 7  # one phase's seven lines moved, one of them changed


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a: &x 1\nb: *x\n", "anchors or aliases"),
        ("- 1\n- 2\n", "not a mapping"),
        ("a: 1\na: 2\n", "cannot be read"),
        ("a: !!str 1\n", "tag"),
        ("a: 1\n---\na: 2\n", "more than one"),
    ],
)
def test_text_that_cannot_round_trip_is_refused(text: str, why: str) -> None:
    with pytest.raises(NotEditable, match=why):
        edited(text, {"a": 1})


def test_new_ids_follow_the_id_rules_and_are_unique() -> None:
    assert new_id("Kick-off: the protégé’s first month!", ()) == "kick-off-the-proteges-first-month"
    assert new_id("Vision", {"vision", "vision-2"}) == "vision-3"
    assert new_id("¿?", ()) == "item"
    assert new_id("CON", ()) == "con-item"


SMALL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), choice=st.data())
def test_small_edits_read_back_and_leave_other_lines_alone(path: Path, choice: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    original, _ = parse_yaml(text, path.name)
    assert original is not None
    where = choice.draw(st.sampled_from(list(_text_leaves(original.data, ()))))
    changed = copy.deepcopy(original.data)
    holder = changed
    for part in where[:-1]:
        holder = holder[part]
    holder[where[-1]] = choice.draw(SMALL_TEXT.map(str.strip).filter(bool))
    result = edited(text, changed)
    assert read(result) == changed
    node = original._node_at(where, False)
    assert node is not None
    assert changed_lines(text, result) <= set(range(node.start_mark.line, node.end_mark.line + 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), choice=st.data())
def test_removing_or_moving_an_item_reads_back_and_keeps_other_comments(path: Path, choice: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    document = read(text)
    lists = [at for at in _places(document, ()) if isinstance(_at(document, at), list) and len(_at(document, at)) > 1]
    if not lists:
        return
    where = choice.draw(st.sampled_from(lists))
    changed = copy.deepcopy(document)
    items = _at(changed, where)
    taken = items.pop(choice.draw(st.integers(0, len(items) - 1)))
    if choice.draw(st.booleans()):
        items.insert(choice.draw(st.integers(0, len(items))), taken)
    result = edited(text, changed)
    assert read(result) == changed
    # Comment lines go only with what was removed, and only those above it.
    assert len(comment_lines(text)) - len(comment_lines(result)) <= text.count("\n#") + text.count("  #")


def _places(data: Any, at: tuple[Any, ...]) -> Any:
    yield at
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        yield from _places(value, (*at, key))


def _at(data: Any, where: tuple[Any, ...]) -> Any:
    for part in where:
        data = data[part]
    return data


def changed_lines(before: str, after: str) -> set[int]:
    """The lines of `before` (from 0) that `after` replaces or removes."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return {line for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for line in range(i1, i2)}


def _text_leaves(data: Any, at: tuple[Any, ...]) -> Any:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _text_leaves(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _text_leaves(value, (*at, index))
    elif isinstance(data, str):
        yield at


# --- replace_source ----------------------------------------------------------


def project(tmp_path: Path) -> Path:
    (tmp_path / "content" / "programs").mkdir(parents=True)
    (tmp_path / "content" / "programs" / "p.yaml").write_text("title: Old\n", encoding="utf-8")
    (tmp_path / "playbook.yaml").write_text("title: Book\n", encoding="utf-8")
    return tmp_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_source_is_replaced_whole_keeping_its_mode(tmp_path: Path) -> None:
    root = project(tmp_path)
    target = root / "content" / "programs" / "p.yaml"
    target.chmod(0o640)
    replace_source(root, "content/programs/p.yaml", "title: New\n", digest(target))
    assert target.read_text(encoding="utf-8") == "title: New\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["p.yaml"]  # no temporary file left
    settings_file = root / "playbook.yaml"
    replace_source(root, "content/../playbook.yaml", "title: Book 2\n", digest(settings_file))
    assert settings_file.read_text(encoding="utf-8") == "title: Book 2\n"


@pytest.mark.parametrize("rel", ["../x.yaml", "/etc/passwd", "content", "themes/default/theme.yaml", "x.yaml"])
def test_paths_outside_content_are_refused(tmp_path: Path, rel: str) -> None:
    root = project(tmp_path / "p")
    (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(SourceRefused):
        replace_source(root, rel, "a: 2\n", "0" * 64)
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == "a: 1\n"


def test_a_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    outside = tmp_path / "secret.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    (root / "content" / "linked.yaml").symlink_to(outside)
    (root / "content" / "folder").symlink_to(tmp_path)
    for rel in ("content/linked.yaml", "content/folder/secret.yaml"):
        with pytest.raises(SourceRefused):
            replace_source(root, rel, "a: 2\n", digest(outside))
    assert outside.read_text(encoding="utf-8") == "a: 1\n"


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    root = project(tmp_path)
    target = root / "content" / "programs" / "p.yaml"
    opened = digest(target)
    target.write_text("title: Edited by hand\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        replace_source(root, "content/programs/p.yaml", "title: From the form\n", opened)
    assert target.read_text(encoding="utf-8") == "title: Edited by hand\n"


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    target = root / "content" / "programs" / "p.yaml"

    def fail(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        replace_source(root, "content/programs/p.yaml", "title: New\n", digest(target))
    assert target.read_text(encoding="utf-8") == "title: Old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["p.yaml"]


def test_a_removed_key_or_item_takes_the_comment_lines_above_it() -> None:
    text = "a: 1\n# about b\nb: 2  # two\n# about c\nc:\n  - 1\n  # about two\n  - 2\n  - 3  # three\n"
    assert edited(text, {"a": 1, "c": [1, 3]}) == "a: 1\n# about c\nc:\n  - 1\n  - 3  # three\n"


def test_a_removed_block_text_keeps_the_blank_line_after_it(program: tuple[str, Any]) -> None:
    text, data = program
    document = copy.deepcopy(data)
    del document["months"][0]["notes"]
    result = edited(text, document)
    assert [line for line in changes(text, result) if line.startswith("+")] == []
    assert "      - lead/mentoring-agreement\n\n  - number: 2\n" in result
