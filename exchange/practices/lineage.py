"""The lineage of practices as a diagram: cities of origin on the left, the cities that
adopted their practices on the right, one line per transfer."""

from dataclasses import dataclass, field

ROW = 56  # pixels between two cities
TOP = 40
WIDTH = 720
LEFT_X = 170  # where the lines start (after the origin's name)
RIGHT_X = 550  # where they end (before the adopter's name)


@dataclass
class Diagram:
    width: int
    height: int
    origins: list = field(default_factory=list)  # (name, y)
    adopters: list = field(default_factory=list)  # (name, y)
    lines: list = field(default_factory=list)  # (y1, y2, practice title, stage)


def diagram(transfers) -> Diagram:
    """Lay the transfers out in two columns, each city once, in order of first appearance."""
    origins: dict[str, int] = {}
    adopters: dict[str, int] = {}
    for transfer in transfers:
        origins.setdefault(transfer.practice.origin.name, TOP + ROW * len(origins))
        adopters.setdefault(transfer.pairing.mentee.name, TOP + ROW * len(adopters))
    height = TOP + ROW * max(len(origins), len(adopters), 1)
    result = Diagram(WIDTH, height, list(origins.items()), list(adopters.items()))
    for transfer in transfers:
        result.lines.append(
            (
                origins[transfer.practice.origin.name],
                adopters[transfer.pairing.mentee.name],
                transfer.practice.title,
                transfer.stage_label,
            )
        )
    return result
