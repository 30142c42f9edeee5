"""The week's post as Markdown, from a Jinja2 template (a built-in one or the user's)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from readchallenge.core.markdown import ends_with_list, escape
from readchallenge.errors import RcError

if TYPE_CHECKING:
    from readchallenge.results.post import Week


@contextmanager
def _hashlib_without_openssl() -> Iterator[None]:
    """Import under this to give the modules imported hashlib's built-in hashes.

    Jinja2 imports hashlib when it starts, for the sha1 that names the files of a bytecode
    cache, which rc does not use. Through OpenSSL that loads libcrypto: 3.4 MiB resident, a
    sixth of `rc export-week`. hashlib's built-in sha1 gives the same digests. hashlib is
    forgotten afterwards, so code that imports it later in the process gets OpenSSL's again.
    """
    if "hashlib" in sys.modules or importlib.util.find_spec("_sha1") is None:
        yield  # already paid for, or a Python built without its own sha1
        return
    sys.modules["_hashlib"] = None  # type: ignore[assignment]  # import fails: built-ins
    try:
        yield
    finally:
        del sys.modules["_hashlib"]
        sys.modules.pop("hashlib", None)


with _hashlib_without_openssl():
    import jinja2
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).parent / "templates"


def _environment(folder: Path) -> jinja2.Environment:
    # Sandboxed: a template is code, and a user's template (or one found online) must not
    # reach Python's internals, the file system or a shell.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=False,  # Markdown, not HTML: the `md` filter escapes what needs it
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = escape
    env.filters["ends_with_list"] = ends_with_list
    env.filters["yaml"] = lambda text: json.dumps(str(text), ensure_ascii=False)
    return env


BUILT_IN = {"sunday": "sunday.md.j2", "detailed": "detailed.md.j2"}


def render_post(data: Week, template: str = "sunday") -> str:
    """Render the post with a built-in template (by name) or a file; a template's mistakes
    become a one-line error."""
    if template in BUILT_IN:
        folder, name = TEMPLATES, BUILT_IN[template]
    else:
        path = Path(template)
        folder, name = path.parent, path.name
    try:
        text = _environment(folder).get_template(name).render(**data)
    except jinja2.TemplateNotFound as exc:
        if exc.name != name:  # the template is there; what it includes or extends is not
            raise RcError(
                f"template {template}: it includes {exc.name}, which is not found"
            ) from None
        raise RcError(f"template {template} not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RcError(f"template {template}, line {exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise RcError(
            f"template {template}: {exc.message} (docs/export.md lists variables)"
        ) from None
    except SecurityError as exc:
        raise RcError(f"template {template} tried something unsafe: {exc}") from None
    except jinja2.TemplateError as exc:
        raise RcError(f"template {template}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RcError(f"cannot read template {template}: {exc}") from None
    except Exception as exc:  # a template's own mistake at run time, such as 1/0
        raise RcError(f"template {template}: {type(exc).__name__}: {exc}") from None
    # Collapse the blank lines the template's conditionals leave behind.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
