"""Atom feeds of the change log (`policykb.changes`), written into the built site by feedgen.

Writes `feeds/alles.xml` (everything) and one feed per organisation and per instrument
(`feeds/organisatie/<id>.xml`, `feeds/instrument/<id>.xml`: the assessments of the measures
linked to it and its own stages), so a policy officer can follow the IND or a bill in any feed
reader. Entry ids are the log's stable IRIs; entry links point at the site's pages,
absolute when the site's URL is known (`--site-url`), else relative to the feed (RFC 4287 resolves
them against the feed's own address). Entries and feeds are dated by the day of the change.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

from feedgen.feed import FeedGenerator

from policykb.changes import CHANGE_PATH, Entry
from policykb.compile.terms import DEFAULT_BASE

FEEDS = "feeds"
"""The site folder the feeds live in."""


def feed_path(record_page: str | None) -> str:
    """The feed of a record page (`organisatie/ind/` -> `feeds/organisatie/ind.xml`), or the whole log's."""
    return f"{FEEDS}/alles.xml" if record_page is None else f"{FEEDS}/{record_page.rstrip('/')}.xml"


def write_feeds(
    site_dir: Path,
    entries: list[Entry],
    records: dict[str, tuple[str, str]],
    site_url: str | None,
    base: str = DEFAULT_BASE,
) -> list[Path]:
    """Write the feeds; `records` maps each followable record id to (its page, its Dutch name).
    A feed with no entry yet is dated by the newest entry of all (a date, not a build time)."""
    newest = max((entry.date for entry in entries), default=dt.date(2000, 1, 1))
    written = [_write(site_dir, None, "Alle veranderingen", entries, site_url, base, newest)]
    for key, (page, name) in sorted(records.items()):
        selected = [entry for entry in entries if key in entry.concerns]
        written.append(_write(site_dir, page, f"Veranderingen: {name}", selected, site_url, base, newest))
    return written


def _write(
    site_dir: Path,
    page: str | None,
    title: str,
    entries: list[Entry],
    site_url: str | None,
    base: str,
    newest: dt.date,
) -> Path:
    path = feed_path(page)
    folder = posixpath.dirname(path)
    feed = FeedGenerator()
    feed.id(f"{base}{CHANGE_PATH}feed/{page.rstrip('/') if page else 'alles'}")
    feed.title(title)
    feed.language("nl")
    feed.author({"name": "policykb"})
    feed.link(href=_url(site_url, folder, page or "veranderingen/"), rel="alternate", type="text/html")
    feed.link(href=_url(site_url, folder, path), rel="self", type="application/atom+xml")
    feed.updated(_moment(max((entry.date for entry in entries), default=newest)))
    for entry in sorted(entries, key=lambda entry: (entry.date, entry.id)):
        item = feed.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=_url(site_url, folder, entry.page), rel="alternate", type="text/html")
        item.updated(_moment(entry.date))
        lines = [entry.summary] if entry.summary else []
        lines += [
            f"Bron: {source.label}" + (" (nieuws)" if source.news else "") + (f" — {source.url}" if source.url else "")
            for source in entry.sources
        ]
        if lines:
            item.summary("\n".join(lines))
    target = site_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    feed.atom_file(str(target), pretty=True)
    return target


def _url(site_url: str | None, folder: str, page: str) -> str:
    if site_url:
        return f"{site_url.rstrip('/')}/{page}"
    return posixpath.relpath(page, folder) + ("/" if page.endswith("/") else "")


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
