"""The first batches of a day's triangular streams are drawn together
(:meth:`Triangular.batch_many`, :class:`sim.core.rng.Streams`), value for value as each stream
drawn alone: the joint draw is a speed-up only (issue 17), never a change of the visitors."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.distributions import Triangular
from sim.core.rng import Streams, stream_key
from sim.core.seeding import stream_generator


@st.composite
def triangulars(draw: st.DrawFn) -> Triangular:
    """A valid triangular distribution, edges (mode at min or max) included."""
    low = draw(st.floats(0, 50, allow_nan=False))
    high = low + draw(st.floats(0.01, 100, allow_nan=False))
    mode = draw(st.one_of(st.just(low), st.just(high), st.floats(low, high)))
    return Triangular(dist="triangular", min=low, mode=mode, max=high)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(dists=st.lists(triangulars(), min_size=1, max_size=6), n=st.integers(1, 300))
def test_many_at_once_are_each_alone_bit_for_bit(dists: list[Triangular], n: int) -> None:
    alone = [d.batch(np.random.default_rng(i), n) for i, d in enumerate(dists)]
    rngs = [np.random.default_rng(i) for i in range(len(dists))]
    together = Triangular.batch_many(dists, rngs, n)
    for one, joint in zip(alone, together, strict=True):
        assert one.tobytes() == joint.tobytes()


def test_a_days_samplers_draw_each_streams_own_values() -> None:
    """Samplers made before and after a joint draw, drawn from in any order and past their
    first batch, give each stream's own values (its generator's draws through ``batch``)."""
    dists = {
        "post.gate.task": Triangular(dist="triangular", min=0.3, mode=0.5, max=1),
        "post.cleaner.task": Triangular(dist="triangular", min=3, mode=5, max=10),
        "walk_in.service.sandbox": Triangular(dist="triangular", min=5, mode=10, max=20),
    }
    late = ("delegation.service.sandbox", Triangular(dist="triangular", min=1, mode=2, max=9))
    streams = Streams(4, 17)
    samplers = {name: streams.sampler(name, dist) for name, dist in dists.items()}
    drawn: dict[str, list[float]] = {name: [] for name in [*dists, late[0]]}
    drawn["post.cleaner.task"] += [samplers["post.cleaner.task"]() for _ in range(3)]
    samplers[late[0]] = streams.sampler(*late)  # made after the first joint draw
    dists[late[0]] = late[1]
    for name in ("walk_in.service.sandbox", late[0], "post.gate.task", "post.cleaner.task"):
        drawn[name] += [samplers[name]() for _ in range(400)]  # past the first batch
    for name, values in drawn.items():
        rng = stream_generator(4, 17, stream_key(name))
        expected = np.concatenate([dists[name].batch(rng, size) for size in (128, 256, 512)])
        assert values == expected[: len(values)].tolist(), name
