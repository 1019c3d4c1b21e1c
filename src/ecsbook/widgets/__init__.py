"""Thin views over the scheduler model; each also renders a static SVG.

* :class:`~ecsbook.widgets.placement.PlacementExplorer`
* :class:`~ecsbook.widgets.rolling.RollingUpdatePlayer`
* :class:`~ecsbook.widgets.scaling.ScalingSimulator`
* :mod:`ecsbook.widgets.graphs`: networkx graphs (topology, IAM, event flows)
"""
