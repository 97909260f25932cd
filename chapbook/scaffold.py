"""``build.py new DIR``: a new reader that builds out of the box.

publication.yml shows every setting: the ones a new reader needs are set,
the others are commented out with their defaults and meaning, generated from
the declarations in :mod:`chapbook.config` (``OPTIONS``, ``TYPOGRAPHY``,
``BOOKLET``, ``PRINT`` and any other section declared there), so the
comments never fall behind the code. Uncommenting any of them gives a valid
setting. The sample texts, introduction, glossary and bibliography use each
other, so the reader checks clean (no unused entries) and shows the features.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import yaml

from . import config as config_module
from .config import OPTIONS, Option
from .diagnostics import ExitStatus
from .read import slugify

TEXTS = {
    "01-a-walk-along-the-river.md": """---
title: A Walk Along the River
author: Jo Example
date: "2024"
source: example2024walk
original_url: unknown
lang: en
summary: A sample text. Replace it with a text of your own.
questions:
  - What does the walker notice first?
editorial_notes:
  - This is a sample text written for the template.
---

The path follows the river for most of the morning.[^1] Nobody on it seems to be in a
hurry, and the ferry that used to cross here has become a story people tell
[@example2024walk, p. 2].

## The old crossing

The walker asks about the ferry and hears three {~~diferent~>different~~} versions of
why it stopped. The commons by the bank is still mown by whoever has the time.

[^1]: A footnote: it is set at the foot of the page in print and pops up in the EPUB.
""",
    "02-notes-on-a-library.md": """---
title: Notes on a Library
author: unknown
date: unknown
source: sample2025library
original_url: unknown
lang: en
summary: A second sample text, with a citation and a glossary term.
questions:
  - Who decides what a library keeps?
---

A small library keeps what its readers bring back. Its catalogue is a card box, and
its rules fit on one page, as @sample2025library describes.

Readers who borrow a book write their name on a slip; the slips are kept, and the
history of the commons can be read from them.
""",
}

INTRODUCTION = """---
title: Introduction
---

This is a sample reader made by `build.py new`. It has two short texts: a walk along a
river and a few notes on a library [see @example2024walk; @sample2025library].

Replace the texts in `content/texts/`, list them in `content/publication.yml` under
`texts:`, and run `build.py check` to see what still needs doing. Terms such as
[[commons]] are explained in the glossary.
"""

GLOSSARY = """# One entry per term: the term is marked at its first occurrence in each text.
- term: commons
  aliases: [common land]
  definition: Land or resources that a community uses and looks after together.
"""

BIBLIOGRAPHY = """BibTeX entries. A text cites one by its key, the word after the opening brace; a text's
'source:' field names the entry of the original publication.

@book{example2024walk,
  author = {Example, Jo},
  title = {A Walk Along the River},
  publisher = {Sample Press},
  address = {Nowhere},
  year = {2024}
}

@misc{sample2025library,
  author = {{The Sample Collective}},
  title = {Notes on a Library},
  howpublished = {Pamphlet},
  year = {2025}
}
"""

GITIGNORE = "output/\n"


def publication_yml(title: str, year: str) -> str:
    """publication.yml: the needed settings, then every other one commented out with its meaning."""
    slug = slugify(title)
    values = {
        "title": title,
        "subtitle": "A sample reader",
        "editors": ["Your Name"],
        "edition": "First edition",
        "date": year,
        "language": "en",
        "identifier": f"urn:chapbook:{slug}:1",
        "front": ["introduction"],
        "texts": ["a-walk-along-the-river", "notes-on-a-library"],
        "back": [],
    }
    lines = ["# The reader's settings. Lines starting with '# ' followed by a setting show the other",
             "# settings with their defaults: remove the '# ' to use one. 'build.py check' reports mistakes.",
             ""]
    for key, option in OPTIONS.items():
        section = _section(key)
        if key in values:
            lines.append(_line(key, values[key], option.help))
        elif section is not None:
            lines.append(f"# {key + ':':<28} # {option.help}")
            for sub, sub_option in section.items():
                lines.append("#   " + _line(sub, sub_option.default, sub_option.help, width=28))
        else:
            lines.append("# " + _line(key, option.default, option.help, width=28))
    return "\n".join(lines) + "\n"


def _section(key: str) -> dict[str, Option] | None:
    """The declarations of a mapping setting ('typography' → TYPOGRAPHY), however many config declares."""
    if OPTIONS[key].kind is not dict:
        return None
    declared = getattr(config_module, key.upper(), None)
    return declared if isinstance(declared, dict) else {}


def _line(key: str, value, help_text: str, width: int = 30) -> str:
    shown = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000).strip()
    if shown.endswith("\n..."):
        shown = shown[:-4].strip()
    shown = shown.removesuffix("...").strip()
    text = f"{key}: {shown}"
    return f"{text:<{width}} # {help_text}"


def new_project(folder: Path, title: str = "", stream=sys.stdout) -> int:
    """Create the reader in ``folder`` (new or empty); exit status 2 if it is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"build.py: error: {folder} exists and is not empty; choose a new folder", file=sys.stderr)
        return ExitStatus.USAGE
    title = title or folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "A reader"
    year = str(datetime.date.today().year)
    files = {
        "content/publication.yml": publication_yml(title, year),
        "content/introduction.md": INTRODUCTION,
        "content/glossary.yml": GLOSSARY,
        "bibliography.bib": BIBLIOGRAPHY,
        "styles/custom.css": "/* Extra CSS applied after chapbook's own print.css (optional). */\n",
        ".gitignore": GITIGNORE,
        **{f"content/texts/{name}": text for name, text in TEXTS.items()},
    }
    (folder / "content" / "originals").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"created a new reader in {folder}:", file=stream)
    for name in sorted(files):
        print(f"  {name}", file=stream)
    print(f"build it with: python build.py --project {folder}", file=stream)
    return ExitStatus.OK
