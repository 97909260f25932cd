"""Compiled templates kept between a process's builds (chapbook.templating.MemoryBytecodeCache)."""

from __future__ import annotations

from pathlib import Path

from chapbook import render
from chapbook.citations import cited_keys


def test_a_template_is_compiled_once_and_again_when_it_changes(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "note.j2"
    template.write_text("first {{ word }}", encoding="utf-8")
    compiled = []
    real = render.ProjectSandbox.compile

    def compile_(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(render.ProjectSandbox, "compile", compile_)
    assert render.template_env(tmp_path).get_template("note.j2").render(word="one") == "first one"
    assert render.template_env(tmp_path).get_template("note.j2").render(word="two") == "first two"
    assert compiled == ["note.j2"]  # the second environment took the first one's code
    template.write_text("second {{ word }}", encoding="utf-8")
    assert render.template_env(tmp_path).get_template("note.j2").render(word="three") == "second three"
    assert compiled == ["note.j2", "note.j2"]


def test_cited_keys_are_those_of_every_text() -> None:
    texts = ["As [@a; @b, p. 2] wrote.", "@c says", "none", "As [@a; @b, p. 2] wrote."]
    assert cited_keys(texts) == {"a", "b", "c"}
    assert cited_keys([]) == set()


def test_a_fragment_is_set_for_print_once_per_process() -> None:
    value = "See 'the report' at www.example.org, by the IOM."
    before = render._retyped.cache_info()
    first = render.print_text(value + " (once)")
    assert render.print_text(value + " (once)") == first and "‘the report’" in first and 'class="url"' in first
    after = render._retyped.cache_info()
    assert after.misses - before.misses == 1 and after.hits - before.hits == 1
