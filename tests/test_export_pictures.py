"""``gtu export --to png|svg|latex`` through the command line: valid files for every bundled model, exit
status 2 with a message and no file left behind for a wrong form, a wrong suffix or a bad folder."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import matplotlib.image
import numpy as np
import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.games.tree import Terminal
from gametheory_ukraine.output.latex import payoff_table_latex

SEQUENTIAL = [name for name in gtu.list_models() if "sequential" in gtu.load_model(name).forms
              and name != "settlement"]   # too large to draw: refused (test_settlement_png_is_refused_in_one_line)
NORMAL = [name for name in gtu.list_models() if "normal" in gtu.load_model(name).forms]


def terminals(name):
    return [n for n in gtu.load_model(name).game("sequential").nodes() if isinstance(n, Terminal)]


def test_settlement_png_is_refused_in_one_line(tmp_path, capsys):
    out = tmp_path / "settlement.png"
    assert main(["export", "settlement", "--form", "sequential", "--to", "png", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "288 terminal nodes" in err and "--to efg" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", SEQUENTIAL)
def test_png_for_every_sequential_model(name, tmp_path, capsys):
    out = tmp_path / f"{name}.png"
    assert main(["export", name, "--form", "sequential", "--to", "png", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().err
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    image = matplotlib.image.imread(out)
    assert image.shape[:2] == (height, width)
    assert 400 <= width <= 30000 and 300 <= height <= 30000
    # a drawing, not a blank page: a good share of pixels is not white
    assert (image[..., :3] < 0.9).any(axis=-1).mean() > 0.005
    assert [p.name for p in tmp_path.iterdir()] == [out.name]          # no temporary file left


@pytest.mark.parametrize("name", SEQUENTIAL)
def test_svg_for_every_sequential_model(name, tmp_path):
    out = tmp_path / f"{name}.svg"
    assert main(["export", name, "--form", "sequential", "--to", "svg", "-o", str(out),
                 "--scenario", next(iter(gtu.load_model(name).scenarios))]) == 0
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert sorted(i for i in ids if i.startswith("payoff:")) == sorted(f"payoff:{t.name}" for t in terminals(name))
    assert any(i.startswith("edge-path:") for i in ids)   # the equilibrium path is drawn


def test_png_parameters_change_the_picture(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert main(["export", "chain-store", "--form", "sequential", "--to", "png", "-o", str(a)]) == 0
    assert main(["export", "chain-store", "--form", "sequential", "--to", "png", "-o", str(b), "-p", "c_E=1"]) == 0
    assert a.read_bytes() != b.read_bytes()


def tabulars(text):
    return re.findall(r"\\begin\{tabular\}\{([^}]*)\}(.*?)\\end\{tabular\}", text, flags=re.S)


@pytest.mark.parametrize("name", NORMAL)
def test_latex_payoff_tables(name, tmp_path):
    out = tmp_path / f"{name}.tex"
    assert main(["export", name, "--form", "normal", "--to", "latex", "-o", str(out)]) == 0
    text = out.read_text()
    game = gtu.load_model(name).game("normal")
    found = tabulars(text)
    n_tables = 1
    for n in game.shape[2:]:
        n_tables *= n
    assert len(found) == n_tables
    for spec, body in found:
        rows = [line for line in body.strip().splitlines() if line.rstrip().endswith(r"\\")]
        heading = 1 if game.n_players > 2 else 0
        assert len(rows) == 1 + heading + game.shape[0]             # header, heading, one row per action
        assert spec == "l|" + "c" * game.shape[1]
        for row in rows[1 + heading:]:
            assert row.count("&") == game.shape[1]
            assert all(cell.strip().startswith("$") for cell in row.rstrip(" \\").split("&")[1:])
    assert text.count(r"\begin{table}") == 1 and r"\caption{" in text


def test_latex_values_of_the_chain_store(tmp_path):
    out = tmp_path / "cs.tex"
    assert main(["export", "chain-store", "--to", "latex", "-o", str(out), "-p", "c_E=1/2"]) == 0
    text = out.read_text()
    assert r"enter & $-\tfrac{1}{2}, 0$ & $2, 2$ \\" in text
    assert r"stay out & $1, 5$ & $1, 5$ \\" in text
    assert "amsmath" in text
    symbolic = payoff_table_latex(gtu.load_model("chain-store").symbolic("normal"))
    assert r"enter & $- c_{E}, - c_{I}$ & $d, d$ \\" in symbolic


def assert_refused(capsys, tmp_path, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gtu: error:") and message in err
    assert "Traceback" not in err
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".png", ".svg", ".part")]
    assert written == []


def test_png_of_a_normal_form_is_refused(tmp_path, capsys):
    out = tmp_path / "t.png"
    assert_refused(capsys, tmp_path, ["export", "territory", "--form", "normal", "--to", "png", "-o", str(out)],
                   "--to png needs a sequential form")
    # without --form the model's first form is used: territory lists its tree first, so that draws

    assert main(["export", "territory", "--to", "png", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_latex_of_a_tree_is_refused(tmp_path, capsys):
    out = tmp_path / "t.tex"
    assert main(["export", "nato", "--form", "sequential", "--to", "latex", "-o", str(out)]) == 2
    assert "needs a normal form" in capsys.readouterr().err
    assert not out.exists()


def test_a_wrong_suffix_is_refused(tmp_path, capsys):
    for suffix in (".jpg", ".svg", ""):
        out = tmp_path / f"t{suffix}"
        assert_refused(capsys, tmp_path, ["export", "territory", "--form", "sequential", "--to", "png", "-o",
                                          str(out)], "suffix")
        assert not out.exists()


def test_a_bad_folder_is_refused(tmp_path, capsys):
    assert_refused(capsys, tmp_path, ["export", "nato", "--form", "sequential", "--to", "png", "-o",
                                      str(tmp_path / "missing" / "t.png")], "does not exist")
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    assert_refused(capsys, tmp_path, ["export", "nato", "--form", "sequential", "--to", "svg", "-o",
                                      str(blocker / "t.svg")], "does not exist")
    folder = tmp_path / "t.png"
    folder.mkdir()
    assert_refused(capsys, tmp_path, ["export", "nato", "--form", "sequential", "--to", "png", "-o", str(folder)],
                   "is a folder")


def test_a_failure_while_drawing_leaves_no_file(tmp_path, capsys, monkeypatch):
    import matplotlib.figure

    def broken(self, target, **kwargs):   # write half a file, then fail
        with open(target, "wb") as fh:
            fh.write(b"\x89PNG half")
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    out = tmp_path / "t.png"
    assert main(["export", "chain-store", "--form", "sequential", "--to", "png", "-o", str(out)]) == 1
    assert "renderer broke" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_latex_one_table_per_combination_of_the_other_players():
    base = np.arange(24).reshape(2, 3, 2, 2)
    game = NormalFormGame.from_arrays(*[base + 100 * k for k in range(4)], players=["A", "B", "C_1", "D & E"])
    text = payoff_table_latex(game)
    found = tabulars(text)
    assert len(found) == 4 and r"\begin{table}" not in text
    for (c, d), (spec, body) in zip([(0, 0), (0, 1), (1, 0), (1, 1)], found):
        assert spec == "l|ccc"
        assert rf"C\_1 plays \emph{{p3\_{c + 1}}}, D \& E plays \emph{{p4\_{d + 1}}}" in body
        for a in range(2):
            cells = [f"${', '.join(str(base[a, b, c, d] + 100 * k) for k in range(4))}$" for b in range(3)]
            assert f"r{a + 1} & " + " & ".join(cells) + r" \\" in body


def test_a_picture_of_a_model_whose_first_form_is_normal_draws_its_tree(tmp_path, capsys):
    """nato's first form is the normal form; --to png without --form draws the tree (the form a picture fits),
    and --to nfg without --form still writes the normal form."""
    assert list(gtu.load_model("nato").forms)[0] == "normal"
    assert main(["export", "nato", "--to", "png", "-o", str(tmp_path / "t.png")]) == 0
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    assert main(["export", "nato", "--to", "nfg", "-o", str(tmp_path / "t.nfg")]) == 0
    assert (tmp_path / "t.nfg").read_text().startswith('NFG 1 R "nato (normal, defaults)"')
    assert main(["export", "nato", "--to", "png", "--form", "normal", "-o", str(tmp_path / "n.png")]) == 2
    assert "use --form sequential" in capsys.readouterr().err
