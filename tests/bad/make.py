"""Make the bad-input corpus of tests/bad/ from the bundled corpus.

    python tests/bad/make.py

Each file damages the corpus in one way; ``expected.json`` says what
``kzbudget extract`` must answer (exit code, the error line or the warnings).
The 50 MB file is not stored: tests/test_bad_inputs.py makes it on the fly.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"


def main() -> None:
    text = CORPUS.read_text(encoding="utf-8")

    def write(name: str, data: str | bytes) -> None:
        path = HERE / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    def replaced(old: str, new: str, count: int = 1) -> str:
        assert text.count(old) >= count, old
        return text.replace(old, new, count)

    write("empty.txt", b"")
    write("binary.bin", bytes(range(256)) * 40)
    write("kazakh-kz1048.txt", text.encode("kz1048"))
    write("utf16.txt", text.encode("utf-16"))
    # cut inside the action-plan table of annex 424
    cut = text.index("Қаңтар-желтоқсан\nАқпан-наурыз")
    write("cut-mid-table.txt", text[:cut])
    # annex 425 without field 4 (the label and its value lines)
    start = text.index("       : Мемлекеттiк органдар жұмыстарының 4.")
    end = text.index("       : қолданбалы ғылыми зерттеулер жүргiзу, 5.")
    write("field-missing.txt", text[:start] + text[end:])
    write("duplicate-annex.txt", replaced("425-ҚОСЫМША", "424-ҚОСЫМША"))
    write("cost-words.txt", replaced("(жетпiс төрт миллион", "(жетпiс бес миллион"))
    write("no-such-date.txt", replaced("1999 жылғы 3 желтоқсандағы", "1999 жылғы 30 ақпандағы"))
    write("unknown-month.txt", replaced("2000 жылғы 21 қарашадағы", "2000 жылғы 21 қарлығаштағы"))
    write("no-date.txt", replaced("2000 жылғы 10 наурыздағы N 357", "N 357"))


if __name__ == "__main__":
    main()
