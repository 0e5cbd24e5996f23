"""Views that record what templates read (blogkit/render/tracking.py)."""
from __future__ import annotations

from blogkit.render.tracking import Recording, TrackedView


def test_truth_and_length_of_a_view_do_not_load_its_body() -> None:
    # `{% if page.previous %}` takes the neighbour's truth value: loading its body for that
    # fetched and converted a whole post per page (and kept its HTML in memory).
    loads: list[str] = []

    def loader(name: str):  # type: ignore[no-untyped-def]
        def load() -> str:
            loads.append(name)
            return f"<p>{name}</p>"
        return load

    view = TrackedView({"title": "T", "url": "/t/"}, "doc:t.md", "base",
                       {"content": loader("content"), "excerpt": loader("excerpt")}, body_fp="b")
    assert bool(view) and len(view) == 4
    assert loads == []
    assert view["excerpt"] == "<p>excerpt</p>" and len(view) == 4   # loaded keys counted once
    assert sorted(view) == ["content", "excerpt", "title", "url"] and len(view) == 4
    assert loads == ["excerpt", "content"]


def test_reading_a_body_key_records_the_body_grain() -> None:
    view = TrackedView({"title": "T"}, "doc:t.md", "base", {"content": lambda: "x"}, body_fp="b")
    with Recording() as seen:
        view["title"]
    with Recording() as body:
        view["content"]
    assert "doc:t.md" in seen and "doc:t.md#body" not in seen
    assert "doc:t.md#body" in body


def test_excerpt_and_reading_time_record_the_summary_grain() -> None:
    # what a list of posts shows: an edit further down the body must not re-render the lists
    view = TrackedView({"title": "T", "reading_time": 3}, "doc:t.md", "base",
                       {"content": lambda: "x", "excerpt": lambda: "e"}, body_fp="b", summary_fp="s")
    with Recording() as summary:
        view["excerpt"], view.get("reading_time")
    assert summary == {"doc:t.md#summary"}
    with Recording() as everything:
        list(view.items())
    assert everything == {"doc:t.md", "doc:t.md#body", "doc:t.md#summary"}
    assert view.summary_fingerprint() == "s"
    assert TrackedView({}, "doc:u.md", "base", body_fp="b").summary_fingerprint() == "b"


def test_a_fragment_renders_once_per_build_and_every_output_records_its_reads() -> None:
    from blogkit.render.fragments import Fragments
    from blogkit.render.tracking import Recording, TrackedView

    calls: list[str] = []

    def card(post: dict, heading: str = "h2") -> str:
        calls.append(heading)
        return f"<{heading}>{post['title']}</{heading}>"
    once = Fragments()
    a = TrackedView({"title": "A"}, "doc:a.md", "fp-a")
    b = TrackedView({"title": "B"}, "doc:b.md", "fp-b")
    with Recording() as first:
        assert once(card, a) == "<h2>A</h2>"
    with Recording() as second:   # another output: served from the memo, same reads
        assert once(card, a) == "<h2>A</h2>"
    assert first == second == {"doc:a.md"} and calls == ["h2"]
    assert once(card, a, heading="h3") == "<h3>A</h3>" and once(card, b) == "<h2>B</h2>"
    assert calls == ["h2", "h3", "h2"]
    assert Fragments()(card, a) == "<h2>A</h2>" and len(calls) == 4   # a new build renders again
