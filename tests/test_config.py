from __future__ import annotations

from pathlib import Path

import pytest

from blogkit.config import deep_merge, load_config
from blogkit.errors import BlogkitError


def test_deep_merge_follows_jekyll_rules() -> None:
    # spec §1.2 table: scalars replaced, lists replaced, mappings merged, null never overrides
    base = {"title": "Base", "list": [1, 2], "nested": {"a": 1, "b": 2}, "url": "https://a.example"}
    over = {"title": "Override", "list": [3], "nested": {"b": 3, "c": 4}, "url": None}
    assert deep_merge(base, over) == {"title": "Override", "list": [3],
                                      "nested": {"a": 1, "b": 3, "c": 4}, "url": "https://a.example"}


def test_config_files_merge_left_to_right(make_site) -> None:
    site = make_site({"_config.yml": "title: Base\nurl: https://a.example\n",
                      "_config.dev.yml": "title: Dev\nurl:\n"})
    config, _ = load_config(site, [site / "_config.yml", site / "_config.dev.yml"])
    assert config.get("title") == "Dev"
    assert config.get("url") == "https://a.example"


def test_missing_named_config_is_fatal(make_site) -> None:
    site = make_site({"_config.yml": "title: X\n"})
    with pytest.raises(BlogkitError, match="does not exist"):
        load_config(site, [site / "nope.yml"])


def test_typo_gets_a_warning_with_line_and_suggestion(make_site) -> None:
    site = make_site({"_config.yml": "title: X\n\npermlink: pretty\n"})
    _, problems = load_config(site)
    typo = [p for p in problems if p.code == "config-typo"]
    assert len(typo) == 1
    assert str(typo[0]) == "_config.yml:3: unknown key 'permlink' \u2014 did you mean 'permalink'? (unknown keys are kept for templates)"
    assert not typo[0].is_error


def test_unknown_keys_are_kept_for_templates(make_site) -> None:
    site = make_site({"_config.yml": "my_custom_thing: 42\n"})
    config, problems = load_config(site)
    assert config.get("my_custom_thing") == 42
    assert not [p for p in problems if p.code == "config-typo"]


def test_exclude_must_be_a_list(make_site) -> None:
    site = make_site({"_config.yml": "exclude: notes\n"})
    _, problems = load_config(site)
    assert any(p.is_error and "'exclude' must be a list" in p.message for p in problems)


def test_bad_yaml_names_file_and_line(make_site) -> None:
    site = make_site({"_config.yml": "title: ok\nfoo: [unclosed\n"})
    with pytest.raises(BlogkitError) as info:
        load_config(site)
    assert str(info.value).startswith("_config.yml:")


def test_site_kind_and_default_features(make_site) -> None:
    jekyll = make_site({"_config.yml": "plugins: [jekyll-feed]\n"})
    config, _ = load_config(jekyll)
    assert config.kind == "jekyll" and config.content_dir == jekyll.resolve()
    assert config.features == frozenset({"feed"})
    blog = make_site({"site.yml": "title: B\nfeatures: {tag_cloud: false}\n"})
    config, _ = load_config(blog)
    assert config.kind == "blogkit" and config.content_dir == blog.resolve() / "content"
    assert {"feed", "sitemap", "archives", "paginate", "seo", "tag_feeds", "related_posts"} <= config.features
    assert "tag_cloud" not in config.features and "search" not in config.features
    assert config.paginate == 10  # a blogkit site paginates by default


def test_cli_overrides_win(make_site) -> None:
    site = make_site({"_config.yml": "future: false\nbaseurl: /a\n"})
    config, _ = load_config(site, overrides={"future": True, "baseurl": "/b", "limit_posts": None})
    assert config.get("future") is True and config.get("baseurl") == "/b" and config.get("limit_posts") == 0


def test_destination_defaults_to_site_dir(make_site) -> None:
    site = make_site({"_config.yml": ""})
    config, _ = load_config(site)
    assert config.destination == site.resolve() / "_site"
    other, _ = load_config(site, destination=Path("/tmp/elsewhere-out"))
    assert other.destination == Path("/tmp/elsewhere-out")


def test_config_errors_name_the_line_of_the_key(make_site) -> None:
    from blogkit.site import zone_of

    site = make_site({"_config.yml": "title: X\n\ntimezone: Mars/Olympus\nexclude: notes\n"})
    config, problems = load_config(site)
    assert [str(p.where) for p in problems if p.is_error] == ["_config.yml:4"]   # exclude
    with pytest.raises(BlogkitError) as info:
        zone_of(config)
    assert str(info.value).startswith("_config.yml:3: invalid timezone")
