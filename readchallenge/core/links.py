"""Which links a paper's Hugging Face page gives, and which model is the paper's own.

The rule for the model (docs/links.md): only models whose author is the paper's organization
or the owner of its GitHub repository are candidates for the pick (third-party uploads are
listed, never picked); among them the one whose name is the repository's name, ignoring
case; otherwise the most liked; none when no model passes the first test.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from readchallenge.core.text import is_http_url

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
HF = "https://huggingface.co"


@dataclass(frozen=True)
class Model:
    id: str
    author: str
    likes: int


@dataclass(frozen=True)
class PaperPage:
    """What Hugging Face Papers knows of one arXiv paper (`indexed` False for a 404)."""

    arxiv_id: str
    indexed: bool
    github_repo: str | None = None
    github_repo_added_by: str | None = None
    project_page: str | None = None
    organization: str | None = None
    models: list[Model] = field(default_factory=list)
    num_models: int = 0
    upvotes: int | None = None
    github_stars: int | None = None
    ai_keywords: list[str] = field(default_factory=list)
    ai_summary: str | None = None
    ignored: tuple[str, ...] = ()  # the fields whose links failed the URL rule, dropped


def model_url(model_id: str) -> str:
    return f"{HF}/{model_id}"


def without_unsafe_links(page: PaperPage) -> PaperPage:
    """`page` with every link that fails the one URL rule (`is_http_url`) dropped, and the
    Hugging Face fields they came from named in `ignored`: what a page offers may be stored,
    opened and put into a post."""
    ignored = []
    repo, project = page.github_repo, page.project_page
    if repo is not None and not is_http_url(repo):
        repo = None
        ignored.append("githubRepo")
    if project is not None and not is_http_url(project):
        project = None
        ignored.append("projectPage")
    models = [m for m in page.models if is_http_url(model_url(m.id))]
    if len(models) < len(page.models):
        ignored.append("linkedModels")
    if not ignored:
        return page
    return replace(
        page, github_repo=repo, project_page=project, models=models, ignored=tuple(ignored)
    )


def _repo_owner_and_name(url: str | None) -> tuple[str, str] | None:
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return (parts[0], parts[1]) if len(parts) >= 2 else None


def is_code_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in CODE_HOSTS or host.endswith(tuple(f".{h}" for h in CODE_HOSTS))


def pick_model(page: PaperPage) -> Model | None:
    """The paper's own model by the rule above, or None."""
    repo = _repo_owner_and_name(page.github_repo)
    owners = {o.lower() for o in (page.organization, repo[0] if repo else None) if o}
    candidates = [m for m in page.models if m.author.lower() in owners]
    if not candidates:
        return None
    if repo:
        for model in candidates:
            if model.id.split("/")[-1].lower() == repo[1].lower():
                return model
    return max(candidates, key=lambda m: m.likes)


def found_links(page: PaperPage) -> dict[str, str]:
    """Links by kind: githubRepo as code, projectPage as blog (as code on a code host),
    the picked model as model."""
    links: dict[str, str] = {}
    if page.github_repo:
        links["code"] = page.github_repo
    if page.project_page:
        kind = "code" if is_code_host(page.project_page) else "blog"
        links.setdefault(kind, page.project_page)
    model = pick_model(page)
    if model is not None:
        links["model"] = model_url(model.id)
    return links
