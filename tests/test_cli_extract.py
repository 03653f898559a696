"""``kzbudget extract``: output formats, bad input, atomic output (issue #2)."""

from __future__ import annotations

import json

from conftest import CLEAN, CORPUS, run_cli


def test_extract_json_to_file(tmp_path):
    out = tmp_path / "x.json"
    result = run_cli("extract", str(CORPUS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["decree"]["number"] == "1220"
    assert [p["cost"]["thousand_kzt"] for p in data["passports"]][:3] == [419926, 74089, 6000]
    # warnings go to stderr, naming file, annex and field
    assert "annex 428, legal_basis: no date" in result.stderr
    assert list(tmp_path.iterdir()) == [out]  # no temp file left behind


def test_extract_several_files_gives_an_array_in_order(tmp_path):
    result = run_cli("extract", str(CLEAN), str(CORPUS))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [len(d["passports"]) for d in data] == [3, 7]


def test_extract_table(tmp_path):
    result = run_cli("extract", str(CORPUS), "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "Annex 423, 2007" in result.stdout
    assert "419 926 thousand KZT" in result.stdout


def _fails_cleanly(result, *fragments):
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_empty_binary_and_passportless_files_fail_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "junk.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    prose = tmp_path / "prose.txt"
    prose.write_text("Бұл мәтінде паспорт жоқ.\n", encoding="utf-8")
    out = tmp_path / "out.json"
    _fails_cleanly(run_cli("extract", str(empty), "-o", str(out)), "empty.txt", "empty")
    _fails_cleanly(run_cli("extract", str(binary), "-o", str(out)), "junk.bin", "binary")
    _fails_cleanly(
        run_cli("extract", str(prose), "-o", str(out)), "prose.txt", "no budget-programme passport"
    )
    _fails_cleanly(run_cli("extract", str(tmp_path / "nope.txt")), "nope.txt", "cannot read")
    assert not out.exists()


def test_a_bad_file_among_good_ones_writes_nothing(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("extract", str(CORPUS), str(empty), "-o", str(out))
    # the good file's warnings come as it is read; the bad one ends the run
    assert result.returncode == 2
    *warned, last = result.stderr.strip().splitlines()
    assert all(line.startswith(f"warning: {CORPUS}: annex ") for line in warned)
    assert last == f"kzbudget: error: {empty}: the file is empty"
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.json"]  # no temp


def test_debug_shows_the_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("--debug", "extract", str(empty))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_missing_field_is_a_warning_not_an_error(tmp_path, corpus_text):
    text = corpus_text.replace("3. Бюджеттiк бағдарламаны қаржыландыру көздерi", "")
    src = tmp_path / "nofund.txt"
    src.write_text(text, encoding="utf-8")
    result = run_cli("extract", str(src))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["passports"][0]["funding_source"] is None
    assert "annex 423, funding_source: field is missing" in result.stderr


def test_several_resolutions_are_written_as_json_dumps_writes_the_list(tmp_path, corpus_text):
    """Written one resolution at a time, the JSON is still exactly the text of
    json.dumps(list, indent=2) — a line separator (U+2028) inside a value included."""
    odd = tmp_path / "odd\u2028name.txt"  # the file name is a value ("source")
    odd.write_text(corpus_text, encoding="utf-8")
    proc = run_cli("extract", str(CORPUS), str(odd))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [len(d["passports"]) for d in data] == [7, 7]
    assert data[1]["source"] == "odd\u2028name.txt"  # the value itself, not re-indented
    assert proc.stdout == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert "\u2028" in proc.stdout


def test_a_bad_file_among_good_ones_writes_nothing_to_standard_output(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("extract", str(CORPUS), str(CLEAN), str(empty))
    assert result.returncode == 2
    assert result.stdout == ""  # not the first two resolutions of a list never closed
    assert result.stderr.strip().splitlines()[-1] == f"kzbudget: error: {empty}: the file is empty"
