"""The API's documentation page works under the site's own Content-Security-Policy."""

import re

import pytest


@pytest.mark.django_db
def test_the_docs_page_loads_its_scripts_and_styles_from_the_site_itself(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp

    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("swagger-ui-bundle" in src for src in scripts), html
    for url in assets:
        # Same origin only: the CSP allows 'self' and nothing from a CDN.
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
    # No inline script that the CSP (self + nonce) would block.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert 'type="application/json"' in tag, tag
