"""No cassette holds the recording machine's folders: the record-time filter of
``vcr_config`` (tests/conftest.py) puts a placeholder for them in every response body,
and every committed cassette is scanned for absolute paths."""

from __future__ import annotations

import re
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT, _scrub_response, machine_paths, without_machine_paths

CASSETTES = sorted((ROOT / "tests" / "cassettes").rglob("*.yaml"))
#: A file named by absolute path in a traceback (``File "/x/y.py"``), or a folder
#: every machine's Python or home lies under.
ABSOLUTE = re.compile(r"File \\?\"/|/site-packages/|/(?:home|root|Users)/\w")


def _traceback(folder: str) -> str:
    return (f'{{"error":{{"message":"1 validation error\\n\\n  File \\"{folder}/llama_cpp/server/app.py\\", '
            f'line 376, in create_chat_completion"}}}}')


def test_the_machine_folders_are_the_venv_python_repo_and_home():
    found = machine_paths()
    assert found[sysconfig.get_paths()["purelib"]] == "[site-packages]"
    assert found[sys.prefix] == "[python]"
    assert found[str(ROOT)] == "[repo]"
    if len(Path.home().parts) >= 2:  # a home of / (some containers) is in every path: left out
        assert found[str(Path.home())] == "[home]"
    assert "/" not in found


def test_a_traceback_path_becomes_a_placeholder():
    body = _traceback(sysconfig.get_paths()["purelib"])
    cleaned = without_machine_paths(body)
    assert '\\"[site-packages]/llama_cpp/server/app.py\\", line 376' in cleaned
    assert sysconfig.get_paths()["purelib"] not in cleaned
    # the longest folder wins: site-packages inside the venv inside the repo
    assert "[python]" not in cleaned and "[repo]" not in cleaned


@pytest.mark.parametrize("folder, placeholder", [
    (str(ROOT / "tests" / "fake_openai.py"), "[repo]/tests/fake_openai.py"),
    (sys.prefix + "/bin/python", "[python]/bin/python"),
    *([(str(Path.home() / ".cache" / "x"), "[home]/.cache/x")] if len(Path.home().parts) >= 2 else []),
])
def test_every_machine_folder_is_replaced(folder, placeholder):
    assert without_machine_paths(f"at {folder}: failed") == f"at {placeholder}: failed"


@pytest.mark.parametrize("text", [
    "Idlib: 12 killed, 3/4 of the homes destroyed; the SOHR said so.",
    '{"choices":[{"message":{"content":"{\\"summary\\": \\"Aleppo/Idlib\\"}"}}]}',
    f"{ROOT}-other/file.py and {ROOT}x and {Path.home()}s",  # a longer name is another folder
    "/usr/share/doc and /tmp/x.json",
])
def test_ordinary_text_is_left_alone(text):
    assert without_machine_paths(text) == text


def test_the_record_filter_cleans_str_and_bytes_bodies():
    body = _traceback(sys.prefix)
    as_str = _scrub_response({"headers": {}, "body": {"string": body}})
    as_bytes = _scrub_response({"headers": {}, "body": {"string": body.encode()}})
    assert as_str["body"]["string"] == body.replace(sys.prefix, "[python]")
    assert as_bytes["body"]["string"] == body.replace(sys.prefix, "[python]").encode()
    gzip_like = b"\x1f\x8b\x08\x00\xff\xfe"  # not UTF-8: kept as received
    assert _scrub_response({"headers": {}, "body": {"string": gzip_like}})["body"]["string"] == gzip_like


def test_there_are_cassettes_to_scan():
    assert len(CASSETTES) >= 10


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_cassette_holds_a_machine_path(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not ABSOLUTE.findall(text), f"{path.name}: {ABSOLUTE.findall(text)[:3]}"
    assert without_machine_paths(text) == text, f"{path.name} names a folder of this machine"


def test_the_saved_length_is_the_saved_body_s():
    body = _traceback(sys.prefix)
    saved = _scrub_response({"headers": {"Content-Length": [str(len(body))]}, "body": {"string": body}})
    assert saved["headers"]["Content-Length"] == [str(len(saved["body"]["string"].encode()))]
    assert saved["headers"]["Content-Length"] != [str(len(body))]
