"""assets/stlite-docs/share.js encodes an app the way stlite sharing decodes it: checked against
the link in stlite's own test suite (packages/sharing-common/src/url.spec.ts) and round-tripped
through an independent decoder of stlite's format (tests/support/share.py). Runs share.js with Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support.share import decode

SHARE_JS = Path(__file__).resolve().parents[2] / "assets" / "stlite-docs" / "share.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed: share.js cannot run outside a browser")

# From stlite's url.spec.ts ("Should correctly extract App Data from URL"). That link was made by
# an older encoder that wrote only the first '=' as ','; stlite's decoder reads both forms.
STLITE_VECTOR = (
    "ChBzdHJlYW1saXRfYXBwLnB5Em4KEHN0cmVhbWxpdF9hcHAucHkSWgpYaW1wb3J0IHN0cmVhbWxpdCBhcyBzdAoKc3QudGl0bGUoIkhlbGxvIFdv"
    "cmxkISIpCnN0LmJ1dHRvbihsYWJlbD0iVGVzdCIsIHR5cGU9InByaW1hcnkiKQ,="
)
STLITE_CODE = 'import streamlit as st\n\nst.title("Hello World!")\nst.button(label="Test", type="primary")'


def _links(apps: list[dict]) -> list[str]:
    """share.js's links for apps ({entrypoint, files: {path: text | [bytes]}, requirements})."""
    script = (
        f"import {{ shareLink }} from {json.dumps(SHARE_JS.as_uri())};\n"
        "const apps = JSON.parse(process.argv[1]);\n"
        "for (const app of apps) for (const [p, f] of Object.entries(app.files)) if (Array.isArray(f)) app.files[p] = Uint8Array.from(f);\n"
        "console.log(JSON.stringify(apps.map((app) => shareLink('https://share.example.org/base/?q=1#old', app))));\n"
    )
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script, json.dumps(apps)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_link_in_stlites_own_tests():
    assert decode("!" + STLITE_VECTOR) == {
        "entrypoint": "streamlit_app.py",
        "files": {"streamlit_app.py": STLITE_CODE},
        "requirements": [],
    }
    [link] = _links([{"entrypoint": "streamlit_app.py", "files": {"streamlit_app.py": STLITE_CODE}, "requirements": []}])
    base, fragment = link.split("#", 1)
    assert base == "https://share.example.org/base/?q=1"  # the base's own fragment is replaced
    assert fragment == "!" + STLITE_VECTOR[:-1] + ","


def test_round_trip_of_files_text_bytes_and_requirements():
    apps = [
        {
            "entrypoint": "app.py",
            "requirements": ["numpy>=2", "pandas[excel]"],
            "files": {
                "app.py": "import streamlit as st\nst.write('héllo ✓ 日本')\n",
                "pages/two.py": "",
                "data/blob.bin": list(range(256)) * 3,
            },
        },
        {"entrypoint": "streamlit_app.py", "requirements": [], "files": {"streamlit_app.py": "x = '+/='\n" * 500}},
    ]
    links = _links(apps)
    for app, link in zip(apps, links, strict=False):
        fragment = link.split("#", 1)[1]
        assert not set("+/=") & set(fragment[1:]), "stlite's alphabet: no '+', '/' or '=' in the fragment"
        assert decode(fragment) == app
