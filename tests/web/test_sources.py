"""The study notes pages."""

from flask.testing import FlaskClient

from quiz.domain.bundle import Bundle


def test_sources_index_lists_every_note(client: FlaskClient, bundle: Bundle) -> None:
    html = client.get("/sources/").get_data(as_text=True)
    for source in bundle.sources.values():
        assert f'href="/sources/{source.slug}"' in html


def test_every_passage_has_an_anchor_and_credits_are_shown(
    client: FlaskClient, bundle: Bundle
) -> None:
    for source in bundle.sources.values():
        html = client.get(f"/sources/{source.slug}").get_data(as_text=True)
        for passage in source.passages:
            assert f'id="{passage.passage_id}"' in html
        assert "Drawn from" in html and source.credits[0].split(".")[0] in html


def test_teaching_pages_carry_the_not_medical_advice_notice(
    client: FlaskClient, bundle: Bundle
) -> None:
    slug = next(iter(bundle.sources))
    for url in ("/", "/sources/", f"/sources/{slug}"):
        assert 'data-notice="educational"' in client.get(url).get_data(as_text=True)


def test_unknown_note_is_404(client: FlaskClient) -> None:
    assert client.get("/sources/no-such-note").status_code == 404
