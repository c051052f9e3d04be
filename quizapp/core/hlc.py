"""Hybrid logical clocks: an order on events from several devices that never goes backwards.

A device's wall clock can be wrong or set back, and two devices' clocks never agree, so
"the later edit wins" needs a clock that is (1) close to wall time, so that "later" means
what the learner thinks, and (2) strictly increasing on each device and past every event
the device has seen from the others, so that an edit made after merging another device's
edit always sorts after it. An HLC is (wall milliseconds, counter, device id): a tick
takes the larger of the wall clock and the last value, bumping the counter on a tie
(Kulkarni et al., "Logical Physical Clocks", 2014).

As text (`Hlc.text`), zero-padded, so that sorting strings sorts clocks; that is how the
journal files and the `sync_clock` table store it.
"""

from __future__ import annotations

from dataclasses import dataclass

_MS_DIGITS = 13
_COUNTER_DIGITS = 6


@dataclass(frozen=True, order=True)
class Hlc:
    ms: int
    counter: int
    device: str

    @property
    def text(self) -> str:
        return f"{self.ms:0{_MS_DIGITS}d}.{self.counter:0{_COUNTER_DIGITS}d}.{self.device}"

    @staticmethod
    def parse(text: str) -> Hlc:
        ms, counter, device = text.split(".", 2)
        return Hlc(int(ms), int(counter), device)


ZERO = Hlc(0, 0, "")


def wall_ms(text: str) -> int:
    """The wall-clock part of a clock's text, in milliseconds since the epoch."""
    return int(text[:_MS_DIGITS])


@dataclass
class HlcClock:
    """One device's clock: `tick` for each event it makes, `observe` for each it merges."""

    device: str
    last: Hlc = ZERO

    def tick(self, now_ms: int) -> Hlc:
        if now_ms > self.last.ms:
            self.last = Hlc(now_ms, 0, self.device)
        else:
            self.last = Hlc(self.last.ms, self.last.counter + 1, self.device)
        return self.last

    def observe(self, seen: Hlc) -> None:
        """Never tick at or below a clock already seen, whoever made it."""
        if (seen.ms, seen.counter) > (self.last.ms, self.last.counter):
            self.last = Hlc(seen.ms, seen.counter, self.device)
